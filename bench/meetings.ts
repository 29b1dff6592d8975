// Meetings benchmark (issue 14): several consecutive "meetings" on ONE running server and ONE item document, on a
// bare Hocuspocus server and on Refinery in the same run, to show whether a long-lived server slows down meeting
// after meeting. A meeting: N participants connect (spread over several client processes, bench/meetings-client.ts)
// and announce their presence as the item editor does; one of them types a word at 20 Hz into the description
// while the others read; then every participant writes once within a second; then all leave. Printed per meeting:
// the fan-out latency of the typed words (until every other participant has one), the burst's completion, and the
// server's heap after a full GC once everyone has left (servers run in child processes, bench/live-server.ts).
// Prints numbers; it is not a test.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, load, machine, percentile, pinning } from './lib';
import {
  burstWithinMs,
  type Left,
  type Meeting as MeetingResult,
  mib,
  meeting as runMeeting,
  type Server,
  startClients,
  startServer,
} from './meeting-runner';
import { readerMode } from './meetings-client';

const meetings = Number(process.env.BENCH_MEETINGS ?? 5);
const size = Number(process.env.BENCH_MEETINGS_N ?? 200);
const edits = Number(process.env.BENCH_MEETINGS_EDITS ?? 200);
const clientCount = Number(process.env.BENCH_MEETINGS_CLIENTS ?? 4);
const kinds = (process.env.BENCH_MEETINGS_SERVERS ?? 'bare,refinery').split(',') as Kind[];
/** After everyone left: the last stores, compaction and unload happen in this time. */
const settleMs = Number(process.env.BENCH_MEETINGS_SETTLE_MS ?? 3000);
/**
 * One more participant keeps the item open through all meetings (a product owner's tab), so the document stays
 * loaded and whatever the server keeps per document shows; BENCH_MEETINGS_OBSERVER=0: nobody, the document is
 * unloaded after each meeting and loaded again (Refinery from its store; the bare server starts empty).
 */
const observer = process.env.BENCH_MEETINGS_OBSERVER !== '0';
/** BENCH_MEETINGS_PROFILES=<folder>: a CPU profile of each server during each measured meeting, written there. */
const profiles = process.env.BENCH_MEETINGS_PROFILES;
const targetLatency = 1.2;
const targetHeap = 1.1;

type Kind = 'bare' | 'refinery';

interface Meeting extends MeetingResult {
  heapAfter: number;
  /** the server's CPU time during the meeting (user + system): unlike latency, hardly moved by other jobs */
  cpuMs: number;
  /** all client processes' CPU time during the meeting, and the heaviest one's heap after it */
  clientCpuMs: number;
  clientHeap: number;
}

console.log(`Refinery meetings benchmark — ${machine()}, ${load()}; ${pinning()}`);
console.log(
  `${meetings} meetings of ${size} participants over ${clientCount} client processes on one server and one document each; ${edits} words at 20 Hz, then everyone writes once within ${burstWithinMs} ms, then everyone leaves${observer ? ' (one observer stays throughout)' : ''}; servers: ${kinds.join(', ')}; a word counts when it reaches a reader's ${readerMode === 'socket' ? 'socket (BENCH_LIVE_READERS=socket)' : 'document (BENCH_LIVE_READERS=apply)'}`,
);

const servers = Object.fromEntries(kinds.map((kind) => [kind, startServer(kind)])) as Record<Kind, Server>;
const clients = startClients(clientCount);

let left: Left[] = [];
const clientCpu = () => left.reduce((sum, l) => sum + l.cpuMicros, 0) / 1000;

async function meeting(
  url: string,
  document: { name: string; tokens: string[] },
  n: number,
): Promise<Meeting> {
  // Both servers of this benchmark speak Hocuspocus's protocol.
  const result = await runMeeting(clients, { url, protocol: 'hocuspocus' }, document, n, edits, (reports) => {
    left = reports;
  });
  return { ...result, heapAfter: 0, cpuMs: 0, clientCpuMs: 0, clientHeap: 0 };
}

async function heap(server: Server) {
  return (await server.ask({ type: 'memory' }, 'memory')).heapUsed;
}

const results: Record<string, { before: number; meetings: Meeting[] }> = {};
try {
  const ready = Object.fromEntries(
    await Promise.all(kinds.map(async (kind) => [kind, await servers[kind].next('ready')] as const)),
  );
  const documents = Object.fromEntries(
    await Promise.all(
      kinds.map(async (kind) => [kind, await servers[kind].ask({ type: 'document' }, 'document')] as const),
    ),
  );
  console.log(
    `servers ready${kinds.includes('refinery') ? `; Refinery database: ${ready.refinery.database}` : ''}`,
  );
  if (observer)
    for (const kind of kinds)
      await clients[0].ask(
        {
          type: 'observe',
          url: ready[kind].url,
          protocol: 'hocuspocus',
          name: documents[kind].name,
          token: documents[kind].tokens[0],
        },
        'observing',
      );
  // Not counted: a small first meeting compiles the code paths and allocates what a process allocates once.
  for (const kind of kinds) await meeting(ready[kind].url, documents[kind], Math.min(size, 10 * clientCount));
  await sleep(settleMs);
  for (const kind of kinds) results[kind] = { before: await heap(servers[kind]), meetings: [] };
  console.log(
    `heap before the meetings: ${kinds.map((kind) => `${kind} ${mib(results[kind].before)}`).join(', ')}`,
  );
  for (let m = 1; m <= meetings; m++) {
    // Alternating between the servers, so other jobs on the machine hurt both alike.
    for (const kind of kinds) {
      const cpuBefore = (await servers[kind].ask({ type: 'cpu' }, 'cpu')).micros;
      const clientCpuBefore = clientCpu();
      if (profiles) await servers[kind].ask({ type: 'profile' }, 'profile');
      const result = await meeting(ready[kind].url, documents[kind], size);
      if (profiles)
        await servers[kind].ask(
          { type: 'profile', file: path.join(profiles, `meeting${m}-${kind}.cpuprofile`) },
          'profile',
        );
      result.clientCpuMs = clientCpu() - clientCpuBefore;
      result.clientHeap = Math.max(...left.map((l) => l.heapUsed));
      await sleep(settleMs);
      result.cpuMs = ((await servers[kind].ask({ type: 'cpu' }, 'cpu')).micros - cpuBefore) / 1000;
      result.heapAfter = await heap(servers[kind]);
      results[kind].meetings.push(result);
      console.log(
        `meeting ${m}, ${kind}: p50 ${fmt(percentile(result.latencies, 50))}, p99 ${fmt(percentile(result.latencies, 99))}, max ${fmt(Math.max(...result.latencies))}${result.lost ? `, ${result.lost} edits not seen by everyone` : ''}; burst complete ${fmt(result.burstMs)} after the last write; joined in ${(result.joinMs / 1000).toFixed(1)} s; server CPU ${(result.cpuMs / 1000).toFixed(1)} s; heap after ${mib(result.heapAfter)}; clients' CPU ${(result.clientCpuMs / 1000).toFixed(1)} s, heaviest client heap ${mib(result.clientHeap)}; ${load()}`,
      );
    }
  }
} finally {
  await Promise.all([
    ...kinds.map((kind) => servers[kind].stop({ type: 'stop' })),
    ...clients.map((client) => client.stop({ type: 'exit' })),
  ]);
}

console.log();
const numbers = Array.from({ length: meetings }, (_, i) => i + 1);
console.log(
  `| server | ${numbers.map((m) => `meeting ${m} p50 / p99`).join(' | ')} | p50 ${meetings}/1 | p99 ${meetings}/1 | server CPU per meeting | heap before → after each meeting | heap last/before | target |`,
);
console.log(`|---|${numbers.map(() => '---|').join('')}---|---|---|---|---|---|`);
let met = true;
for (const kind of kinds) {
  const { before, meetings: list } = results[kind];
  const first = list[0];
  const last = list[list.length - 1];
  const p50 = percentile(last.latencies, 50) / percentile(first.latencies, 50);
  const p99 = percentile(last.latencies, 99) / percentile(first.latencies, 99);
  const heapRatio = last.heapAfter / before;
  const ok = p50 <= targetLatency && p99 <= targetLatency && heapRatio <= targetHeap;
  if (kind === 'refinery') met = ok;
  const cells = list.map((r) => `${fmt(percentile(r.latencies, 50))} / ${fmt(percentile(r.latencies, 99))}`);
  console.log(
    `| ${kind} | ${cells.join(' | ')} | ${p50.toFixed(2)}× | ${p99.toFixed(2)}× | ${list.map((r) => (r.cpuMs / 1000).toFixed(1)).join(', ')} s | ${mib(before)} → ${list.map((r) => mib(r.heapAfter)).join(', ')} | ${heapRatio.toFixed(2)}× | ${ok ? 'met' : '**not met**'} |`,
  );
}
console.log();
console.log(`finished at ${load()}`);
if (kinds.includes('refinery'))
  console.log(
    `target: Refinery's last meeting within ${targetLatency}× the first (p50 and p99), heap within ${Math.round((targetHeap - 1) * 100)}% of before: ${met ? 'met' : 'NOT met'}`,
  );
