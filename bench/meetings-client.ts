// One client process of the meetings benchmark (bench/meetings.ts): it holds its share of a meeting's participants
// (one provider and one socket each) and does what the parent asks over IPC. Participants are spread over several
// such processes because one client process, not the server, becomes the bottleneck at 200 participants.
// Times are absolute (performance.timeOrigin + performance.now()) so the parent can compare them across processes.
import { setTimeout as sleep } from 'node:timers/promises';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readVarUint } from '../server/collab/hocuspocus-internals';

/** Hocuspocus's (many documents over one socket) or y-websocket's (one document per socket, its name in the URL). */
export type Protocol = 'hocuspocus' | 'y-websocket';

export type ClientRequest =
  | { type: 'join'; url: string; protocol: Protocol; name: string; tokens: string[]; indices: number[] }
  /** the writer adds this meeting's paragraph at the top of the fragment */
  | { type: 'prepare' }
  /** every participant waits for the paragraph (the fragment holds `paragraphs`) and starts watching its text */
  | { type: 'locate'; paragraphs: number; edits: number }
  | { type: 'type'; edits: number; intervalMs: number }
  | { type: 'burst'; withinMs: number; expectedLength: number }
  | { type: 'leave' }
  /** someone who keeps the item open through every meeting (a product owner's tab): the document stays loaded */
  | { type: 'observe'; url: string; protocol: Protocol; name: string; token: string }
  | { type: 'exit' };

export type ClientAnswer =
  | { type: 'joined'; ms: number }
  | { type: 'prepared'; paragraphs: number }
  | { type: 'located' }
  /** the writer's send times, one per edit */
  | { type: 'typed'; sent: number[] }
  /** per edit, the time the last participant of this process had it (NaN when one never did) */
  | { type: 'watched'; arrived: number[] }
  | { type: 'burst-done'; sent: number[]; done: number[] }
  /** this process's heap once everyone left (after a GC when exposed) and its CPU time so far, in microseconds */
  | { type: 'left'; heapUsed: number; cpuMicros: number }
  | { type: 'observing' }
  | { type: 'error'; message: string };

/** The fragment Refinery's item editor binds (app/domain/item-text.ts). */
const fragmentName = 'description';
/** Every typed word has this length (`w00042 `), so a text's length tells how many edits it holds. */
export const wordLength = 7;
/** Every burst word has this length (`p042 `). */
export const burstWordLength = 5;

// y-websocket's provider adds a process exit listener per provider; 50 of them in one process are expected here.
process.setMaxListeners(0);

const now = () => performance.timeOrigin + performance.now();
const send = (answer: ClientAnswer) => process.send?.(answer);

/**
 * BENCH_LIVE_READERS: when a reader counts as having a typed word. `socket` (the default): when the update that
 * holds it arrives on its socket; while the words are typed, the readers' providers are handed nothing else of the
 * document, and apply the held updates in one go once the words are counted. `apply`: when its provider has applied
 * the update to its document, one by one, as a browser tab would.
 *
 * Why `socket` is the default: applying an update costs a Yjs document time in proportion to the number of client
 * ids it has ever seen (its state vector is read at the start and end of every transaction), and a meeting adds
 * 200. In a real meeting each participant's own machine pays that once per word (well under a millisecond); here
 * 199 readers share the machine's two cores with the server, so by the fifth meeting on one document the readers'
 * CPU triples and becomes the latency measured, on a bare server as much as on Refinery (bench/README.md).
 *
 * `socket` readers hold the presence frames that arrive while words are counted as well (the typist's caret moves
 * with each word) and hand them to their providers, in order, once the words are counted: Hocuspocus's provider
 * turns every presence change into an array of all N states, twice, so 50 readers in one process paid O(N) each
 * per keystroke (a browser pays it once). The server sends every frame either way (decision record 0048).
 */
export type ReaderMode = 'socket' | 'apply';
export const readerMode: ReaderMode = process.env.BENCH_LIVE_READERS === 'apply' ? 'apply' : 'socket';

interface Participant {
  index: number;
  /** the provider: the origin of updates it applied itself, which it does not send back */
  origin: unknown;
  /** `socket` readers: the document's updates held back while the typed words are counted */
  held: Uint8Array[] | null;
  /** `socket` readers: the presence frames held back meanwhile, each with the listener it was for */
  heldPresence: Array<() => void>;
  /** `socket` readers: which typed words this participant has had */
  had: Uint8Array | null;
  /** sets one field of this participant's presence */
  present(field: string, value: unknown): void;
  destroy(): void;
  doc: Y.Doc;
  text: Y.XmlText | null;
  /** edits this participant has seen so far */
  seen: number;
  /** its place in this process's list */
  position: number;
}

let participants: Participant[] = [];
let watch: { edits: number; arrived: number[]; remaining: number[]; resolve: () => void } | null = null;
let failure: string | null = null;
let baseLength = 0;
let burst: { expectedLength: number; done: number[]; remaining: number; resolve: () => void } | null = null;

/** As the item editor does it (app/collab/use-item-text.ts): who, where, whether typing; plus the caret. */
function caret(participant: Participant) {
  const text = participant.text;
  if (!text) return;
  participant.present('cursor', {
    anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length)),
    head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length)),
  });
}

/** One typed word at this participant: the last participant to get it writes the last time. */
function arrived(w: NonNullable<typeof watch>, k: number, at: number) {
  w.arrived[k] = at;
  if (--w.remaining[k] === 0 && k === w.edits - 1) w.resolve();
}

/** Both protocols number their messages alike: 0 sync, 1 presence (awareness). */
const syncMessage = 0;
const presenceMessage = 1;

/**
 * What a message holds: the Yjs update of a sync "update" message, `presence` for a presence frame, or null for
 * anything else (Hocuspocus's messages start with the document's name).
 */
function readMessage(protocol: Protocol, data: unknown): Uint8Array | 'presence' | null {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
  if (!bytes) return null;
  const at = { position: 0 };
  if (protocol === 'hocuspocus') {
    const nameLength = readVarUint(bytes, at);
    at.position += nameLength;
  }
  const type = readVarUint(bytes, at);
  if (type === presenceMessage) return 'presence';
  if (type !== syncMessage || readVarUint(bytes, at) !== 2) return null;
  const length = readVarUint(bytes, at);
  if (length < 0 || at.position + length > bytes.length) return null;
  return bytes.slice(at.position, at.position + length);
}

const typedWord = /w(\d{5}) /g;

/**
 * `socket` readers: holds a document update or a presence frame that arrives while words are counted (`pass`
 * hands it to the provider later); false lets it through now.
 */
function hold(participant: Participant, protocol: Protocol, data: unknown, pass: () => void): boolean {
  const w = watch;
  if (!participant.held || !w || !participant.had) return false;
  const update = readMessage(protocol, data);
  if (!update) return false;
  if (update === 'presence') {
    participant.heldPresence.push(pass);
    return true;
  }
  const at = now();
  participant.held.push(update);
  // A string's characters are written as they are (UTF-8) in a Yjs update, so the words can be read off it.
  for (const match of Buffer.from(update.buffer, update.byteOffset, update.byteLength)
    .toString('latin1')
    .matchAll(typedWord)) {
    const k = Number(match[1]);
    if (k < w.edits && participant.had[k] === 0) {
      participant.had[k] = 1;
      arrived(w, k, at);
    }
  }
  return true;
}

/** `socket` readers: the held updates go to the document, in one transaction, as if the provider had applied them. */
function release(participant: Participant) {
  const held = participant.held;
  participant.held = null;
  participant.had = null;
  if (held && held.length > 0) Y.applyUpdate(participant.doc, Y.mergeUpdates(held), participant.origin);
  // Presence after the document, as it came: a caret's position refers to the text it follows.
  for (const pass of participant.heldPresence.splice(0)) pass();
}

type Listener = (event: { data: unknown }) => void;

/** The participant's WebSocket: the `ws` client, with its incoming messages passed through `hold` first. */
function socketClass(participant: Participant, protocol: Protocol): typeof WebSocket {
  const through =
    (listener: Listener): Listener =>
    (event) => {
      if (!hold(participant, protocol, event.data, () => listener(event))) listener(event);
    };
  const wrapped = new Map<unknown, Listener>();
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  class HeldWebSocket extends WebSocket {
    // biome-ignore lint/suspicious/noExplicitAny: the overloads of ws's addEventListener
    addEventListener(type: any, listener: any, options?: any) {
      if (type !== 'message') return super.addEventListener(type, listener, options);
      const inner = through(listener);
      wrapped.set(listener, inner);
      return super.addEventListener(type, inner as never, options);
    }
    // biome-ignore lint/suspicious/noExplicitAny: the overloads of ws's removeEventListener
    removeEventListener(type: any, listener: any) {
      return super.removeEventListener(type, (wrapped.get(listener) ?? listener) as never);
    }
  }
  // y-websocket sets `onmessage`, which ws defines as an accessor of its prototype.
  Object.defineProperty(HeldWebSocket.prototype, 'onmessage', {
    configurable: true,
    get(this: WebSocket) {
      return onmessage?.get?.call(this) ?? null;
    },
    set(this: WebSocket, listener: Listener | null) {
      onmessage?.set?.call(this, listener && through(listener));
    },
  });
  return HeldWebSocket as unknown as typeof WebSocket;
}

function onUpdate(participant: Participant) {
  const w = watch;
  if (!w || !participant.text || readerMode === 'socket') return;
  const count = Math.min(w.edits, Math.floor((participant.text.length - baseLength) / wordLength));
  if (count <= participant.seen) return;
  const at = now();
  for (let k = participant.seen; k < count; k++) arrived(w, k, at);
  participant.seen = count;
}

/** Burst: the time each participant had every participant's word. */
function onBurstUpdate(participant: Participant, position: number) {
  const b = burst;
  if (!b || b.done[position] > 0 || !participant.text || participant.text.length < b.expectedLength) return;
  b.done[position] = now();
  if (--b.remaining === 0) b.resolve();
}

/** What the item editor announces once it has loaded (app/collab/use-item-text.ts). */
function announce(participant: Participant) {
  participant.present('user', {
    id: `member-${participant.index % 12}`,
    name: `Participant ${participant.index}`,
    color: '#1d4ed8',
    readOnly: false,
  });
  participant.present('field', null);
  participant.present('typing', false);
}

function watchUpdates(participant: Participant) {
  participant.doc.on('update', () => {
    onUpdate(participant);
    if (burst) onBurstUpdate(participant, participant.position);
  });
}

function newParticipant(
  index: number,
  doc: Y.Doc,
  present: Participant['present'],
  destroy: () => void,
): Participant {
  return {
    index,
    doc,
    present,
    destroy,
    text: null,
    seen: 0,
    position: 0,
    origin: null,
    held: null,
    heldPresence: [],
    had: null,
  };
}

function join(url: string, protocol: Protocol, name: string, token: string, index: number) {
  return protocol === 'hocuspocus'
    ? joinHocuspocus(url, name, token, index)
    : joinYWebsocket(url, name, index);
}

function joinHocuspocus(url: string, name: string, token: string, index: number): Promise<Participant> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`participant ${index} not synced after 60 s`)), 60_000);
    const doc = new Y.Doc();
    const participant = newParticipant(
      index,
      doc,
      (field, value) => provider.setAwarenessField(field, value),
      () => {
        provider.destroy();
        socket.destroy();
      },
    );
    const socket = new HocuspocusProviderWebsocket({
      url,
      WebSocketPolyfill: socketClass(participant, 'hocuspocus'),
      maxAttempts: 1,
    });
    const provider = new HocuspocusProvider({
      name,
      token,
      document: doc,
      websocketProvider: socket,
      onSynced: () => {
        clearTimeout(timer);
        announce(participant);
        resolve(participant);
      },
      onAuthenticationFailed: ({ reason }) => reject(new Error(`participant ${index} refused: ${reason}`)),
      onClose: () => {
        if (participants.length > 0) failure ??= `participant ${index} lost its connection`;
      },
    });
    participant.origin = provider;
    watchUpdates(participant);
    provider.attach();
  });
}

/** The y-websocket reference server takes no token: the name in the URL is the whole address. */
function joinYWebsocket(url: string, name: string, index: number): Promise<Participant> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`participant ${index} not synced after 60 s`)), 60_000);
    const doc = new Y.Doc();
    const participant = newParticipant(
      index,
      doc,
      (field, value) => provider.awareness.setLocalStateField(field, value),
      () => provider.destroy(),
    );
    const provider = new WebsocketProvider(url, name, doc, {
      WebSocketPolyfill: socketClass(participant, 'y-websocket') as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 60_000,
    });
    participant.origin = provider;
    provider.once('sync', () => {
      clearTimeout(timer);
      announce(participant);
      resolve(participant);
    });
    provider.on('connection-close', () => {
      if (participants.length > 0) failure ??= `participant ${index} lost its connection`;
    });
    watchUpdates(participant);
  });
}

async function handle(request: ClientRequest) {
  switch (request.type) {
    case 'join': {
      failure = null;
      const start = now();
      const joined: Participant[] = [];
      // Batches: a room fills over seconds, not in one burst that would time out the authentication of the last.
      for (let from = 0; from < request.indices.length; from += 25) {
        const batch = request.indices.slice(from, from + 25);
        joined.push(
          ...(await Promise.all(
            batch.map((index) =>
              join(
                request.url,
                request.protocol,
                request.name,
                request.tokens[index % request.tokens.length],
                index,
              ),
            ),
          )),
        );
      }
      participants = joined;
      for (const [position, participant] of joined.entries()) participant.position = position;
      send({ type: 'joined', ms: now() - start });
      return;
    }
    case 'prepare': {
      const fragment = participants[0].doc.getXmlFragment(fragmentName);
      fragment.doc?.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText()]);
        fragment.insert(0, [paragraph]);
      });
      send({ type: 'prepared', paragraphs: fragment.length });
      return;
    }
    case 'locate': {
      const deadline = Date.now() + 30_000;
      for (const participant of participants) {
        const fragment = participant.doc.getXmlFragment(fragmentName);
        while (fragment.length < request.paragraphs) {
          if (Date.now() > deadline) throw new Error('the new paragraph did not reach everyone');
          await sleep(5);
        }
        participant.text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
        participant.seen = 0;
        if (readerMode === 'socket') {
          participant.held = [];
          participant.had = new Uint8Array(request.edits);
        }
      }
      baseLength = participants[0].text?.length ?? 0;
      // The join's garbage is collected now, not in the middle of the words being counted (both servers alike).
      globalThis.gc?.();
      const edits = request.edits;
      const watching = {
        edits,
        arrived: new Array<number>(edits).fill(0),
        remaining: new Array<number>(edits).fill(participants.length),
        resolve: () => {},
      };
      const done = new Promise<void>((resolve) => {
        watching.resolve = resolve;
      });
      watch = watching;
      // Nobody here to watch for (the writer is alone in its process): nothing to wait for.
      if (participants.length === 0 || edits === 0) watching.resolve();
      send({ type: 'located' });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, edits * 50 + 60_000);
      });
      void Promise.race([done, late]).then(() => {
        clearTimeout(timer);
        watch = null;
        for (const participant of participants) release(participant);
        send({
          type: 'watched',
          arrived: watching.arrived.map((at, k) => (watching.remaining[k] > 0 ? Number.NaN : at)),
        });
      });
      return;
    }
    case 'type': {
      // The writer is participant 0, held by this process; it does not count as a reader of its own edits.
      const writer = participants[0];
      const text = writer.text as Y.XmlText;
      release(writer);
      const sent: number[] = [];
      if (watch) for (let k = 0; k < watch.edits; k++) watch.remaining[k] -= 1;
      writer.seen = request.edits;
      if (watch && watch.edits > 0 && watch.remaining[watch.edits - 1] === 0) watch.resolve();
      writer.present('field', 'description');
      writer.present('typing', true);
      const start = now();
      for (let k = 0; k < request.edits; k++) {
        if (failure) throw new Error(failure);
        // A 20 Hz typist: on the clock, whether or not the others keep up.
        const due = start + k * request.intervalMs;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        sent.push(now());
        text.doc?.transact(() => text.insert(text.length, `w${String(k).padStart(5, '0')} `));
        caret(writer);
      }
      writer.present('typing', false);
      send({ type: 'typed', sent });
      return;
    }
    case 'burst': {
      const sent = new Array<number>(participants.length).fill(0);
      const current = {
        expectedLength: request.expectedLength,
        done: new Array<number>(participants.length).fill(0),
        remaining: participants.length,
        resolve: () => {},
      };
      const complete = new Promise<void>((resolve) => {
        current.resolve = resolve;
      });
      burst = current;
      await Promise.all(
        participants.map(async (participant, i) => {
          await sleep(Math.random() * request.withinMs);
          const text = participant.text as Y.XmlText;
          participant.present('field', 'description');
          participant.present('typing', true);
          sent[i] = now();
          text.doc?.transact(() => text.insert(0, `p${String(participant.index % 1000).padStart(3, '0')} `));
          caret(participant);
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        complete.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), 60_000);
        }),
      ]);
      clearTimeout(timer);
      burst = null;
      if (failure) throw new Error(failure);
      if (timedOut) throw new Error(`burst incomplete after 60 s in ${current.remaining} participants`);
      for (const participant of participants) {
        participant.present('typing', false);
        participant.present('field', null);
      }
      send({ type: 'burst-done', sent, done: current.done });
      return;
    }
    case 'leave': {
      const leaving = participants;
      participants = [];
      for (const participant of leaving) participant.destroy();
      // The client processes live through every meeting: their growth would show as the server's latency.
      await sleep(500);
      globalThis.gc?.();
      const { user, system } = process.cpuUsage();
      send({ type: 'left', heapUsed: process.memoryUsage().heapUsed, cpuMicros: user + system });
      return;
    }
    case 'observe': {
      const saved = participants;
      const observer = await join(request.url, request.protocol, request.name, request.token, -1);
      participants = saved;
      void observer;
      send({ type: 'observing' });
      return;
    }
    case 'exit':
      process.exit(0);
  }
}

process.on('message', (request: ClientRequest) => {
  handle(request).catch((error) =>
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
