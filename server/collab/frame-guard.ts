import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType } from './hocuspocus-internals';

/**
 * Checks every frame a client sends on the live channel before Hocuspocus reads it (decision record 0019).
 *
 * Hocuspocus frames are `varString address, varUint type, body`. Only the two bodies that change shared state are
 * decoded here: a document update (sync step 2 or update) must decode as a Yjs update, and a presence (awareness)
 * update must stay under the size cap. Everything else passes untouched: Hocuspocus refuses what it cannot read.
 */

/** Hocuspocus message types (its public MessageType enum), by the names this module and the bridge use. */
export const frameType = {
  sync: MessageType.Sync,
  awareness: MessageType.Awareness,
  auth: MessageType.Auth,
  queryAwareness: MessageType.QueryAwareness,
  syncReply: MessageType.SyncReply,
  stateless: MessageType.Stateless,
  close: MessageType.CLOSE,
  syncStatus: MessageType.SyncStatus,
} as const;
/** y-protocols sync message types. */
const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;

export type FrameVerdict =
  | { ok: true; kind: 'other' }
  /** a document update that decodes; `addsContent` is false for one that only deletes or formats */
  | { ok: true; kind: 'update'; address: string; documentName: string; bytes: number; addsContent: boolean }
  | {
      ok: false;
      reason: 'malformed-update' | 'malformed-message' | 'presence-too-large';
      documentName?: string;
    };

/** The document name of an address (`name` or `name\0session`, as the provider may send it). */
const documentOf = (address: string) => {
  const separator = address.indexOf('\0');
  return separator === -1 ? address : address.slice(0, separator);
};

/**
 * Whether an update inserts anything (an update that only deletes must pass even a full document). Throws when the
 * update does not decode.
 */
export function insertsContent(update: Uint8Array): boolean {
  const { structs } = Y.decodeUpdate(update);
  return structs.some((struct) => struct instanceof Y.Item && !(struct.content instanceof Y.ContentDeleted));
}

export function inspectFrame(frame: Uint8Array, limits: { maxPresenceBytes: number }): FrameVerdict {
  let address: string;
  let type: number;
  const decoder = decoding.createDecoder(frame);
  try {
    address = decoding.readVarString(decoder);
    type = decoding.readVarUint(decoder);
  } catch {
    return { ok: false, reason: 'malformed-message' };
  }
  const documentName = documentOf(address);
  if (type === frameType.sync || type === frameType.syncReply) {
    let syncType: number;
    let body: Uint8Array;
    try {
      syncType = decoding.readVarUint(decoder);
      body = decoding.readVarUint8Array(decoder);
    } catch {
      return { ok: false, reason: 'malformed-message', documentName };
    }
    if (syncType === syncStep1) {
      try {
        Y.decodeStateVector(body);
      } catch {
        return { ok: false, reason: 'malformed-message', documentName };
      }
      return { ok: true, kind: 'other' };
    }
    if (syncType !== syncStep2 && syncType !== syncUpdate)
      return { ok: false, reason: 'malformed-message', documentName };
    try {
      return {
        ok: true,
        kind: 'update',
        address,
        documentName,
        bytes: body.length,
        addsContent: insertsContent(body),
      };
    } catch {
      return { ok: false, reason: 'malformed-update', documentName };
    }
  }
  if (type === frameType.awareness) {
    let body: Uint8Array;
    try {
      body = decoding.readVarUint8Array(decoder);
    } catch {
      return { ok: false, reason: 'malformed-message', documentName };
    }
    // Each client announces one state; a few kilobytes hold any honest presence. The per-state cap is applied
    // again, state by state, by the presence extension (a frame may carry the states of several clients).
    if (body.length > limits.maxPresenceBytes * 4)
      return { ok: false, reason: 'presence-too-large', documentName };
  }
  return { ok: true, kind: 'other' };
}

/** A SyncStatus(false) for `address`: "your update was not applied" (the provider keeps it as unsynced). */
export function notAppliedMessage(address: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, frameType.syncStatus);
  encoding.writeVarInt(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/** A stateless message for `address`, carrying a JSON notice the browser shows (e.g. the document is full). */
export function statelessMessage(address: string, payload: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, frameType.stateless);
  encoding.writeVarString(encoder, JSON.stringify(payload));
  return encoding.toUint8Array(encoder);
}
