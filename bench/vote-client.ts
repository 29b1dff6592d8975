// One client process of the vote-burst benchmark (bench/vote-burst.ts): it holds its share of the participants (one
// provider and one socket each) and does what the parent asks over IPC. The participants are spread over several
// such processes because one process holding all 200, applying every publish in 200 documents, was 70–95 % busy
// during the burst and inflated every figure. Times sent to the parent are wall-clock (`now()`, bench/lib.ts), so the
// parent can compare a time taken here with one taken in another process; the burst's start is such a time too.
import { setTimeout as sleep } from 'node:timers/promises';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readChange, readPublicState, roomNeedsReload, sessionMapName } from '../app/collab/public-state';
import { api, now } from './lib';

/** What a room does when the live document announces a change (BENCH_VOTES_ROOMS, see bench/vote-burst.ts). */
export type RoomsMode = 'live' | 'reload-all' | 'none';

/** A participant: its number in the whole run (0 … N − 1) and its token for the live document. */
export interface Seat {
  index: number;
  token: string;
}

export type VoteRequest =
  /** connects one provider per seat to document `name`; with `rooms`, each reloads its room's data as a room does */
  | {
      type: 'connect';
      url: string;
      name: string;
      seats: Seat[];
      rooms?: { base: string; sessionId: string; mode: RoomsMode };
    }
  /** bare baseline: seat i sets key `participant-i` of the map `votes` at a random moment of the window */
  | { type: 'bare-burst'; startAt: number; withinMs: number; participants: number; agendaSize: number }
  /** Refinery: seat i casts 1 + i mod 3 dots on agenda item i mod |agenda| at a random moment of the window */
  | { type: 'vote'; base: string; sessionId: string; itemIds: string[]; startAt: number; withinMs: number }
  /** answers once every client here shows `count` voters; stops the room reloads */
  | { type: 'await-voters'; count: number }
  /** watches for the reveal; answers `watching` at once and `revealed` once every client here has seen it */
  | { type: 'watch-reveal' }
  | { type: 'close' }
  | { type: 'exit' };

/** What one process used: CPU time (user + system) from the burst's start until it answered, and that span. */
export interface Cpu {
  cpuMs: number;
  spanMs: number;
}

/** What the first participant's document received during the burst. */
export interface Received {
  updates: number;
  bytes: number;
}

export type VoteAnswer =
  | { type: 'connected'; clients: number }
  /** per key, when its seat here sent it, and when the last client here that is not its sender had it */
  | {
      type: 'bare-done';
      sent: Record<string, number>;
      arrived: Record<string, number>;
      received: Received | null;
      cpu: Cpu;
    }
  /** per vote, the HTTP answer's time (ms); the last answer's wall-clock time */
  | {
      type: 'voted';
      times: number[];
      accepted: number;
      dots: number;
      refusals: string[];
      lastAnswerAt: number;
    }
  /** when the last client here first showed `count` voters; room reloads from `connect` until now */
  | {
      type: 'voters-seen';
      at: number;
      received: Received | null;
      reloads: { requests: number; times: number[] };
      cpu: Cpu;
    }
  | { type: 'watching' }
  /** per client, when its document said revealed, when it had the totals (null: not with the reveal) and their sum */
  | { type: 'revealed'; live: number[]; totals: Array<number | null>; totalsSum: Array<number | null> }
  | { type: 'closed' }
  | { type: 'error'; message: string };

interface Client {
  seat: Seat;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
}

const send = (answer: VoteAnswer) => process.send?.(answer);

let clients: Client[] = [];
const stops: Array<() => void> = [];
let reloads = { requests: 0, times: [] as number[] };
let received: Received | null = null;
/** per client, the wall-clock time it first showed at least c voters, at index c */
let reached: number[][] = [];
let burst: { startAt: number; cpu: NodeJS.CpuUsage } | null = null;

/** Connects one provider per seat, 25 at a time, and resolves once all are synced. */
async function connectAll(url: string, name: string, seats: Seat[]): Promise<Client[]> {
  const connected: Client[] = [];
  for (let from = 0; from < seats.length; from += 25) {
    const batch = seats.slice(from, from + 25).map(
      (seat) =>
        new Promise<Client>((resolve, reject) => {
          const socket = new HocuspocusProviderWebsocket({
            url,
            WebSocketPolyfill: WebSocket,
            maxAttempts: 1,
          });
          const timer = setTimeout(
            () => reject(new Error(`client ${seat.index} not synced after 60 s`)),
            60_000,
          );
          const provider = new HocuspocusProvider({
            name,
            token: seat.token,
            websocketProvider: socket,
            onSynced: () => {
              clearTimeout(timer);
              resolve({ seat, provider, socket });
            },
            onAuthenticationFailed: ({ reason }) =>
              reject(new Error(`client ${seat.index} refused: ${reason}`)),
          });
          provider.attach();
        }),
    );
    connected.push(...(await Promise.all(batch)));
  }
  return connected;
}

/** Resolves when `check` holds, polling every few milliseconds; rejects after the timeout. */
async function until(what: string, check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Waits until the shared start time, then notes this process's CPU time so far. */
async function startBurst(startAt: number) {
  const wait = startAt - now();
  if (wait > 0) await sleep(wait);
  burst = { startAt, cpu: process.cpuUsage() };
}

function cpuSinceStart(): Cpu {
  if (!burst) return { cpuMs: 0, spanMs: 0 };
  const { user, system } = process.cpuUsage(burst.cpu);
  return { cpuMs: (user + system) / 1000, spanMs: now() - burst.startAt };
}

/** Counts the updates and bytes the run's first participant (if held here) receives, until `stop`. */
function countReceived(): () => void {
  const first = clients.find((client) => client.seat.index === 0);
  if (!first) return () => {};
  const counted: Received = { updates: 0, bytes: 0 };
  received = counted;
  const count = (update: Uint8Array) => {
    counted.updates += 1;
    counted.bytes += update.length;
  };
  first.provider.document.on('update', count);
  return () => first.provider.document.off('update', count);
}

/**
 * The voting part of the public state, read field by field (the benchmark's own checks; what a room reads, the
 * whole state, is read by the room reloads below).
 */
function votingIn(doc: Y.Doc) {
  const state = doc.getMap(sessionMapName).get('state');
  const voting =
    state instanceof Y.Map ? state.get('voting') : (state as { voting?: unknown } | undefined)?.voting;
  return (voting ?? null) as {
    voterCount?: number;
    revealed?: boolean;
    totals?: Array<{ dots: number }> | null;
  } | null;
}

/**
 * Each client reloads its room's data as a browser's room does: one request at a time, and one more after it when
 * changes came meanwhile. `live`: for the changes a room reloads for; `reload-all`: for every change.
 */
function reloadRooms(rooms: { base: string; sessionId: string; mode: RoomsMode }) {
  if (rooms.mode === 'none') return;
  const call = api(rooms.base);
  for (const { seat, provider } of clients) {
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
        await call('GET', `/sessions/${rooms.sessionId}`, seat.token);
        reloads.requests += 1;
        reloads.times.push(performance.now() - start);
      } while (wanted);
      running = false;
    };
    const map = provider.document.getMap(sessionMapName);
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (!event.keysChanged.has('version')) return;
      if (
        rooms.mode === 'live' &&
        !roomNeedsReload(readChange(provider.document), readPublicState(provider.document))
      )
        return;
      void reload();
    };
    map.observe(onChange);
    stops.push(() => map.unobserve(onChange));
  }
}

/** The bare baseline's burst; answers once every key has reached every client here but its sender. */
async function bareBurst(request: Extract<VoteRequest, { type: 'bare-burst' }>) {
  const held = new Set(clients.map((client) => client.seat.index));
  const sent: Record<string, number> = {};
  const arrived: Record<string, number> = {};
  const seen = new Map<string, number>();
  let complete = 0;
  const expected = (key: string) => clients.length - (held.has(Number(key.slice(12))) ? 1 : 0);
  for (const { provider } of clients) {
    provider.document.getMap('votes').observe((event: Y.YMapEvent<unknown>) => {
      if (event.transaction.local) return;
      const at = now();
      for (const key of event.keysChanged) {
        const count = (seen.get(key) ?? 0) + 1;
        seen.set(key, count);
        if (count === expected(key)) {
          arrived[key] = at;
          complete += 1;
        }
      }
    });
  }
  // A key whose only client here is its sender: nothing to wait for.
  for (let i = 0; i < request.participants; i++) if (expected(`participant-${i}`) === 0) complete += 1;
  const stopCounting = countReceived();
  await startBurst(request.startAt);
  for (const { seat, provider } of clients) {
    setTimeout(
      () => {
        const key = `participant-${seat.index}`;
        sent[key] = now();
        provider.document
          .getMap('votes')
          .set(key, { itemIndex: seat.index % request.agendaSize, dots: 1 + (seat.index % 3) });
      },
      Math.max(0, request.startAt + Math.random() * request.withinMs - now()),
    );
  }
  await until('every bare update at every client', () => complete === request.participants);
  const cpu = cpuSinceStart();
  stopCounting();
  send({ type: 'bare-done', sent, arrived, received, cpu });
}

/** Refinery's burst: every seat here casts its dots at a random moment of the shared window. */
async function vote(request: Extract<VoteRequest, { type: 'vote' }>) {
  const call = api(request.base);
  // Who has voted, as each client's document shows it, from now on (answered later, once the total is known).
  reached = clients.map(({ provider }) => {
    const times: number[] = [];
    let shown = -1;
    const check = () => {
      const count = votingIn(provider.document)?.voterCount ?? 0;
      if (count <= shown) return;
      const at = now();
      for (let c = shown + 1; c <= count; c++) times[c] = at;
      shown = count;
    };
    const map = provider.document.getMap(sessionMapName);
    map.observeDeep(check);
    stops.push(() => map.unobserveDeep(check));
    check();
    return times;
  });
  stops.push(countReceived());
  await startBurst(request.startAt);
  const times: number[] = [];
  const refusals: string[] = [];
  let accepted = 0;
  let dots = 0;
  let lastAnswerAt = 0;
  await Promise.all(
    clients.map(async ({ seat }) => {
      const wait = request.startAt + Math.random() * request.withinMs - now();
      if (wait > 0) await sleep(wait);
      const cast = 1 + (seat.index % 3);
      const start = performance.now();
      const answer = await call('POST', `/sessions/${request.sessionId}/dots`, seat.token, {
        itemId: request.itemIds[seat.index % request.itemIds.length],
        dots: cast,
      });
      times.push(performance.now() - start);
      lastAnswerAt = Math.max(lastAnswerAt, now());
      if (answer.status === 200) {
        accepted += 1;
        dots += cast;
      } else refusals.push(`${answer.status} ${answer.json?.detail ?? ''}`);
    }),
  );
  send({ type: 'voted', times, accepted, dots, refusals, lastAnswerAt });
}

async function awaitVoters(count: number) {
  await until(`every client to show ${count} voters`, () =>
    reached.every((times) => times[count] !== undefined),
  );
  const cpu = cpuSinceStart();
  for (const stop of stops.splice(0)) stop();
  const at = count === 0 ? (burst?.startAt ?? now()) : Math.max(...reached.map((times) => times[count]));
  send({ type: 'voters-seen', at, received, reloads, cpu });
}

/** Per client, when its live document says "revealed", and whether the totals came with it. */
function watchReveal() {
  const live: number[] = new Array(clients.length).fill(0);
  const totals: Array<number | null> = new Array(clients.length).fill(null);
  const totalsSum: Array<number | null> = new Array(clients.length).fill(null);
  let remaining = clients.length;
  clients.forEach(({ provider }, i) => {
    const map = provider.document.getMap(sessionMapName);
    const check = () => {
      const voting = votingIn(provider.document);
      if (live[i] > 0 || voting?.revealed !== true) return;
      live[i] = now();
      if (voting.totals) {
        totals[i] = live[i];
        totalsSum[i] = voting.totals.reduce((sum, item) => sum + item.dots, 0);
      }
      map.unobserveDeep(check);
      if (--remaining === 0) send({ type: 'revealed', live, totals, totalsSum });
    };
    map.observeDeep(check);
  });
  send({ type: 'watching' });
  const timer = setTimeout(() => {
    if (remaining > 0)
      send({ type: 'error', message: `${remaining} clients did not see the reveal in 60 s` });
  }, 60_000);
  timer.unref();
}

async function handle(request: VoteRequest) {
  switch (request.type) {
    case 'connect':
      clients = await connectAll(request.url, request.name, request.seats);
      reloads = { requests: 0, times: [] };
      received = null;
      burst = null;
      if (request.rooms) reloadRooms(request.rooms);
      send({ type: 'connected', clients: clients.length });
      return;
    case 'bare-burst':
      return bareBurst(request);
    case 'vote':
      return vote(request);
    case 'await-voters':
      return awaitVoters(request.count);
    case 'watch-reveal':
      return watchReveal();
    case 'close':
      for (const stop of stops.splice(0)) stop();
      for (const { provider, socket } of clients) {
        provider.destroy();
        socket.destroy();
      }
      clients = [];
      send({ type: 'closed' });
      return;
    case 'exit':
      process.exit(0);
  }
}

process.on('message', (request: VoteRequest) => {
  handle(request).catch((error) =>
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
