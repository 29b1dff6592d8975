// Vote-burst benchmark (issue 5): 200 guests join a prioritisation session through the real join path, connect to
// its live document, all cast their dots within one second, then the facilitator reveals; how long until every
// client has the revealed totals. Beside it, in the same run, a bare baseline: 200 clients write a vote each
// straight into one Y.Map on a bare Hocuspocus server, and the time until every other client has each update.
// Each server runs in a child process (this file, with an argument); the clients all run here. Prints measured
// numbers; it is not a test.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { readChange, readPublicState, roomNeedsReload } from '../app/collab/public-state';
import { fmt, machine, percentile } from './lib';

const participants = Number(process.env.BENCH_VOTES_PARTICIPANTS ?? 200);
/** every vote is sent at a random moment of this window */
const burstMs = 1000;
const agendaSize = 8;
const target = 2;
const root = path.resolve(import.meta.dirname, '..');
/** BENCH_VOTES_LOG_LEVEL: the Refinery server's log level, `error` by default (its JSON lines go to this output). */
const logLevel = process.env.BENCH_VOTES_LOG_LEVEL ?? 'error';
/** BENCH_VOTES_NODE_ARGS: extra Node flags for both servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const nodeArgs = process.env.BENCH_VOTES_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
/**
 * BENCH_VOTES_ROOMS: what each client does when the live document announces a change, as a browser's room does.
 * `live` (default): reloads the room's data (`GET /sessions/{id}`, one at a time, coalesced) for the changes a room
 * reloads for (`roomNeedsReload`; votes before the reveal are not among them). `reload-all`: for every change, as
 * rooms did before. `none`: never (the clients only follow the live document).
 */
const roomsMode = (process.env.BENCH_VOTES_ROOMS ?? 'live') as 'live' | 'reload-all' | 'none';

type Ready = {
  type: 'ready';
  url: string;
  database?: string;
  token?: string;
  productId?: string;
  itemIds?: string[];
};

// ---------------------------------------------------------------------------------------------------------------
// The servers (child processes)

async function serveBare() {
  const { Server } = await import('@hocuspocus/server');
  const server = new Server({ port: 0, quiet: true, stopOnSignals: false });
  await server.listen();
  return {
    ready: { type: 'ready', url: `ws://127.0.0.1:${server.address.port}` } as Ready,
    stop: () => server.destroy(),
  };
}

async function serveRefinery() {
  const [
    { startServer },
    { parseConfig },
    { createLogger },
    { seedTeam },
    { createItem },
    { createApiToken },
  ] = await Promise.all([
    import('../server/app-server'),
    import('../server/config'),
    import('../server/logger'),
    import('../app/services/testing/team.server'),
    import('../app/services/backlog/items.server'),
    import('../app/services/api-tokens.server'),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-bench-votes-'));
  const parsed = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: logLevel,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    // Every guest joins from this one address: the join limit (per address) would refuse all but 30.
    GUEST_JOINS_PER_MINUTE: '100000',
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const server = await startServer(parsed.config, createLogger(logLevel), { root });
  const db = server.database.db;
  const team = await seedTeam(db, 'Vote burst');
  const itemIds: string[] = [];
  for (let i = 1; i <= agendaSize; i++)
    itemIds.push((await createItem(db, team.productId, team.po, { title: `Candidate ${i}` })).id);
  const { token } = await createApiToken(db, team.po, 'vote-burst bench');
  return {
    ready: {
      type: 'ready',
      url: server.url,
      database: server.database.kind,
      token,
      productId: team.productId,
      itemIds,
    } as Ready,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function runServer(kind: string) {
  try {
    const served = kind === 'bare' ? await serveBare() : await serveRefinery();
    process.on('message', async () => {
      await served.stop();
      process.disconnect();
    });
    process.send?.(served.ready);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
    process.disconnect();
  }
}

function startChild(kind: 'bare' | 'refinery'): Promise<{ ready: Ready; stop(): Promise<void> }> {
  const child: ChildProcess = fork(import.meta.filename, ['serve', kind], {
    cwd: root,
    execArgv: ['--import', 'tsx', ...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before it was ready`)));
    child.once('message', (ready: Ready) =>
      resolve({
        ready,
        async stop() {
          child.send('stop');
          const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(forced);
        },
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The clients

interface Client {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
}

/** Connects `n` providers to one document, 25 at a time, and resolves once all are synced. */
async function connectAll(url: string, name: string, tokens: string[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (let from = 0; from < tokens.length; from += 25) {
    const batch = tokens.slice(from, from + 25).map(
      (token, offset) =>
        new Promise<Client>((resolve, reject) => {
          const socket = new HocuspocusProviderWebsocket({
            url,
            WebSocketPolyfill: WebSocket,
            maxAttempts: 1,
          });
          const timer = setTimeout(
            () => reject(new Error(`client ${from + offset} not synced after 30 s`)),
            30_000,
          );
          const provider = new HocuspocusProvider({
            name,
            token,
            websocketProvider: socket,
            onSynced: () => {
              clearTimeout(timer);
              resolve({ provider, socket });
            },
            onAuthenticationFailed: ({ reason }) =>
              reject(new Error(`client ${from + offset} refused: ${reason}`)),
          });
          provider.attach();
        }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

function closeAll(clients: Client[]) {
  for (const { provider, socket } of clients) {
    provider.destroy();
    socket.destroy();
  }
}

/** Resolves when `check` holds, polling every few milliseconds; rejects after the timeout. */
async function until(what: string, check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The bare baseline: each client sets its own key of one map once; per update, the time until all others have it. */
async function bareBurst(url: string) {
  const clients = await connectAll(
    url,
    'votes',
    Array.from({ length: participants }, () => 'bare'),
  );
  const sentAt = new Map<string, number>();
  const seenBy = new Map<string, number>();
  const latencies: number[] = [];
  for (const { provider } of clients) {
    provider.document.getMap('votes').observe((event: Y.YMapEvent<unknown>) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const seen = (seenBy.get(key) ?? 0) + 1;
        seenBy.set(key, seen);
        if (seen === participants - 1) latencies.push(now - (sentAt.get(key) as number));
      }
    });
  }
  const received = { updates: 0, bytes: 0 };
  clients[0].provider.document.on('update', (update: Uint8Array) => {
    received.updates += 1;
    received.bytes += update.length;
  });
  const started = performance.now();
  clients.forEach(({ provider }, i) => {
    setTimeout(() => {
      const key = `participant-${i}`;
      sentAt.set(key, performance.now());
      provider.document.getMap('votes').set(key, { itemIndex: i % agendaSize, dots: 1 + (i % 3) });
    }, Math.random() * burstMs);
  });
  await until('every bare update at every client', () => latencies.length === participants);
  const spanMs = performance.now() - started;
  closeAll(clients);
  return { latencies, spanMs, received };
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several operations
  json: any;
}

/**
 * JSON over HTTP, one connection per request (no keep-alive): a reused idle socket that the server closes at the
 * same moment fails the request (ECONNRESET), which a busy 2-core machine makes likely between phases.
 */
function api(base: string) {
  return (method: string, route: string, token: string | null, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        `${base}/api/v1${route}`,
        {
          method,
          agent: false,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            try {
              resolve({ status, json: text ? JSON.parse(text) : null });
            } catch {
              resolve({ status, json: { detail: text.slice(0, 200) } });
            }
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

/** What a client's session document says about the results: revealed or not, and the dot totals once revealed. */
const totalsIn = (provider: HocuspocusProvider) =>
  (readPublicState(provider.document) as { voting?: { totals?: Array<{ dots: number }> | null } } | null)
    ?.voting?.totals ?? null;
const revealedIn = (provider: HocuspocusProvider) =>
  (readPublicState(provider.document) as { voting?: { revealed?: boolean } } | null)?.voting?.revealed ===
  true;

async function refineryBurst(ready: Ready) {
  const call = api(ready.url);
  const po = ready.token as string;
  const itemIds = ready.itemIds as string[];
  const created = await call('POST', `/products/${ready.productId}/sessions`, po, {
    title: 'Vote burst',
    kind: 'prioritisation',
    agenda: itemIds,
    methods: ['dots'],
  });
  if (created.status !== 201)
    throw new Error(`session not created: ${created.status} ${JSON.stringify(created.json)}`);
  const sessionId = created.json.id as string;
  const opened = await call('POST', `/sessions/${sessionId}/voting/open`, po, {});
  if (opened.status !== 204) throw new Error(`voting not opened: ${opened.status}`);

  // Joins: through POST /join/{code} as a guest's browser does, 25 at a time.
  const joinStarted = performance.now();
  const joinTimes: number[] = [];
  const guests: Array<{ participantId: string; guestToken: string; documentName: string }> = [];
  let refusedJoins = 0;
  const joinRefusals: string[] = [];
  for (let from = 0; from < participants; from += 25) {
    const batch = Array.from({ length: Math.min(25, participants - from) }, async (_, offset) => {
      const start = performance.now();
      const joined = await call('POST', `/join/${created.json.joinCode}`, null, {
        displayName: `Guest ${from + offset + 1}`,
      });
      joinTimes.push(performance.now() - start);
      if (joined.status === 201) guests.push(joined.json);
      else {
        refusedJoins += 1;
        joinRefusals.push(`${joined.status} ${joined.json?.detail ?? ''}`);
      }
    });
    await Promise.all(batch);
  }
  const joinMs = performance.now() - joinStarted;
  if (guests.length === 0) throw new Error('no guest could join');
  const documentName = guests[0].documentName;
  const wsUrl = `${ready.url.replace(/^http/, 'ws')}/collab`;
  const clients = await connectAll(
    wsUrl,
    documentName,
    guests.map((guest) => guest.guestToken),
  );

  // Each client reloads its room's data as a browser's room does (BENCH_VOTES_ROOMS): one request at a time, and
  // one more after it when changes came meanwhile.
  const reloads = { requests: 0, times: [] as number[] };
  const stopReloads: Array<() => void> = [];
  if (roomsMode !== 'none') {
    clients.forEach(({ provider }, i) => {
      let running = false;
      let wanted = false;
      const reload = async () => {
        if (running) {
          wanted = true;
          return;
        }
        running = true;
        do {
          wanted = false;
          const start = performance.now();
          await call('GET', `/sessions/${sessionId}`, guests[i].guestToken);
          reloads.requests += 1;
          reloads.times.push(performance.now() - start);
        } while (wanted);
        running = false;
      };
      const map = provider.document.getMap('session');
      const onChange = (event: Y.YMapEvent<unknown>) => {
        if (!event.keysChanged.has('version')) return;
        if (
          roomsMode === 'live' &&
          !roomNeedsReload(readChange(provider.document), readPublicState(provider.document))
        )
          return;
        void reload();
      };
      map.observe(onChange);
      stopReloads.push(() => map.unobserve(onChange));
    });
  }

  // What one client receives while the others vote: the live document's updates, their count and size.
  const received = { updates: 0, bytes: 0 };
  const countUpdate = (update: Uint8Array) => {
    received.updates += 1;
    received.bytes += update.length;
  };
  clients[0].provider.document.on('update', countUpdate);
  // The burst: every guest casts its dots at a random moment of one second.
  const voteTimes: number[] = [];
  let accepted = 0;
  let dotsAccepted = 0;
  const refusals: string[] = [];
  const voteStarted = performance.now();
  await Promise.all(
    guests.map(async (guest, i) => {
      await sleep(Math.random() * burstMs);
      const dots = 1 + (i % 3);
      const start = performance.now();
      const answer = await call('POST', `/sessions/${sessionId}/dots`, guest.guestToken, {
        itemId: itemIds[i % agendaSize],
        dots,
      });
      voteTimes.push(performance.now() - start);
      if (answer.status === 200) {
        accepted += 1;
        dotsAccepted += dots;
      } else refusals.push(`${answer.status} ${answer.json?.detail ?? ''}`);
    }),
  );
  const voteSpanMs = performance.now() - voteStarted;
  // Before the reveal, every client has applied every vote's publish ("who has voted"): the reveal then meets
  // idle clients, and what it measures is the reveal, not a backlog of earlier messages in this process.
  const voterCount = (provider: HocuspocusProvider) =>
    (readPublicState(provider.document) as { voting?: { voterCount?: number } } | null)?.voting?.voterCount ??
    0;
  await until('every client to show every voter', () =>
    clients.every(({ provider }) => voterCount(provider) >= accepted),
  );
  const votesSeenMs = performance.now() - voteStarted;
  clients[0].provider.document.off('update', countUpdate);
  for (const stop of stopReloads) stop();
  const reloadsDuringBurst = { requests: reloads.requests, times: [...reloads.times] };
  await sleep(500);

  // The reveal: per client, when its live document says "revealed" with the dot totals (decision record 0010: the
  // live document carries the totals once revealed, never who put dots where).
  const liveMs: number[] = new Array(clients.length);
  const totalsMs: number[] = new Array(clients.length);
  const totalsSeen: number[] = new Array(clients.length);
  let revealAnswerMs = 0;
  const revealStarted = performance.now();
  clients.forEach(({ provider }, i) => {
    const check = () => {
      if (liveMs[i] !== undefined || !revealedIn(provider)) return;
      liveMs[i] = performance.now() - revealStarted;
      const totals = totalsIn(provider);
      if (totals) {
        totalsMs[i] = liveMs[i];
        totalsSeen[i] = totals.reduce((sum, item) => sum + item.dots, 0);
      }
      provider.document.getMap('session').unobserveDeep(check);
    };
    provider.document.getMap('session').observeDeep(check);
  });
  const revealed = await call('POST', `/sessions/${sessionId}/voting/reveal`, po, {});
  revealAnswerMs = performance.now() - revealStarted;
  if (revealed.status !== 204) throw new Error(`reveal refused: ${revealed.status}`);
  await until(
    'every client to see the reveal',
    () => liveMs.filter((ms) => ms !== undefined).length === clients.length,
  );
  closeAll(clients);
  // One results request at a time, on an idle server: what each of the burst's requests costs on its own.
  const resultsAlone: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await call('GET', `/sessions/${sessionId}/results`, guests[i % guests.length].guestToken);
    resultsAlone.push(performance.now() - start);
  }
  const counted = (await call('GET', `/sessions/${sessionId}/results`, po)).json.items as Array<{
    dots: number;
  }>;
  return {
    joins: guests.length,
    refusedJoins,
    joinRefusals,
    joinMs,
    joinTimes,
    accepted,
    dotsAccepted,
    dotsCounted: counted.reduce((sum, item) => sum + item.dots, 0),
    refusals,
    voteTimes,
    voteSpanMs,
    votesSeenMs,
    received,
    reloadsDuringBurst,
    revealAnswerMs,
    liveMs,
    totalsMs,
    resultsAlone,
    wrongTotals: totalsSeen.filter((total) => total !== dotsAccepted).length,
  };
}

// ---------------------------------------------------------------------------------------------------------------

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

async function main() {
  console.log(`Refinery vote-burst benchmark — ${machine()}, ${load()}`);
  console.log(
    `${participants} participants, every vote sent at a random moment of ${burstMs} ms; rooms: ${roomsMode}`,
  );
  const [bare, refinery] = await Promise.all([startChild('bare'), startChild('refinery')]);
  try {
    console.log(`servers ready; Refinery database: ${refinery.ready.database}`);
    const baseline = await bareBurst(bare.ready.url);
    console.log(
      `bare: ${participants} updates, every one at all ${participants - 1} other clients; p50 ${fmt(percentile(baseline.latencies, 50))}, p99 ${fmt(percentile(baseline.latencies, 99))}, max ${fmt(Math.max(...baseline.latencies))}`,
    );
    const run = await refineryBurst(refinery.ready);
    const allCounted =
      run.accepted === participants && run.dotsCounted === run.dotsAccepted && run.wrongTotals === 0;
    const ratio = percentile(run.totalsMs, 99) / percentile(baseline.latencies, 99);
    console.log(
      `Refinery: joins ${run.joins} of ${participants} in ${(run.joinMs / 1000).toFixed(1)} s (per join p50 ${fmt(percentile(run.joinTimes, 50))}, p99 ${fmt(percentile(run.joinTimes, 99))}); ` +
        `votes accepted ${run.accepted} of ${participants} in ${(run.voteSpanMs / 1000).toFixed(2)} s (per vote p50 ${fmt(percentile(run.voteTimes, 50))}, p99 ${fmt(percentile(run.voteTimes, 99))}), every voter shown at every client after ${(run.votesSeenMs / 1000).toFixed(2)} s; ` +
        `dots accepted ${run.dotsAccepted}, counted in the results ${run.dotsCounted}; reveal answered in ${fmt(run.revealAnswerMs)}`,
    );
    if (run.joinRefusals.length > 0)
      console.log(`refused joins: ${[...new Set(run.joinRefusals)].join('; ')}`);
    if (run.refusals.length > 0) console.log(`refused votes: ${[...new Set(run.refusals)].join('; ')}`);
    console.log();
    console.log('| what | p50 | p99 | max |');
    console.log('|---|---|---|---|');
    const row = (what: string, samples: number[]) =>
      console.log(
        `| ${what} | ${fmt(percentile(samples, 50))} | ${fmt(percentile(samples, 99))} | ${fmt(Math.max(...samples))} |`,
      );
    row(`bare: an update at all ${participants - 1} other clients`, baseline.latencies);
    row('Refinery: a guest joins (HTTP)', run.joinTimes);
    row('Refinery: a vote is accepted (HTTP)', run.voteTimes);
    if (run.reloadsDuringBurst.times.length > 0)
      row(`Refinery: a room reloads its data during the burst (${roomsMode})`, run.reloadsDuringBurst.times);
    row('Refinery: reveal → the client’s live document says revealed', run.liveMs);
    row('Refinery: reveal → the client has the totals (in its live document)', run.totalsMs);
    row('Refinery: one GET results alone, idle server (20 in a row)', run.resultsAlone);
    console.log();
    console.log(
      `joins completed: ${run.joins}/${participants}; votes accepted: ${run.accepted}/${participants}; every vote counted: ${allCounted ? 'yes' : 'NO'}`,
    );
    console.log(
      `reveal p99 (totals at every client) ${fmt(percentile(run.totalsMs, 99))} = ${ratio.toFixed(2)}× the bare update p99; target ≤ ${target}× and every vote counted: ${ratio <= target && allCounted ? 'met' : 'NOT met'}`,
    );
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(
      `one client received during the burst: bare ${baseline.received.updates} updates, ${kib(baseline.received.bytes)}; Refinery ${run.received.updates} updates, ${kib(run.received.bytes)}`,
    );
    console.log(
      `rooms (${roomsMode}): ${run.reloadsDuringBurst.requests} room reloads by the ${participants} clients during the burst`,
    );
    console.log(`finished at ${load()}`);
  } finally {
    await Promise.all([bare.stop(), refinery.stop()]);
  }
}

if (process.argv[2] === 'serve') await runServer(process.argv[3]);
else await main();
