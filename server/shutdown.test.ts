import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { productDocument } from '../app/domain/document-names';
import { issueLiveToken } from '../app/domain/signed-token';
import { openDatabase } from '../db/client';
import { backlogItems, products, users } from '../db/schema';
import { demoPeople } from '../db/seed/demo';
import { createTestDatabaseUrl, testBackends } from '../db/test-database';
import { serverBundle } from '../scripts/prepare.mjs';

/** The real process, as a child: the server bundle run with plain node, as `npm start` runs it. */
const root = path.resolve(import.meta.dirname, '..');
const sessionSecret = 'shutdown-test-secret-0123456789abcdef';

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Child {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  exited: Promise<void>;
}

const children: Child[] = [];

function spawnServer(env: Record<string, string | undefined>): Child {
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child: Child = {
    process: spawn(process.execPath, [serverBundle], {
      cwd: root,
      env: {
        ...inherited,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        SESSION_SECRET: sessionSecret,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    stdout: '',
    stderr: '',
    exit: null,
    exited: Promise.resolve(),
  };
  child.process.stdout?.on('data', (chunk) => {
    child.stdout += chunk;
  });
  child.process.stderr?.on('data', (chunk) => {
    child.stderr += chunk;
  });
  child.exited = new Promise((resolve) => {
    child.process.on('exit', (code, signal) => {
      child.exit = { code, signal };
      resolve();
    });
  });
  children.push(child);
  return child;
}

/** Starts the server and resolves with its URL, read from the line it prints when it is ready. */
async function startServer(env: Record<string, string | undefined>): Promise<Child & { url: string }> {
  const child = spawnServer(env);
  const ready = () => /running at (http:\/\/\S+)/.exec(child.stderr)?.[1];
  // The first start on an empty PGlite folder creates the cluster, migrates and seeds: several seconds on 2 cores.
  await waitFor('the server to start', () => Boolean(ready()) || child.exit !== null, 40_000);
  if (!ready()) throw new Error(`The server did not start (exit ${child.exit?.code}):\n${child.stderr}`);
  return Object.assign(child, { url: ready()! });
}

/** Sends the signal and resolves with the exit and how long it took. */
async function stopWith(child: Child, signal: NodeJS.Signals) {
  const sent = Date.now();
  child.process.kill(signal);
  await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 12_000))]);
  return { ...child.exit, ms: Date.now() - sent };
}

const logEvents = (child: Child) =>
  child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string; signal?: string });

afterAll(async () => {
  for (const child of children) {
    if (child.exit === null) child.process.kill('SIGKILL');
  }
  await Promise.all(children.map((child) => child.exited));
});

describe.each(testBackends)('the process on %s', (kind) => {
  let dataDir: string;
  let created: { url: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-process-'));
    created = kind === 'postgres' ? await createTestDatabaseUrl() : undefined;
    env = { DATA_DIR: dataDir, DATABASE_URL: created?.url, DEMO_DATA: 'true', LOG_LEVEL: 'info' };
  });

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  afterAll(async () => {
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the server wrote, read while it is stopped (a PGlite folder is open in one process at a time). */
  async function snapshot() {
    const database = created
      ? await openDatabase({ url: created.url, max: 2 })
      : await openDatabase({ dataDir });
    try {
      const db = database.db;
      const [owner] = await db.select().from(users).where(eq(users.email, demoPeople[0].email));
      const allProducts = await db.select().from(products);
      const [{ people }] = await db.select({ people: count() }).from(users);
      const [{ items }] = await db.select({ items: count() }).from(backlogItems);
      return { ownerId: owner?.id, productIds: allProducts.map((p) => p.id), people, items };
    } finally {
      await database.close();
    }
  }

  it('starts with demo data, and on SIGTERM while in use stops cleanly and exits 0 within 10 s', async () => {
    const server = await startServer(env);
    expect(server.stderr).toContain(demoPeople[0].email);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: kind });

    // A live socket that is open but not yet authenticated, as a browser tab mid-connect.
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab`);
    cleanups.push(() => socket.terminate());
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));

    const stopped = await stopWith(server, 'SIGTERM');
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(10_000);
    await socketClosed;
    const events = logEvents(server);
    expect(events).toContainEqual(expect.objectContaining({ event: 'stopping', signal: 'SIGTERM' }));
    expect(events.at(-1)).toMatchObject({ event: 'stopped' });
  }, 60_000);

  it('keeps its data across a restart without seeding twice, and SIGINT with a live client also exits 0', async () => {
    const before = await snapshot();
    expect(before.productIds).toHaveLength(1);
    expect(before.people).toBe(demoPeople.length);
    expect(before.items).toBeGreaterThanOrEqual(25);

    const server = await startServer(env);
    // The demo logins are printed again, so a restarted server still tells people how to log in.
    expect(server.stderr).toContain(demoPeople[0].email);

    const websocketProvider = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      maxAttempts: 1,
    });
    const provider = new HocuspocusProvider({
      name: productDocument(before.productIds[0]),
      token: issueLiveToken(sessionSecret, before.ownerId!, 'user'),
      websocketProvider,
    });
    cleanups.push(() => {
      provider.destroy();
      websocketProvider.destroy();
    });
    provider.attach();
    await waitFor('the live client to sync', () => provider.isSynced);

    const stopped = await stopWith(server, 'SIGINT');
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(10_000);
    expect(logEvents(server)).toContainEqual(
      expect.objectContaining({ event: 'stopping', signal: 'SIGINT' }),
    );
    expect(logEvents(server).at(-1)).toMatchObject({ event: 'stopped' });
    await waitFor('the live client to see the close', () => !provider.isSynced);

    expect(await snapshot()).toEqual(before);
  }, 60_000);
});

describe('the process with a bad configuration', () => {
  it('exits 1 with one line on stderr that names the variable', async () => {
    const child = spawnServer({ PORT: 'abc' });
    await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    expect(child.exit).toMatchObject({ code: 1 });
    const lines = child.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\bPORT\b/);
    expect(child.stdout).toBe('');
  });
});
