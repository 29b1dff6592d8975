// Live benchmark: fan-out latency of an edit to N participants of one collaborative-text document, and the
// server's memory per participant, on a bare Hocuspocus server and on Refinery, in the same run. Each server runs
// in a child process (bench/live-server.ts) so its memory excludes the clients, which all run here. Edits
// alternate between the two servers, so a noisy neighbour on the machine hurts both alike.
// Prints numbers; it is not a test.
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fmt, machine, percentile } from './lib';
import type { LiveAnswer, LiveRequest } from './live-server';

const sizes = (process.env.BENCH_LIVE_SIZES ?? '10,50,200').split(',').map(Number);
const edits = Number(process.env.BENCH_LIVE_EDITS ?? 200);
const warmupEdits = 10;
/** Between edits, so each one meets idle servers and clients: latency, not queueing. */
const pauseMs = 20;
const senderCount = 5;
const target = 1.5;
const root = path.resolve(import.meta.dirname, '..');
/** The fragment Refinery's item editor binds (app/domain/item-text.ts), so its store hooks see real edits. */
const fragmentName = 'description';

type Kind = 'bare' | 'refinery';
type Answer<T extends LiveAnswer['type']> = Extract<LiveAnswer, { type: T }>;

/** BENCH_LIVE_NODE_ARGS: extra Node flags for both servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` or `--trace-gc`. */
const nodeArgs = process.env.BENCH_LIVE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

class ServerProcess {
  private readonly child: ChildProcess;
  private exited = false;

  constructor(readonly kind: Kind) {
    this.child = fork(path.join(import.meta.dirname, 'live-server.ts'), [kind], {
      cwd: root,
      execArgv: ['--import', 'tsx', '--expose-gc', ...nodeArgs],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('exit', () => {
      this.exited = true;
    });
  }

  /** The next answer of the child; requests are sent one at a time, so answers arrive in order. */
  private next<T extends LiveAnswer['type']>(type: T): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${this.kind} server exited (${code}) before answering`));
      this.child.once('exit', onExit);
      this.child.once('message', (answer: LiveAnswer) => {
        this.child.off('exit', onExit);
        if (answer.type === type) resolve(answer as Answer<T>);
        else
          reject(
            new Error(
              `${this.kind} server: ${answer.type === 'error' ? answer.message : `unexpected ${answer.type}`}`,
            ),
          );
      });
    });
  }

  get pid() {
    return this.child.pid;
  }

  ready() {
    return this.next('ready');
  }

  ask<T extends 'document' | 'memory' | 'cpu'>(type: T): Promise<Answer<T>> {
    const answer = this.next(type);
    this.child.send({ type } satisfies LiveRequest);
    return answer;
  }

  async stop() {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies LiveRequest);
    const forced = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  }
}

interface Participant {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  doc: Y.Doc;
  /** the paragraph's text, as Tiptap's Collaboration extension holds it: fragment → paragraph → text */
  text: Y.XmlText | null;
}

/** The edit in flight in a room: who sent it, when, and which participants have applied it. */
interface Pending {
  sender: number;
  length: number;
  start: number;
  remaining: number;
  seen: Uint8Array;
  resolve(ms: number): void;
}

class Room {
  participants: Participant[] = [];
  latencies: number[] = [];
  heapPerParticipant = 0;
  rssPerParticipant = 0;
  /** the server's CPU time per edit, stores and timers included: unlike latency, hardly moved by other jobs */
  cpuPerEdit = 0;
  connectMs = 0;
  private pending: Pending | null = null;
  private length = 0;
  private senders: number[] = [];
  /** a participant lost its connection: its reconnect would show up as latency, so the run is void */
  private failure: string | null = null;

  constructor(
    readonly server: ServerProcess,
    readonly url: string,
  ) {}

  async connect(name: string, tokens: string[], n: number) {
    const start = performance.now();
    // Batches: a room fills over seconds, not in one burst that would time out the authentication of the last.
    for (let from = 0; from < n; from += 25) {
      const batch: Promise<void>[] = [];
      for (let i = from; i < Math.min(n, from + 25); i++)
        batch.push(this.join(name, tokens[i % tokens.length], i));
      await Promise.all(batch);
    }
    this.connectMs = performance.now() - start;
    const step = Math.floor(n / senderCount);
    this.senders = Array.from({ length: Math.min(senderCount, n - 1) }, (_, i) => i * step);
  }

  private join(name: string, token: string, index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new HocuspocusProviderWebsocket({
        url: this.url,
        WebSocketPolyfill: WebSocket,
        maxAttempts: 1,
      });
      const timer = setTimeout(
        () => reject(new Error(`${this.server.kind}: participant ${index} not synced after 30 s`)),
        30_000,
      );
      const provider = new HocuspocusProvider({
        name,
        token,
        websocketProvider: socket,
        onSynced: () => {
          clearTimeout(timer);
          resolve();
        },
        onAuthenticationFailed: ({ reason }) =>
          reject(new Error(`${this.server.kind}: participant ${index} refused: ${reason}`)),
        onClose: () => {
          if (this.participants.length > 0)
            this.failure ??= `${this.server.kind}: participant ${index} lost its connection`;
        },
      });
      const participant: Participant = { provider, socket, doc: provider.document, text: null };
      provider.document.on('update', () => this.applied(index));
      this.participants[index] = participant;
      provider.attach();
    });
  }

  private applied(index: number) {
    const pending = this.pending;
    if (!pending || pending.seen[index] || index === pending.sender) return;
    const text = this.participants[index].text;
    if (!text || text.length < pending.length) return;
    pending.seen[index] = 1;
    if (--pending.remaining === 0) {
      this.pending = null;
      pending.resolve(performance.now() - pending.start);
    }
  }

  /**
   * Writes a new first paragraph, as Tiptap would when someone starts typing, and waits until everyone has it.
   * The document may already hold paragraphs (Refinery seeds it from the item's description): counting them
   * tells when the new one has arrived, and being first it is at index 0 everywhere.
   */
  async prepare() {
    const first = this.participants[0].doc.getXmlFragment(fragmentName);
    const paragraphs = first.length + 1;
    first.doc?.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      first.insert(0, [paragraph]);
    });
    const deadline = Date.now() + 30_000;
    for (const participant of this.participants) {
      const fragment = participant.doc.getXmlFragment(fragmentName);
      while (fragment.length < paragraphs) {
        if (Date.now() > deadline)
          throw new Error(`${this.server.kind}: the new paragraph did not reach everyone`);
        await sleep(5);
      }
      participant.text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    }
  }

  /** One participant types a word; resolves with the time until every other participant has applied it. */
  edit(k: number): Promise<number> {
    if (this.failure) throw new Error(this.failure);
    const sender = this.senders[k % this.senders.length];
    const text = this.participants[sender].text as Y.XmlText;
    const word = `w${String(k).padStart(5, '0')} `;
    this.length += word.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.server.kind}: edit ${k} not applied by everyone after 10 s`)),
        10_000,
      );
      this.pending = {
        sender,
        length: this.length,
        start: performance.now(),
        remaining: this.participants.length - 1,
        seen: new Uint8Array(this.participants.length),
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
      };
      // Like a keystroke in Tiptap: one local transaction on the paragraph's text, sent by the provider.
      text.doc?.transact(() => text.insert(text.length, word));
    });
  }

  close() {
    for (const { provider, socket } of this.participants) {
      provider.destroy();
      socket.destroy();
    }
    this.participants = [];
  }
}

// Other jobs on a 2-core machine move the tails more than anything measured here: show how busy it was.
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
console.log(`Refinery live benchmark — ${machine()}, ${load()}`);
console.log(
  `${edits} edits per N from ${senderCount} senders, ${pauseMs} ms apart, after ${warmupEdits} warm-up edits; edits alternate between the servers`,
);

const servers = { bare: new ServerProcess('bare'), refinery: new ServerProcess('refinery') };
const started = performance.now();
const [bareReady, refineryReady] = await Promise.all([servers.bare.ready(), servers.refinery.ready()]);
if (nodeArgs.length > 0)
  console.log(`bare server pid ${servers.bare.pid}, Refinery pid ${servers.refinery.pid}`);
console.log(
  `servers ready in ${((performance.now() - started) / 1000).toFixed(1)} s; Refinery database: ${refineryReady.database}`,
);

type Row = { n: number; bare: Room; refinery: Room };

/** One room of n participants on each server: memory after connecting, then edits alternating between them. */
async function measure(n: number, editCount: number): Promise<Row> {
  const rooms = {
    bare: new Room(servers.bare, bareReady.url),
    refinery: new Room(servers.refinery, refineryReady.url),
  };
  const kinds = ['bare', 'refinery'] as const;
  const documents = {
    bare: await servers.bare.ask('document'),
    refinery: await servers.refinery.ask('document'),
  };
  const before = { bare: await servers.bare.ask('memory'), refinery: await servers.refinery.ask('memory') };
  try {
    for (const kind of kinds) await rooms[kind].connect(documents[kind].name, documents[kind].tokens, n);
    // Lets the last awareness messages and the connections' first timers settle before reading memory.
    await sleep(500);
    for (const kind of kinds) {
      const after = await servers[kind].ask('memory');
      rooms[kind].heapPerParticipant = (after.heapUsed - before[kind].heapUsed) / n;
      rooms[kind].rssPerParticipant = (after.rss - before[kind].rss) / n;
    }
    for (const kind of kinds) await rooms[kind].prepare();
    const cpu = { bare: 0, refinery: 0 };
    for (let k = 0; k < warmupEdits + editCount; k++) {
      if (k === warmupEdits) for (const kind of kinds) cpu[kind] = (await servers[kind].ask('cpu')).micros;
      for (const kind of kinds) {
        const ms = await rooms[kind].edit(k);
        if (k >= warmupEdits) rooms[kind].latencies.push(ms);
        await sleep(pauseMs);
      }
    }
    for (const kind of kinds)
      rooms[kind].cpuPerEdit = ((await servers[kind].ask('cpu')).micros - cpu[kind]) / 1000 / editCount;
  } finally {
    for (const kind of kinds) rooms[kind].close();
  }
  // Lets the servers unload the document (Refinery stores it first) before the next room is measured.
  await sleep(1000);
  return { n, ...rooms };
}

const rows: Row[] = [];
try {
  // Not reported: the first room pays for code compiled and structures allocated once per process.
  await measure(10, 30);
  for (const n of sizes) {
    const row = await measure(n, edits);
    rows.push(row);
    const line = (room: Room) =>
      `p50 ${fmt(percentile(room.latencies, 50))}, p99 ${fmt(percentile(room.latencies, 99))}, max ${fmt(Math.max(...room.latencies))}, server CPU ${fmt(room.cpuPerEdit)} per edit, ${n} connected and synced in ${(room.connectMs / 1000).toFixed(1)} s`;
    console.log(`N=${n}: bare ${line(row.bare)}; Refinery ${line(row.refinery)}`);
  }
} finally {
  await Promise.all([servers.bare.stop(), servers.refinery.stop()]);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log();
console.log(
  '| N | bare p50 / p99 | Refinery p50 / p99 | p99 ratio | heap per participant, bare / Refinery | RSS per participant, bare / Refinery | server CPU per edit, bare / Refinery | target |',
);
console.log('|---|---|---|---|---|---|---|---|');
let met = true;
for (const { n, bare, refinery } of rows) {
  const ratio = percentile(refinery.latencies, 99) / percentile(bare.latencies, 99);
  met &&= ratio <= target;
  console.log(
    `| ${n} | ${fmt(percentile(bare.latencies, 50))} / ${fmt(percentile(bare.latencies, 99))} | ${fmt(percentile(refinery.latencies, 50))} / ${fmt(percentile(refinery.latencies, 99))} | ${ratio.toFixed(2)}× | ${kib(bare.heapPerParticipant)} / ${kib(refinery.heapPerParticipant)} | ${kib(bare.rssPerParticipant)} / ${kib(refinery.rssPerParticipant)} | ${fmt(bare.cpuPerEdit)} / ${fmt(refinery.cpuPerEdit)} | ${ratio <= target ? 'met' : '**not met**'} |`,
  );
}
console.log();
console.log(`finished at ${load()}`);
console.log(
  `target: Refinery p99 within ${target}× the bare server's at every N: ${met ? 'met' : 'NOT met'}`,
);
