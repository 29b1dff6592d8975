// What the live benchmarks that spread their participants over several client processes share (bench/meetings.ts,
// bench/fanout.ts): the child processes (servers from bench/live-server.ts, clients from bench/meetings-client.ts)
// and one meeting: N participants join one document, one types words at 20 Hz while the others read, then everyone
// writes once within a second, then everyone leaves.
import { Child, cpuSets, pin } from './lib';
import type { LiveAnswer, LiveRequest, ServerKind } from './live-server';
import {
  burstWordLength,
  type ClientAnswer,
  type ClientRequest,
  type Protocol,
  wordLength,
} from './meetings-client';

/** 20 Hz */
export const intervalMs = 50;
export const burstWithinMs = 1000;

export type Server = Child<LiveRequest, LiveAnswer>;
export type Client = Child<ClientRequest, ClientAnswer>;

/** BENCH_LIVE_NODE_ARGS: extra Node flags for the servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const nodeArgs = process.env.BENCH_LIVE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

export function startServer(kind: ServerKind): Server {
  return new Child<LiveRequest, LiveAnswer>(
    `${kind} server`,
    'live-server.ts',
    [kind],
    ['--expose-gc', ...nodeArgs],
    cpuSets.server,
  );
}

export function startClients(count: number): Client[] {
  // The benchmark's own process times the words too: it shares the clients' cores.
  pin(process.pid, cpuSets.client);
  return Array.from(
    { length: count },
    (_, i) =>
      new Child<ClientRequest, ClientAnswer>(
        `client ${i}`,
        'meetings-client.ts',
        [],
        ['--max-old-space-size=2048', '--expose-gc'],
        cpuSets.client,
      ),
  );
}

/** The protocol a server speaks: every server but the y-websocket reference speaks Hocuspocus's. */
export const protocolOf = (kind: ServerKind): Protocol =>
  kind === 'ywebsocket' ? 'y-websocket' : 'hocuspocus';

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export interface Meeting {
  /** per typed word, the time until every other participant had it */
  latencies: number[];
  lost: number;
  burstMs: number;
  joinMs: number;
  /** the server's CPU time while the words were typed and read, ms (when the caller can ask it) */
  typingCpuMs: number | null;
}

export interface Left {
  heapUsed: number;
  cpuMicros: number;
}

/**
 * One meeting on `document`, its N participants spread over the client processes (participant i in process
 * i mod count; the writer, 0, in the first). Resolves with the fan-out of the typed words and the burst's
 * completion; `left` then holds what each client process reported once everyone left.
 */
export async function meeting(
  clients: Client[],
  target: { url: string; protocol: Protocol },
  document: { name: string; tokens: string[] },
  n: number,
  edits: number,
  left: (reports: Left[]) => void = () => {},
  /** the server's CPU time so far, ms: asked right before the words are typed and once every reader has them */
  serverCpuMs?: () => Promise<number>,
): Promise<Meeting> {
  const share = (c: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % clients.length === c);
  const joined = await Promise.all(
    clients.map((client, c) =>
      client.ask(
        { type: 'join', ...target, name: document.name, tokens: document.tokens, indices: share(c) },
        'joined',
      ),
    ),
  );
  try {
    const { paragraphs } = await clients[0].ask({ type: 'prepare' }, 'prepared');
    const watched = clients.map((client) => client.next('watched'));
    await Promise.all(clients.map((client) => client.ask({ type: 'locate', paragraphs, edits }, 'located')));
    const cpuBefore = await serverCpuMs?.();
    const { sent } = await clients[0].ask({ type: 'type', edits, intervalMs }, 'typed');
    const arrivals = await Promise.all(watched);
    const typingCpuMs = cpuBefore === undefined || !serverCpuMs ? null : (await serverCpuMs()) - cpuBefore;
    const latencies: number[] = [];
    let lost = 0;
    for (let k = 0; k < edits; k++) {
      // A word one participant never had is NaN, which arrives over IPC (JSON) as null.
      const last = Math.max(...arrivals.map((a) => a.arrived[k] ?? Number.NaN));
      if (Number.isNaN(last)) lost++;
      else latencies.push(last - sent[k]);
    }
    const bursts = await Promise.all(
      clients.map((client) =>
        client.ask(
          {
            type: 'burst',
            withinMs: burstWithinMs,
            expectedLength: edits * wordLength + n * burstWordLength,
          },
          'burst-done',
        ),
      ),
    );
    const lastSent = Math.max(...bursts.flatMap((b) => b.sent));
    const lastDone = Math.max(...bursts.flatMap((b) => b.done));
    return {
      latencies,
      lost,
      burstMs: lastDone - lastSent,
      joinMs: Math.max(...joined.map((j) => j.ms)),
      typingCpuMs,
    };
  } finally {
    left(await Promise.all(clients.map((client) => client.ask({ type: 'leave' }, 'left'))));
  }
}
