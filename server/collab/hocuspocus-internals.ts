import { AuthMessageType } from '@hocuspocus/common';
import {
  type Connection,
  type Document,
  type Hocuspocus,
  MessageType,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';

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
function readVarUint(message: Uint8Array, at: { position: number }): number {
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
