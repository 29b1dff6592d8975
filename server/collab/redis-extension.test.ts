import { type ChildProcess, spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { itemDocument, productDocument } from '../../app/domain/document-names';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { openDatabase } from '../../db/client';
import { createTestDatabaseUrl, openTestDatabase } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { PersistenceExtension } from './persistence-extension';
import { redisPrefix } from './redis-extension';

/**
 * Several server processes sharing live documents through Redis. Needs a Redis server and a Postgres server
 * (processes share one database; an embedded PGlite folder is open in one process at a time).
 */
const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
const missing = [redisUrl ? null : 'REDIS_URL', databaseUrl ? null : 'DATABASE_URL'].filter(Boolean);
const skipped = missing.length > 0;
if (skipped) console.warn(`Scale-out tests skipped: set ${missing.join(' and ')} to run them.`);
const suite = (name: string) => (skipped ? `${name} (skipped: needs ${missing.join(' and ')})` : name);

const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const clients: HocuspocusProvider[] = [];

/** A browser's live connection to one document on the server at `url`. */
function connect(url: string, name: string, token: string) {
  const websocketProvider = new HocuspocusProviderWebsocket({
    url: `${url.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({ name, token, websocketProvider });
  provider.attach();
  clients.push(provider);
  return provider;
}

function close(provider: HocuspocusProvider) {
  const socket = provider.configuration.websocketProvider;
  provider.destroy();
  socket.destroy();
}

afterEach(() => {
  for (const provider of clients.splice(0)) close(provider);
});

// The text field of these tests is one of their own, so they do not depend on the editor's schema.
const probe = (provider: HocuspocusProvider) => provider.document.getText('scale-out-probe');

describe.skipIf(skipped)(suite('two server processes sharing live documents through Redis'), () => {
  const secret = 'scale-out-test-secret-0123456789abcdef';
  let created: { url: string; drop(): Promise<void> };
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let itemId: string;
  let apiToken: string;
  const processes: Array<{
    child: ChildProcess;
    url: string;
    output: string;
    exited: Promise<number | null>;
  }> = [];

  /** Starts server/collab/redis-test-server.ts, a server that exits only when nothing is left open. */
  async function spawnServer() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/collab/redis-test-server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: created.url,
        REDIS_URL: redisUrl,
        SESSION_SECRET: secret,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry = {
      child,
      url: '',
      output: '',
      exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    };
    child.stdout?.on('data', (chunk) => {
      entry.output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      entry.output += chunk;
    });
    processes.push(entry);
    let exited = false;
    void entry.exited.then(() => {
      exited = true;
    });
    await waitFor('the server process to start', () => /ready (\S+)/.test(entry.output) || exited, 40_000);
    const url = /ready (\S+)/.exec(entry.output)?.[1];
    if (!url) throw new Error(`The server process did not start:\n${entry.output}`);
    entry.url = url;
    return entry;
  }

  beforeAll(async () => {
    created = await createTestDatabaseUrl();
    // The first process migrates the new database; the second finds it ready.
    await spawnServer();
    await spawnServer();
    const database = await openDatabase({ url: created.url, max: 2 });
    try {
      team = await seedTeam(database.db);
      itemId = (await createItem(database.db, team.productId, team.po, { title: 'Shared story' })).id;
      apiToken = (await createApiToken(database.db, team.po, 'scale-out test')).token;
    } finally {
      await database.close();
    }
  });

  afterAll(async () => {
    for (const { child } of processes) child.kill('SIGKILL');
    await created?.drop();
  });

  const token = (userId: string) => issueLiveToken(secret, userId, 'user');

  it('lets clients on different processes co-edit one item document', async () => {
    const [one, two] = processes;
    const owner = connect(one.url, itemDocument(itemId), token(team.po));
    const member = connect(two.url, itemDocument(itemId), token(team.dev));
    await waitFor('both clients to sync', () => owner.isSynced && member.isSynced);

    probe(owner).insert(0, 'As a PO ');
    await waitFor('the owner’s text on the other process', () => probe(member).toString() === 'As a PO ');
    probe(member).insert(probe(member).length, 'I want');
    await waitFor(
      'the member’s text on the first process',
      () => probe(owner).toString() === 'As a PO I want',
    );

    // Typed at the same moment on both processes: both end with the same text, containing both.
    probe(owner).insert(0, '[owner]');
    probe(member).insert(probe(member).length, '[member]');
    await waitFor(
      'both clients to converge',
      () =>
        probe(owner).toString() === probe(member).toString() &&
        probe(owner).length > 'As a PO I want'.length + 10,
    );
    expect(probe(owner).toString()).toContain('[owner]');
    expect(probe(owner).toString()).toContain('[member]');
  });

  it('brings a backlog change made through the API of one process to a read-only client of the other', async () => {
    const [one, two] = processes;
    const stakeholder = connect(two.url, productDocument(team.productId), token(team.stakeholder));
    await waitFor('the sync', () => stakeholder.isSynced);
    const backlog = stakeholder.document.getMap('backlog');
    const before = (backlog.get('version') as number | undefined) ?? 0;

    const response = await fetch(`${one.url}/api/v1/products/${team.productId}/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Published on the first process' }),
    });
    expect(response.status).toBe(201);
    const answered = Date.now();
    const { id } = (await response.json()) as { id: string };
    await waitFor(
      'the backlog change on the other process',
      () => (backlog.get('version') as number) > before,
      1000,
    );
    expect(Date.now() - answered).toBeLessThan(1000);
    expect(backlog.get('change')).toMatchObject({ kind: 'created', itemIds: [id] });
  });

  // Last: it stops the processes.
  it('stops both processes on SIGTERM with nothing left open: each exits by itself', async () => {
    for (const provider of clients.splice(0)) close(provider);
    const started = Date.now();
    for (const { child } of processes) child.kill('SIGTERM');
    const codes = await Promise.race([
      Promise.all(processes.map((entry) => entry.exited)),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
    ]);
    expect(codes, processes.map((entry) => entry.output).join('\n')).toEqual([0, 0]);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const entry of processes) {
      expect(entry.output).toContain('stopped');
      expect(entry.output).not.toContain('redis_unavailable');
    }
  }, 30_000);
});

/** Every log line of a server, parsed. */
function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    logger: createLogger('info', {
      write(line: string) {
        lines.push(JSON.parse(line));
      },
    }),
    has: (event: string) => lines.some((line) => line.event === event),
  };
}

const persistenceOf = (server: RunningServer) =>
  server.collab.hocuspocus.configuration.extensions.find(
    (extension) => extension instanceof PersistenceExtension,
  ) as PersistenceExtension;

async function startWithRedis(
  database: string,
  redis: string,
  log = logSink().logger,
): Promise<RunningServer> {
  const parsed = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: database,
    REDIS_URL: redis,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return startServer(parsed.config, log, { root });
}

describe.skipIf(skipped)(suite('two servers in one process sharing live documents through Redis'), () => {
  let created: { url: string; drop(): Promise<void> };
  let a: RunningServer;
  let b: RunningServer;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    created = await createTestDatabaseUrl();
    a = await startWithRedis(created.url, redisUrl!);
    b = await startWithRedis(created.url, redisUrl!);
    team = await seedTeam(a.database.db);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await created?.drop();
  });

  const token = (userId: string) => issueLiveToken(a.services.secret, userId, 'user');

  it('uses one key prefix per database, so test runs and deployments on one Redis stay apart', async () => {
    expect(await redisPrefix(b.database.db)).toBe(await redisPrefix(a.database.db));
    const other = await openTestDatabase('postgres');
    try {
      expect(await redisPrefix(other.db)).not.toBe(await redisPrefix(a.database.db));
    } finally {
      await other.close();
    }
  });

  it('publishes a server change on one process to a read-only client of the other within a second, without slowing the command', async () => {
    const name = productDocument(team.productId);
    const reader = connect(b.url, name, token(team.stakeholder));
    await waitFor('the sync', () => reader.isSynced);
    for (const round of [1, 2, 3]) {
      const started = Date.now();
      await a.services.live.update(name, (doc) => doc.getMap('state').set('round', round));
      // The stock extension waits 1 s after the store and 1 s before the unload; a command would too.
      expect(Date.now() - started).toBeLessThan(1000);
      await waitFor(
        `round ${round} on the other process`,
        () => reader.document.getMap('state').get('round') === round,
        1000,
      );
    }
  });

  it('logs a change once, on the process that received it, and lets both unload the document', async () => {
    const itemId = (await createItem(a.database.db, team.productId, team.po, { title: 'Stored once' })).id;
    const name = itemDocument(itemId);
    const appendsOnA = vi.spyOn(persistenceOf(a).updates, 'append');
    const appendsOnB = vi.spyOn(persistenceOf(b).updates, 'append');
    const writer = connect(a.url, name, token(team.po));
    const reader = connect(b.url, name, token(team.dev));
    await waitFor('both clients to sync', () => writer.isSynced && reader.isSynced);
    probe(writer).insert(0, 'typed on A');
    await waitFor('the text on B', () => probe(reader).toString() === 'typed on A');
    close(writer);
    close(reader);
    await waitFor(
      'both processes to unload the document',
      () => !a.collab.hocuspocus.documents.has(name) && !b.collab.hocuspocus.documents.has(name),
    );
    // Yjs encodes the inserted string as UTF-8 inside the update.
    const holdingText = (spy: typeof appendsOnA) =>
      spy.mock.calls.filter(
        ([document, update]) => document === name && Buffer.from(update).includes('typed on A'),
      ).length;
    expect(holdingText(appendsOnA)).toBe(1);
    expect(holdingText(appendsOnB)).toBe(0);
    appendsOnA.mockRestore();
    appendsOnB.mockRestore();

    // Nobody holds it now: a new client loads it from Postgres.
    const later = connect(b.url, name, token(team.dev));
    await waitFor('the stored text', () => later.isSynced && probe(later).toString() === 'typed on A');
  });
});

/** A TCP proxy in front of Redis that the test can cut and restore, to play a Redis outage for one server. */
async function redisProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let listenPort = 0;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(port || 6379), hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => {
        listenPort = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  };
  await up();
  return { url: `redis://127.0.0.1:${listenPort}`, up, down };
}

describe.skipIf(skipped)(suite('a Redis outage'), () => {
  let created: { url: string; drop(): Promise<void> };
  let proxy: Awaited<ReturnType<typeof redisProxy>>;
  const logs = logSink();
  let a: RunningServer;
  let b: RunningServer;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    created = await createTestDatabaseUrl();
    proxy = await redisProxy(redisUrl!);
    a = await startWithRedis(created.url, proxy.url, logs.logger);
    b = await startWithRedis(created.url, redisUrl!);
    team = await seedTeam(a.database.db);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.down();
    await created?.drop();
  });

  const token = (userId: string) => issueLiveToken(a.services.secret, userId, 'user');

  it('keeps the server up and storing, logs it, and relays what was typed meanwhile once Redis is back', async () => {
    const itemId = (await createItem(a.database.db, team.productId, team.po, { title: 'Outage' })).id;
    const name = itemDocument(itemId);
    const writer = connect(a.url, name, token(team.po));
    const reader = connect(b.url, name, token(team.dev));
    await waitFor('both clients to sync', () => writer.isSynced && reader.isSynced);
    probe(writer).insert(0, 'before. ');
    await waitFor('the first text on B', () => probe(reader).toString() === 'before. ');

    await proxy.down();
    await waitFor('the outage in the log', () => logs.has('redis_unavailable'));
    probe(writer).insert(probe(writer).length, 'during.');
    // The writer leaves while Redis is away, once A acknowledged the change (it is in A's log then); A's process
    // keeps the change to offer it when Redis is back.
    await waitFor(
      'the change to reach A and be acknowledged',
      () =>
        a.collab.hocuspocus.documents.get(name)?.getText('scale-out-probe').toString() ===
          'before. during.' && writer.unsyncedChanges === 0,
    );
    close(writer);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    // Postgres has it without Redis: a server without Redis on the same database loads it.
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: created.url,
      DEMO_DATA: 'false',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const plain = await startServer(parsed.config, createLogger('silent'), { root });
    try {
      await waitFor(
        'the store on A',
        () => !a.collab.hocuspocus.debouncer.isDebounced(`onStoreDocument-${name}`),
        12_000,
      );
      const direct = await plain.collab.hocuspocus.openDirectConnection(name, {});
      expect(direct.document?.getText('scale-out-probe').toString()).toBe('before. during.');
      await direct.disconnect();
    } finally {
      await plain.stop();
    }
    expect(probe(reader).toString()).toBe('before. ');

    // One line per connection for the whole outage, however many reconnection attempts failed.
    expect(logs.lines.filter((line) => line.event === 'redis_unavailable').length).toBeLessThanOrEqual(2);

    await proxy.up();
    // Each connection retries on its own backoff (up to 5 s apart); documents resync once both are back.
    const reconnected = () => logs.lines.filter((line) => line.event === 'redis_reconnected').length;
    await waitFor('both connections back in the log', () => reconnected() === 2, 15_000);
    await waitFor(
      'the change typed during the outage on B',
      () => probe(reader).toString() === 'before. during.',
      15_000,
    );
  }, 60_000);
});
