// One server of the live benchmarks, in a process of its own so that its memory is measured without the clients'.
// `bare`: Hocuspocus with no extensions; `ywebsocket`: the y-websocket reference server (`@y/websocket-server`, no
// persistence); `refinery`: the whole product (startServer). Driven by bench/live.ts, bench/meetings.ts and
// bench/fanout.ts over IPC; see LiveRequest / LiveAnswer below. Run with --expose-gc so memory is read after a full collection.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { itemDocument } from '../app/domain/document-names';
import { issueLiveToken } from '../app/domain/signed-token';
import { signUp } from '../app/services/accounts.server';
import { createItem } from '../app/services/backlog/items.server';
import { acceptInvite, createInvite } from '../app/services/invites.server';
import { seedTeam } from '../app/services/testing/team.server';
import { startServer } from '../server/app-server';
import { parseConfig } from '../server/config';
import { createLogger } from '../server/logger';

/** `bare-twin`: bare Hocuspocus again, in a process of its own: the control that shows how far two equal servers differ. */
export type ServerKind = 'bare' | 'bare-twin' | 'ywebsocket' | 'refinery';
export type LiveRequest =
  | { type: 'document' }
  | { type: 'memory' }
  | { type: 'cpu' }
  /** starts a CPU profile of this process, or stops it and writes it to `file` */
  | { type: 'profile'; file?: string }
  | { type: 'stop' };
export type LiveAnswer =
  | { type: 'ready'; url: string; database: string }
  | { type: 'document'; name: string; tokens: string[] }
  | { type: 'memory'; heapUsed: number; rss: number; external: number }
  /** CPU time used by the process so far (user + system), in microseconds */
  | { type: 'cpu'; micros: number }
  | { type: 'profile' }
  | { type: 'error'; message: string };

interface Target {
  url: string;
  database: string;
  document(): Promise<{ name: string; tokens: string[] }>;
  stop(): Promise<void>;
}

const send = (answer: LiveAnswer) => process.send?.(answer);

async function bare(): Promise<Target> {
  const server = new Server({ port: 0, quiet: true, stopOnSignals: false });
  await server.listen();
  return {
    url: `ws://127.0.0.1:${server.address.port}`,
    database: 'none',
    // Same name shape as Refinery's so both servers hash and route the same kind of string.
    document: async () => ({ name: itemDocument(randomUUID()), tokens: ['bare'] }),
    stop: () => server.destroy(),
  };
}

/** The reference server as its README runs it: a plain HTTP server, `ws`, one document per socket. */
async function yWebsocket(): Promise<Target> {
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket, request) => setupWSConnection(socket, request));
  http.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `ws://127.0.0.1:${address.port}`,
    database: 'none',
    document: async () => ({ name: itemDocument(randomUUID()), tokens: ['none'] }),
    async stop() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** Team members the participants share: tokens are per user, and a room holds a handful of people's devices. */
const members = 12;

async function refinery(): Promise<Target> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-bench-live-'));
  const parsed = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const server = await startServer(parsed.config, createLogger('silent'), {
    root: path.resolve(import.meta.dirname, '..'),
  });
  const db = server.database.db;
  const team = await seedTeam(db, 'Live bench');
  const editors = [team.po, team.dev];
  for (let i = editors.length; i < members; i++) {
    const user = await signUp(db, {
      email: `live-${i}-${randomUUID()}@example.com`,
      displayName: `Member ${i}`,
      password: team.password,
    });
    const invite = await createInvite(db, team.productId, team.po, { role: 'team_member', expiresInDays: 1 });
    await acceptInvite(db, invite.token, user.id);
    editors.push(user.id);
  }
  // Long enough to outlive a run: an expired token would turn a slow run into refused reconnects.
  const tokens = editors.map((id) => issueLiveToken(server.services.secret, id, 'user', 3600));
  let count = 0;
  return {
    url: `${server.url.replace(/^http/, 'ws')}/collab`,
    database: server.database.kind,
    async document() {
      const item = await createItem(db, team.productId, team.po, { title: `Live bench item ${++count}` });
      return { name: itemDocument(item.id), tokens };
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let profiler: Session | null = null;
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    profiler?.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

/** Only the part of a run asked for (a measured meeting), not the start-up: `--cpu-prof` profiles the whole process. */
async function profile(file?: string) {
  if (!file) {
    profiler = new Session();
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  const { profile: written } = (await post('Profiler.stop')) as { profile: object };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(written));
  profiler?.disconnect();
  profiler = null;
}

function collect() {
  // Several passes: one collection can leave garbage that only a later one frees (weak references, finalizers).
  for (let i = 0; i < 3; i++) globalThis.gc?.();
}

const kind = process.argv[2];
const starts: Record<ServerKind, () => Promise<Target>> = {
  bare,
  'bare-twin': bare,
  ywebsocket: yWebsocket,
  refinery,
};
if (!(kind in starts)) throw new Error(`usage: live-server.ts ${Object.keys(starts).join('|')}`);
if (!globalThis.gc) throw new Error('run with --expose-gc');

try {
  const target = await starts[kind as ServerKind]();
  process.on('message', async (request: LiveRequest) => {
    try {
      if (request.type === 'document') {
        send({ type: 'document', ...(await target.document()) });
      } else if (request.type === 'memory') {
        collect();
        const { heapUsed, rss, external } = process.memoryUsage();
        send({ type: 'memory', heapUsed, rss, external });
      } else if (request.type === 'cpu') {
        const { user, system } = process.cpuUsage();
        send({ type: 'cpu', micros: user + system });
      } else if (request.type === 'profile') {
        await profile(request.file);
        send({ type: 'profile' });
      } else if (request.type === 'stop') {
        await target.stop();
        process.disconnect();
      }
    } catch (error) {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  send({ type: 'ready', url: target.url, database: target.database });
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect();
}
