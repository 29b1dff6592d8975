import { AuthMessageType } from '@hocuspocus/common';
import {
  type Connection,
  type Document,
  type Hocuspocus,
  MessageReceiver,
  MessageType,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { type Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';

/**
 * Every use of Hocuspocus beyond the hooks and methods it documents, in one module (decision record 0030). The
 * versions are pinned exactly in package.json; `hocuspocus-internals.test.ts` checks each use below against the
 * installed Hocuspocus, so an upgrade that changes one fails there first, by name.
 *
 * Public and used as is elsewhere: the hooks, `handleConnection`, `openDirectConnection`, `closeConnections`,
 * `flushPendingStores`, `documents`, `loadingDocuments`, and the message-type enums re-exported here.
 */

/** Hocuspocus message types (public enums of @hocuspocus/server and @hocuspocus/common). */
export { AuthMessageType, MessageType };

/** The debouncer's key of a document's store (`onStoreDocument-<name>`): internal to Hocuspocus. */
const storeKey = (document: Document) => `onStoreDocument-${document.name}`;

/**
 * Whether a store of `document` is under way: waiting for its debounce, running, or holding the document's save
 * lock. Internal: the debouncer and `Document.saveMutex`.
 */
export function storeUnderWay(hocuspocus: Hocuspocus, document: Document): boolean {
  const key = storeKey(document);
  return (
    hocuspocus.debouncer.isDebounced(key) ||
    hocuspocus.debouncer.isCurrentlyExecuting(key) ||
    document.saveMutex.isLocked()
  );
}

/** A store payload for a store the server starts itself (a retry, a flush): no client caused it. */
export function localStorePayload(hocuspocus: Hocuspocus, document: Document): onStoreDocumentPayload {
  return {
    instance: hocuspocus,
    document,
    documentName: document.name,
    clientsCount: document.getConnectionsCount(),
    lastContext: {},
    lastTransactionOrigin: { source: 'local' },
  };
}

/** Runs the store hooks of `document` now (not debounced). Hocuspocus's own method, not documented as public. */
export function storeNow(hocuspocus: Hocuspocus, document: Document): Promise<unknown> {
  return hocuspocus.storeDocumentHooks(document, localStorePayload(hocuspocus, document), true);
}

type Broadcast = (
  encode: (address: string) => Uint8Array,
  filter?: (connection: Connection) => boolean,
) => void;

/** The `net.Socket` under a connection's `ws` socket, when it has one (the y-websocket bridge's does not). */
function rawSocketOf(connection: Connection): { cork(): void; uncork(): void } | null {
  const socket = (connection.webSocket as unknown as { _socket?: { cork?: unknown; destroyed?: boolean } })
    ._socket;
  return socket && typeof socket.cork === 'function' && !socket.destroyed
    ? (socket as { cork(): void; uncork(): void })
    : null;
}

/**
 * Sends what one flush of `document` has for each connection together, connection by connection (decision record
 * 0045). Hocuspocus's `flush` (internal, run once per turn of the event loop) broadcasts the turn's document
 * update to every connection, then the turn's presence changes to every connection: for a typed character, two
 * writes to each socket, and the second reaches the first connection only after the first has reached the last.
 * Here the flush's broadcasts are collected and sent per connection, its socket corked for them: one write per
 * socket, each connection served completely before the next, messages encoded once per address as Hocuspocus does.
 * Internal: `Document.flush` and `Document.broadcast`.
 */
export function sendFlushesTogether(document: Document): void {
  const flush = document.flush;
  const target = document as unknown as { broadcast: Broadcast };
  document.flush = function flushTogether(this: Document) {
    const collected: { encode: (address: string) => Uint8Array; filter?: (c: Connection) => boolean }[] = [];
    const broadcast = target.broadcast;
    target.broadcast = (encode, filter) => collected.push({ encode, filter });
    try {
      flush.call(this);
    } finally {
      target.broadcast = broadcast;
    }
    if (collected.length === 1) target.broadcast(collected[0].encode, collected[0].filter);
    if (collected.length <= 1) return this;
    const encoded = collected.map(() => ({ address: '', message: null as Uint8Array | null }));
    for (const connection of this.getConnections()) {
      const socket = rawSocketOf(connection);
      socket?.cork();
      try {
        collected.forEach(({ encode, filter }, i) => {
          if (filter && !filter(connection)) return;
          const cache = encoded[i];
          if (cache.message === null || cache.address !== connection.messageAddress) {
            cache.address = connection.messageAddress;
            cache.message = encode(cache.address);
          }
          connection.send(cache.message);
        });
      } finally {
        socket?.uncork();
      }
    }
    return this;
  };
}

/**
 * Puts `intercept` in front of everything Hocuspocus sends on `connection`: it gets each message and the original
 * `send`, and decides when (or whether) to pass it on. Internal: replaces `Connection.send`.
 */
export function interceptSends(
  connection: Connection,
  intercept: (message: Uint8Array, send: (message: Uint8Array) => void) => void,
): void {
  const send = connection.send.bind(connection) as (message: Uint8Array) => void;
  connection.send = (message: Uint8Array) => intercept(message, send);
}

/** Reads one lib0 varint from `message` at `at.position`; -1 past the end. */
export function readVarUint(message: Uint8Array, at: { position: number }): number {
  let value = 0;
  for (let shift = 0; at.position < message.length; shift += 7) {
    const byte = message[at.position++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
  return -1;
}

/**
 * The type of a message Hocuspocus sends: a var-string address (the document's name), then the type, both lib0
 * varints. -1 for a message too short to say.
 */
export function outgoingType(message: Uint8Array): number {
  const at = { position: 0 };
  const addressLength = readVarUint(message, at);
  if (addressLength < 0) return -1;
  at.position += addressLength;
  return readVarUint(message, at);
}

/** Whether a SyncStatus answer (to a client's update) says "applied": its last byte is the flag (1 applied). */
export const syncStatusApplied = (message: Uint8Array) => message[message.length - 1] === 1;

/** The part of an `Awareness` that y-protocols' `applyAwarenessUpdate` and `encodeAwarenessUpdate` use. */
interface ScratchAwareness {
  clientID: number;
  states: Map<number, unknown>;
  meta: Map<number, { clock: number; lastUpdated: number }>;
  getLocalState(): null;
  emit(): void;
}

/** A fresh, empty presence to decode one update into: no local client, no listeners, no timer. */
const scratchAwareness = (): ScratchAwareness => ({
  clientID: -1,
  states: new Map(),
  meta: new Map(),
  getLocalState: () => null,
  emit: () => {},
});

type Receive = (
  document: Document,
  connection?: Connection,
  reply?: (message: Uint8Array) => void,
) => Promise<void>;
let presenceLightened = false;

/**
 * Reads presence (awareness) frames without a scratch `Y.Doc` (decision record 0047). Hocuspocus 4.7 decodes each
 * presence frame into a new `Y.Doc` and `Awareness` (a random uuid drawn byte by byte from crypto, an interval timer,
 * listeners) only to hand the decoded states to `beforeHandleAwareness` and encode what the hooks kept; a caret move
 * arrives with every typed word, so that was the largest cost of a word beyond the update itself. Here the same steps
 * run on a plain scratch holding only the states and their clocks: decoded with y-protocols' own
 * `applyAwarenessUpdate` (so a leaving client's null state is dropped just as Hocuspocus drops it), the same hooks
 * with the same origin, encoded with the clocks the client sent, applied to the document's presence. The scratch has
 * no state of its own (Hocuspocus's added an empty one under a random id, which the presence rules dropped). Every
 * other frame goes to Hocuspocus as it is. Internal: `MessageReceiver.apply`, its `message` and
 * `defaultTransactionOrigin`, and `Document.callbacks.beforeHandleAwareness`. Process-wide; installing it twice
 * changes nothing.
 */
export function lightenPresenceFrames(): void {
  if (presenceLightened) return;
  presenceLightened = true;
  const prototype = MessageReceiver.prototype as unknown as { apply: Receive };
  const apply = prototype.apply;
  prototype.apply = async function applyLight(
    this: { message: { decoder: decoding.Decoder }; defaultTransactionOrigin?: unknown },
    document,
    connection,
    reply,
  ) {
    const { decoder } = this.message;
    const start = decoder.pos;
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) {
      decoder.pos = start;
      return apply.call(this, document, connection, reply);
    }
    const update = decoding.readVarUint8Array(decoder);
    const origin = connection
      ? { source: 'connection', connection }
      : (this.defaultTransactionOrigin ?? { source: 'local' });
    const scratch = scratchAwareness();
    applyAwarenessUpdate(scratch as unknown as Awareness, update, null);
    await (
      document as unknown as {
        callbacks: {
          beforeHandleAwareness(d: Document, s: Map<number, unknown>, o: unknown): Promise<unknown>;
        };
      }
    ).callbacks.beforeHandleAwareness(document, scratch.states, origin);
    const kept = encodeAwarenessUpdate(
      scratch as unknown as Awareness,
      [...scratch.states.keys()],
      scratch.states as Map<number, { [x: string]: unknown }>,
    );
    applyAwarenessUpdate(document.awareness, kept, origin);
  } satisfies Receive;
}
