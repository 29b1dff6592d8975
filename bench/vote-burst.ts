// Vote-burst benchmark (issue 5; issue 14 part 3): 200 guests join a prioritisation session through the real join
// path, connect to its live document, all cast their dots within one second, then the facilitator reveals; per vote
// the HTTP answer's time, and how long until every client has the revealed totals. Beside it, in the same run, a
// bare baseline: 200 clients write a vote each straight into one Y.Map on a bare Hocuspocus server, and the time
// until every other client has each update. Each server runs in a child process (this file, with an argument). The
// clients are spread over BENCH_VOTES_PROCESSES client processes (bench/vote-client.ts, 4 by default; one process
// holding all 200 was the bottleneck): this process creates the session and does the joins, then tells each client
// process its guests; they send their votes at random moments of one second that starts at a wall-clock time sent
// from here, and report their times on one clock (`now()`, bench/lib.ts) and their CPU time during the burst.
// Prints measured numbers; it is not a test.
//
//   npm run build && npm run bench:votes
//   BENCH_VOTES_PARTICIPANTS=40 BENCH_VOTES_PROCESSES=4 npm run bench:votes   # a quick look
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, Child, fmt, load, machine, now, percentile } from './lib';
import type { Cpu, RoomsMode, Seat, VoteAnswer, VoteRequest } from './vote-client';

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
const roomsMode = (process.env.BENCH_VOTES_ROOMS ?? 'live') as RoomsMode;
/** BENCH_VOTES_PROCESSES: how many client processes share the participants (participant i in process i mod n). */
const processCount = Math.max(1, Math.min(participants, Number(process.env.BENCH_VOTES_PROCESSES ?? 4)));

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
// The clients: client processes (bench/vote-client.ts), participant i in process i mod their count

type VoteClient = Child<VoteRequest, VoteAnswer>;
type Connect = Extract<VoteRequest, { type: 'connect' }>;

function startClients(): VoteClient[] {
  return Array.from(
    { length: processCount },
    (_, i) => new Child<VoteRequest, VoteAnswer>(`vote client ${i}`, 'vote-client.ts', [], []),
  );
}

/** A wall-clock start time every client process shares: far enough ahead that each has its request by then. */
const startTime = () => now() + 500;

async function connect(clients: VoteClient[], request: Omit<Connect, 'type' | 'seats'>, seats: Seat[]) {
  await Promise.all(
    clients.map((client, c) =>
      client.ask(
        { type: 'connect', ...request, seats: seats.filter((seat) => seat.index % clients.length === c) },
        'connected',
      ),
    ),
  );
}

async function closeAll(clients: VoteClient[]) {
  await Promise.all(clients.map((client) => client.ask({ type: 'close' }, 'closed')));
}

/**
 * The bare baseline: each participant sets its own key of one map once; per update, the time from its sending
 * until all other participants have it, the latest receiver over all client processes.
 */
async function bareBurst(clients: VoteClient[], url: string) {
  const seats = Array.from({ length: participants }, (_, index) => ({ index, token: 'bare' }));
  await connect(clients, { url, name: 'votes' }, seats);
  const startAt = startTime();
  const done = await Promise.all(
    clients.map((client) =>
      client.ask({ type: 'bare-burst', startAt, withinMs: burstMs, participants, agendaSize }, 'bare-done'),
    ),
  );
  await closeAll(clients);
  const sent: Record<string, number> = Object.assign({}, ...done.map((d) => d.sent));
  if (Object.keys(sent).length !== participants)
    throw new Error(`bare: ${Object.keys(sent).length} of ${participants} updates sent`);
  const latencies = Object.entries(sent).map(
    ([key, at]) => Math.max(...done.map((d) => d.arrived[key] ?? at)) - at,
  );
  const received = done.find((d) => d.received)?.received ?? { updates: 0, bytes: 0 };
  return { latencies, received, cpu: done.map((d) => d.cpu) };
}

async function refineryBurst(clients: VoteClient[], ready: Ready) {
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

  // Joins, from this process: through POST /join/{code} as a guest's browser does, 25 at a time.
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
  if (guests.length < clients.length) throw new Error(`only ${guests.length} guests could join`);

  // Each client process connects its guests' providers; each client reloads its room's data as a browser's room
  // does (BENCH_VOTES_ROOMS).
  await connect(
    clients,
    {
      url: `${ready.url.replace(/^http/, 'ws')}/collab`,
      name: guests[0].documentName,
      rooms: { base: ready.url, sessionId, mode: roomsMode },
    },
    guests.map((guest, index) => ({ index, token: guest.guestToken })),
  );

  // The burst: every guest casts its dots at a random moment of one second, the same second in every process.
  const startAt = startTime();
  const voted = await Promise.all(
    clients.map((client) =>
      client.ask({ type: 'vote', base: ready.url, sessionId, itemIds, startAt, withinMs: burstMs }, 'voted'),
    ),
  );
  const accepted = voted.reduce((sum, v) => sum + v.accepted, 0);
  const dotsAccepted = voted.reduce((sum, v) => sum + v.dots, 0);
  const voteSpanMs = Math.max(...voted.map((v) => v.lastAnswerAt)) - startAt;
  // Before the reveal, every client has applied every vote's publish ("who has voted"): the reveal then meets
  // idle clients, and what it measures is the reveal, not a backlog of earlier messages.
  const seen = await Promise.all(
    clients.map((client) => client.ask({ type: 'await-voters', count: accepted }, 'voters-seen')),
  );
  const votesSeenMs = Math.max(...seen.map((s) => s.at)) - startAt;
  await sleep(500);

  // The reveal: per client, when its live document says "revealed" with the dot totals (decision record 0010: the
  // live document carries the totals once revealed, never who put dots where), against when it was requested.
  const revealed = Promise.all(clients.map((client) => client.next('revealed')));
  revealed.catch(() => {});
  await Promise.all(clients.map((client) => client.ask({ type: 'watch-reveal' }, 'watching')));
  const revealSent = now();
  const revealAnswer = await call('POST', `/sessions/${sessionId}/voting/reveal`, po, {});
  const revealAnswerMs = now() - revealSent;
  if (revealAnswer.status !== 204) throw new Error(`reveal refused: ${revealAnswer.status}`);
  const reveals = await Promise.all(clients.map(async (_, c) => (await revealed)[c]));
  await closeAll(clients);
  const liveMs = reveals.flatMap((r) => r.live.map((at) => at - revealSent));
  const totalsMs = reveals.flatMap((r) => r.totals.flatMap((at) => (at === null ? [] : [at - revealSent])));
  const totalsSum = reveals.flatMap((r) => r.totalsSum);

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
    refusals: voted.flatMap((v) => v.refusals),
    voteTimes: voted.flatMap((v) => v.times),
    voteSpanMs,
    votesSeenMs,
    received: seen.find((s) => s.received)?.received ?? { updates: 0, bytes: 0 },
    reloadsDuringBurst: {
      requests: seen.reduce((sum, s) => sum + s.reloads.requests, 0),
      times: seen.flatMap((s) => s.reloads.times),
    },
    revealAnswerMs,
    liveMs,
    totalsMs,
    resultsAlone,
    // A client whose document had no totals with the reveal counts as wrong.
    wrongTotals: totalsSum.filter((total) => total !== dotsAccepted).length,
    cpu: seen.map((s) => s.cpu),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** The client processes' CPU time during a burst, and the busiest one's share of a core over its span. */
const cpuLine = (cpu: Cpu[]) =>
  `${cpu.map((c) => (c.cpuMs / 1000).toFixed(2)).join(', ')} s in ${(Math.max(...cpu.map((c) => c.spanMs)) / 1000).toFixed(2)} s (busiest ${Math.round(100 * Math.max(...cpu.map((c) => c.cpuMs / c.spanMs)))} % of a core)`;

async function main() {
  console.log(`Refinery vote-burst benchmark — ${machine()}, ${load()}`);
  console.log(
    `${participants} participants over ${processCount} client processes, every vote sent at a random moment of one shared ${burstMs} ms; rooms: ${roomsMode}`,
  );
  const clients = startClients();
  const servers = Promise.all([startChild('bare'), startChild('refinery')]);
  servers.catch(() => {});
  try {
    const [bare, refinery] = await servers;
    try {
      console.log(`servers ready; Refinery database: ${refinery.ready.database}`);
      const baseline = await bareBurst(clients, bare.ready.url);
      console.log(
        `bare: ${participants} updates, every one at all ${participants - 1} other clients; p50 ${fmt(percentile(baseline.latencies, 50))}, p99 ${fmt(percentile(baseline.latencies, 99))}, max ${fmt(Math.max(...baseline.latencies))}`,
      );
      const run = await refineryBurst(clients, refinery.ready);
      report(baseline, run);
    } finally {
      await Promise.all([bare.stop(), refinery.stop()]);
    }
  } finally {
    await Promise.all(clients.map((client) => client.stop({ type: 'exit' })));
  }
}

function report(
  baseline: Awaited<ReturnType<typeof bareBurst>>,
  run: Awaited<ReturnType<typeof refineryBurst>>,
) {
  const allCounted =
    run.accepted === participants && run.dotsCounted === run.dotsAccepted && run.wrongTotals === 0;
  const ratio = percentile(run.totalsMs, 99) / percentile(baseline.latencies, 99);
  console.log(
    `Refinery: joins ${run.joins} of ${participants} in ${(run.joinMs / 1000).toFixed(1)} s (per join p50 ${fmt(percentile(run.joinTimes, 50))}, p99 ${fmt(percentile(run.joinTimes, 99))}); ` +
      `votes accepted ${run.accepted} of ${participants} in ${(run.voteSpanMs / 1000).toFixed(2)} s (per vote p50 ${fmt(percentile(run.voteTimes, 50))}, p99 ${fmt(percentile(run.voteTimes, 99))}), every voter shown at every client after ${(run.votesSeenMs / 1000).toFixed(2)} s; ` +
      `dots accepted ${run.dotsAccepted}, counted in the results ${run.dotsCounted}; reveal answered in ${fmt(run.revealAnswerMs)}`,
  );
  if (run.joinRefusals.length > 0) console.log(`refused joins: ${[...new Set(run.joinRefusals)].join('; ')}`);
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
    `client processes: ${processCount}; their CPU time during the burst (from its start until every update, or every voter, was at every client): bare ${cpuLine(baseline.cpu)}; Refinery ${cpuLine(run.cpu)}`,
  );
  console.log(
    `joins completed: ${run.joins}/${participants}; votes accepted: ${run.accepted}/${participants}; every vote counted: ${allCounted ? 'yes' : 'NO'}${run.wrongTotals > 0 ? ` (${run.wrongTotals} clients without the right totals)` : ''}`,
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
}

if (process.argv[2] === 'serve') await runServer(process.argv[3]);
else await main();
