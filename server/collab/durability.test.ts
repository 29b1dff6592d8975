import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { itemDocument } from '../../app/domain/document-names';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { openDatabase } from '../../db/client';
import { createTestDatabaseUrl } from '../../db/test-database';
import { serverBundle } from '../../scripts/prepare.mjs';

/**
 * Durability of collaborative text against a crash: the real server as a child process, three real clients
 * typing into one item document, the server killed with SIGKILL mid-typing and restarted on the same data.
 * Runs on the Postgres server when DATABASE_URL is set (a start takes about a second), otherwise on embedded
 * PGlite (a start takes a few seconds).
 */
const root = path.resolve(import.meta.dirname, '../..');
const sessionSecret = 'durability-test-secret-0123456789abcdef';
const cycles = 10;
const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Child {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every server started, so that none outlives the suite (e.g. one still starting when a hook timed out). */
const children: Child[] = [];

/** The server as `npm start` runs it, on a fixed port so that clients can reconnect to its next run. */
async function startServer(env: Record<string, string | undefined>): Promise<Child> {
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child: Child = {
    process: spawn(process.execPath, [serverBundle], {
      cwd: root,
      env: { ...inherited, NODE_ENV: 'production', HOST: '127.0.0.1', SESSION_SECRET: sessionSecret, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    stdout: '',
    stderr: '',
    exited: Promise.resolve({ code: null, signal: null }),
  };
  child.exited = new Promise((resolve) =>
    child.process.on('exit', (code, signal) => resolve({ code, signal })),
  );
  children.push(child);
  child.process.stdout?.on('data', (chunk) => {
    child.stdout += chunk;
  });
  child.process.stderr?.on('data', (chunk) => {
    child.stderr += chunk;
  });
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  await waitFor('the server to start', () => /running at http/.test(child.stderr) || exited, 40_000);
  if (exited) throw new Error(`The server did not start:\n${child.stderr}\n${child.stdout}`);
  return child;
}

const logEvents = (child: Child) =>
  child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string });

/** Every token typed in these tests: client letter, cycle, running number. */
const tokenPattern = /\[[A-Z]\d+\.\d+\]/g;
const tokensIn = (text: string): string[] => [...text.matchAll(tokenPattern)].map((match) => match[0]);

interface Typist {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  letter: string;
  typed: string[];
  /** how many of `typed` (the first ones) the server has acknowledged */
  acknowledged: number;
  /** frozen at the kill: acknowledgements seen afterwards belong to the next run */
  frozen: boolean;
}

describe(`collaborative text across kill -9 of the server (${backend})`, () => {
  let dataDir: string;
  let created: { url: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  let server: Child | undefined;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let documentName: string;
  let url: string;
  const providers: HocuspocusProvider[] = [];
  /** time spent waiting for the server to start, reported with the test's duration */
  let startingMs = 0;
  /** one line per step, printed at the end: where the time went, or how far a failed run got */
  const progress: string[] = [];
  const restart = async () => {
    const began = Date.now();
    server = await startServer(env);
    startingMs += Date.now() - began;
    progress.push(`started in ${Date.now() - began} ms`);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-durability-'));
    created = backend === 'postgres' ? await createTestDatabaseUrl() : undefined;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: created?.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
    };
    // Data of its own, written before the first start (an embedded PGlite folder is open in one process at a time).
    const database = created
      ? await openDatabase({ url: created.url, max: 2 })
      : await openDatabase({ dataDir });
    try {
      team = await seedTeam(database.db);
      const item = await createItem(database.db, team.productId, team.po, { title: 'Typed through crashes' });
      documentName = itemDocument(item.id);
    } finally {
      await database.close();
    }
    server = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    if (progress.length > 0) console.info(progress.join('\n'));
    for (const provider of providers) {
      provider.configuration.websocketProvider.destroy();
      provider.destroy();
    }
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The product owner types, and so do a team member and the owner in a second tab; all may edit items. */
  function provider(letter = 'verifier') {
    const userId = letter === 'B' ? team.dev : team.po;
    const socket = new HocuspocusProviderWebsocket({
      url: `${url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      delay: 100,
      minDelay: 100,
      maxDelay: 500,
      jitter: false,
    });
    const created = new HocuspocusProvider({
      name: documentName,
      token: issueLiveToken(sessionSecret, userId, 'user', 600),
      websocketProvider: socket,
    });
    created.attach();
    providers.push(created);
    return { provider: created, socket, letter };
  }

  const textOf = (p: HocuspocusProvider) => p.document.getText('durability').toString();
  const settled = (p: HocuspocusProvider) => p.isSynced && p.unsyncedChanges === 0;

  /** What the server holds after a restart, before any of the open clients is back: a fresh client loads it. */
  async function storedText(): Promise<string> {
    const verifier = provider();
    await waitFor('the verifier to sync', () => verifier.provider.isSynced);
    const text = textOf(verifier.provider);
    verifier.socket.destroy();
    verifier.provider.destroy();
    return text;
  }

  it('loses no acknowledged character over 10 kills mid-typing, and the open clients converge with nothing lost', async () => {
    const started = Date.now();
    const typists: Typist[] = ['A', 'B', 'C'].map((letter) => {
      const typist: Typist = { ...provider(letter), typed: [], acknowledged: 0, frozen: false };
      // The server answers a connection's updates in order, one answer each, and the provider counts the updates
      // still unanswered: everything typed but the last `number` tokens is acknowledged.
      typist.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
        if (!typist.frozen) typist.acknowledged = Math.max(typist.acknowledged, typist.typed.length - number);
      });
      return typist;
    });
    await waitFor('the typists to sync', () => typists.every((t) => settled(t.provider)));

    let acknowledgedBeforeKill = 0;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      // Three people typing at once, at the start, the end or between two earlier tokens.
      let typing = true;
      const typed = typists.map(async (typist) => {
        for (let n = 1; typing; n++) {
          const token = `[${typist.letter}${cycle}.${n}]`;
          const text = typist.provider.document.getText('durability');
          const boundaries = [
            0,
            text.length,
            ...[...text.toString().matchAll(/\]/g)].map((m) => m.index + 1),
          ];
          typist.typed.push(token);
          text.insert(boundaries[Math.floor(Math.random() * boundaries.length)], token);
          await sleep(3 + Math.random() * 6);
        }
      });
      // Killed mid-typing, once this run has acknowledged something (a busy machine may take a while).
      const acknowledgedAtStart = typists.map((t) => t.acknowledged);
      await waitFor('an acknowledgement', () =>
        typists.some((t, i) => t.acknowledged > acknowledgedAtStart[i]),
      );
      await sleep(100 + Math.random() * 250);
      server!.process.kill('SIGKILL');
      for (const typist of typists) typist.frozen = true;
      typing = false;
      await Promise.all(typed);
      expect(await server!.exited).toMatchObject({ signal: 'SIGKILL' });
      // The open clients wait (as a laptop on a train would) until the stored state has been checked.
      for (const typist of typists) typist.socket.disconnect();

      await restart();
      const stored = tokensIn(await storedText());
      progress.push(`cycle ${cycle}: ${stored.length} tokens stored`);
      const acknowledged = typists.flatMap((t) => t.typed.slice(0, t.acknowledged));
      const missing = acknowledged.filter((token) => !stored.includes(token));
      expect(missing, `cycle ${cycle}: acknowledged but not stored`).toEqual([]);
      expect(new Set(stored).size, `cycle ${cycle}: a token stored twice`).toBe(stored.length);
      // This run acknowledged something before the kill; otherwise the check above would prove nothing.
      expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeKill);
      acknowledgedBeforeKill = acknowledged.length;

      for (const typist of typists) {
        typist.frozen = false;
        void typist.socket.connect();
      }
      await waitFor(
        'the open clients to re-send what the server lacked and converge',
        () =>
          typists.every((t) => settled(t.provider)) &&
          typists.every((t) => textOf(t.provider) === textOf(typists[0].provider)),
        15_000,
      );
      const converged = tokensIn(textOf(typists[0].provider));
      const everything = typists.flatMap((t) => t.typed);
      expect(everything.filter((token) => !converged.includes(token))).toEqual([]);
      expect(converged).toHaveLength(everything.length);
      for (const typist of typists) typist.acknowledged = typist.typed.length;
    }

    // A clean stop (SIGTERM) with the clients still open still exits 0 and stores everything.
    server!.process.kill('SIGTERM');
    expect(await server!.exited).toMatchObject({ code: 0 });
    expect(logEvents(server!).map((e) => e.event)).not.toContain('collab_unsaved_at_shutdown');
    for (const typist of typists) typist.socket.disconnect();
    await restart();
    const final = tokensIn(await storedText());
    expect(final.sort()).toEqual(typists.flatMap((t) => t.typed).sort());
    console.info(
      `durability on ${backend}: ${cycles} kills, ${final.length} tokens typed by 3 clients, ` +
        `${Date.now() - started} ms of which ${startingMs} ms starting the server`,
    );
  }, 300_000); // Generous: a PGlite start takes seconds, and several times that on a busy machine.
});
