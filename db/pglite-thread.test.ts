import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteThread, type PgliteClient } from './pglite-thread';

// The embedded database in a worker thread (decision record 0028), driven through drizzle as the app drives it.
describe('PGlite in a worker thread', () => {
  let client: PgliteClient;
  let db: ReturnType<typeof drizzle>;

  beforeAll(async () => {
    client = await openPgliteThread(undefined);
    db = drizzle(client as never);
    await db.execute(sql`create table notes (id int primary key, body text, bytes bytea, at timestamptz)`);
  });

  afterAll(async () => {
    await client.close();
  });

  it('keeps the SQLSTATE and detail of an error, as the app checks them', async () => {
    await db.execute(sql`insert into notes (id, body) values (1, 'first')`);
    const error = await db.execute(sql`insert into notes (id, body) values (1, 'again')`).catch((e) => e);
    const cause = (error as { cause?: { code?: string; detail?: string } }).cause;
    expect(cause?.code).toBe('23505');
    expect(cause?.detail).toContain('(id)=(1)');
  });

  it('commits a transaction whose work succeeds and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into notes (id, body) values (2, 'kept')`);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into notes (id, body) values (3, 'dropped')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const rows = await db.execute(sql`select id from notes where id in (2, 3) order by id`);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ id: 2 }]);
  });

  it('keeps other statements out while a transaction is open, as one connection does', async () => {
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction(async (tx) => {
      await tx.execute(sql`update notes set body = 'in the transaction' where id = 2`);
      order.push('transaction wrote');
      await held;
      order.push('transaction ends');
    });
    // Wait until the transaction holds the connection, then ask from outside.
    while (order.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const outside = db.execute(sql`select body from notes where id = 2`).then((result) => {
      order.push('outside read');
      return (result as unknown as { rows: Array<{ body: string }> }).rows[0].body;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await transaction;
    expect(await outside).toBe('in the transaction');
    expect(order).toEqual(['transaction wrote', 'transaction ends', 'outside read']);
  });

  it('stores exactly the bytes of a view into a larger buffer, and leaves the caller its bytes', async () => {
    const big = new Uint8Array(64 * 1024).fill(7);
    big.set([1, 2, 3], 1000);
    const view = big.subarray(1000, 1003);
    await db.execute(sql`insert into notes (id, bytes) values (4, ${view})`);
    const result = await db.execute(sql`select bytes from notes where id = 4`);
    const stored = (result as unknown as { rows: Array<{ bytes: Uint8Array }> }).rows[0].bytes;
    expect([...stored]).toEqual([1, 2, 3]);
    expect(view.byteLength).toBe(3);
    expect([...view]).toEqual([1, 2, 3]);
  });

  it('keeps timestamps as text, as drizzle asks (its parsers cannot cross the thread)', async () => {
    await db.execute(sql`insert into notes (id, at) values (5, '2026-12-02T10:00:00Z')`);
    const [row] = await db.select({ at: sql<string>`at` }).from(sql`notes`).where(sql`id = 5`);
    expect(typeof row.at).toBe('string');
    expect(new Date(row.at).toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it('refuses statements once closed, with a clear error', async () => {
    const other = await openPgliteThread(undefined);
    await other.close();
    await other.stopped;
    await expect(other.query('select 1')).rejects.toThrow(/embedded database stopped/);
  });

  it('does not keep a script alive once its statements are answered', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'refinery-thread-'));
    const script = path.join(folder, 'script.mts');
    writeFileSync(
      script,
      [
        `import { openPgliteThread } from ${JSON.stringify(path.join(import.meta.dirname, 'pglite-thread.ts'))};`,
        'const client = await openPgliteThread(undefined);',
        "const { rows } = await client.query('select 41 + 1 as answer');",
        'console.log(rows[0].answer);',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    rmSync(folder, { recursive: true, force: true });
    expect(run.error).toBeUndefined();
    expect(run.stdout.trim()).toBe('42');
    expect(run.status).toBe(0);
  });
});
