import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { frameType } from './frame-guard';
import { AuthMessageType } from './hocuspocus-internals';

/**
 * Standard y-websocket clients (`WebsocketProvider` from `y-websocket`: one document per socket, its name in the URL,
 * plain y-protocols messages) on the same Hocuspocus documents (decision record 0021).
 *
 * The two protocols number their messages alike (sync 0, awareness 1, auth 2, query awareness 3); Hocuspocus adds
 * the document's name in front of each message and a few kinds of its own. The bridge translates, so every rule of
 * the Hocuspocus path holds: the token is checked by the same authentication hook (sent first, for the client),
 * read-only connections are dropped by Hocuspocus, every frame passes the frame guard, updates reach the durable
 * log, presence is vouched for and capped, and the Redis relay carries the changes to other copies.
 */

/** Hocuspocus's auth sub-types (its public AuthMessageType enum). */
const authToken = AuthMessageType.Token;
const authPermissionDenied = AuthMessageType.PermissionDenied;

/** Close code when the token is refused (as Hocuspocus's Forbidden). */
export const yRefusedClose = { code: 4403, reason: 'forbidden' } as const;

/** What the client sends, with the document's address in front, as Hocuspocus reads it. */
export function toHocuspocus(documentName: string, message: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeUint8Array(encoder, message);
  return encoding.toUint8Array(encoder);
}

/** The first message Hocuspocus needs from a client: its token. */
export function authMessage(documentName: string, token: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, frameType.auth);
  encoding.writeVarUint(encoder, authToken);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}

export type Outgoing =
  /** pass these bytes to the client */
  | { kind: 'send'; message: Uint8Array }
  /** the server refused the client or closed the document: close the socket */
  | { kind: 'close'; code: number; reason: string }
  /** nothing the client's protocol has (acknowledgements, stateless notices, pings, authenticated) */
  | { kind: 'drop' };

/** What Hocuspocus sends, translated for a y-websocket client. */
export function fromHocuspocus(message: Uint8Array): Outgoing {
  const decoder = decoding.createDecoder(message);
  decoding.readVarString(decoder);
  const start = decoder.pos;
  const type = decoding.readVarUint(decoder);
  const rest = message.subarray(decoder.pos);
  switch (type) {
    case frameType.sync:
    case frameType.syncReply: {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, frameType.sync);
      encoding.writeUint8Array(encoder, rest);
      return { kind: 'send', message: encoding.toUint8Array(encoder) };
    }
    case frameType.awareness:
    case frameType.queryAwareness:
      return { kind: 'send', message: message.subarray(start) };
    case frameType.auth: {
      if (decoding.readVarUint(decoder) === authPermissionDenied) return { kind: 'close', ...yRefusedClose };
      return { kind: 'drop' };
    }
    case frameType.close:
      return { kind: 'close', code: 4000, reason: decoding.readVarString(decoder).slice(0, 100) };
    default:
      return { kind: 'drop' };
  }
}

/** An awareness update with no clients: keeps a y-websocket client from thinking the connection died when alone. */
export const keepAliveMessage = (() => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, frameType.awareness);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0]));
  return encoding.toUint8Array(encoder);
})();

/** The document name of a `/yjs/<documentName>` path, or null. */
export function documentOfPath(pathname: string, prefix: string): string | null {
  if (!pathname.startsWith(`${prefix}/`)) return null;
  try {
    const name = decodeURIComponent(pathname.slice(prefix.length + 1));
    return name.length > 0 && name.length <= 200 && !name.includes('\0') ? name : null;
  } catch {
    return null;
  }
}
