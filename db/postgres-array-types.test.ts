import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rowsOf } from './client';
import { createTestDatabaseUrl } from './test-database';

/**
 * A TCP proxy in front of the Postgres server. Once armed, a connection that asks for the array types is answered
 * the way a terminated backend answers (FATAL 57P01) and closed: what a database restart does to a connection that
 * is still starting.
 */
async function startKillingProxy(target: URL) {
  const state = { armed: false, killed: 0, asked: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (chunk.includes('pg_catalog.pg_type')) state.asked += 1;
      if (state.armed && chunk.includes('pg_catalog.pg_type')) {
        state.killed += 1;
        client.end(terminatedBackend());
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function terminatedBackend(): Buffer {
  const fields = ['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'];
  const body = Buffer.concat([...fields.map((field) => Buffer.from(`${field}\0`)), Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

describe.runIf(process.env.DATABASE_URL)(
  'Postgres connections that start while the server kills them',
  () => {
    let created: { url: string; drop(): Promise<void> };
    let proxy: Awaited<ReturnType<typeof startKillingProxy>>;
    let database: Database;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      created = await createTestDatabaseUrl();
      proxy = await startKillingProxy(new URL(created.url));
      database = await openDatabase({ url: proxy.url, max: 4 });
      process.on('unhandledRejection', onUnhandled);
      proxy.state.armed = true;
    });

    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      await database?.close();
      await proxy?.close();
      await created?.drop();
    });

    it('asked for the array types once while starting: on the one connection opened for it, not on the setup ones', () => {
      expect(proxy.state.asked).toBe(1);
    });

    it('never ask for the array types, so no failure of that query can go unhandled and end the process', async () => {
      // Four pool connections and the health connection open now, after the setup connections have gone.
      const answers = await Promise.all(
        [1, 2, 3, 4].map((n) => database.db.execute(sql`select ${n}::int as n, pg_sleep(0.05)`)),
      );
      expect(answers.map((answer) => rowsOf<{ n: number }>(answer)[0].n)).toEqual([1, 2, 3, 4]);
      expect(await database.ping()).toBe(true);
      // An unhandled rejection is reported on a later turn: give it one before looking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(proxy.state.killed).toBe(0);
      expect(unhandled).toEqual([]);
    });

    it('still read arrays, of built-in types and of types the migrations created', async () => {
      const [row] = rowsOf<{ words: string[]; numbers: number[] }>(
        await database.db.execute(
          sql`select array['a', 'b,c']::text[] as words, array[1, 2]::int[] as numbers`,
        ),
      );
      expect(row).toEqual({ words: ['a', 'b,c'], numbers: [1, 2] });
      // Arrays of a type the migrations created, which did not exist when the first connection started.
      const [kinds] = rowsOf<{ kinds: string[] }>(
        await database.db.execute(
          sql`select array['swap', 'accept_risk']::goal_risk_response_kind[] as kinds`,
        ),
      );
      expect(kinds.kinds).toEqual(['swap', 'accept_risk']);
    });
  },
);
