import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Extension, Hocuspocus, type WebSocketLike } from '@hocuspocus/server';
import { type WebSocket, WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import type { AccessChange, LivePublisher } from '../../app/context';
import { maxPresenceBytes } from '../../app/domain/presence';
import type { Db } from '../../db/client';
import type { Logger } from '../logger';
import { authExtension } from './auth-extension';
import { DocumentSizeLimit } from './document-size';
import { inspectFrame, notAppliedMessage, statelessMessage } from './frame-guard';
import { lightenPresenceFrames, sendFlushesTogether, storeNow, storeUnderWay } from './hocuspocus-internals';
import { ItemTextExtension } from './item-text-extension';
import { LiveAccess } from './live-access';
import { PersistenceExtension } from './persistence-extension';
import { PresenceExtension } from './presence-extension';
import { createPublisher } from './publisher';
import {
  authMessage,
  documentOfPath,
  fromHocuspocus,
  keepAliveMessage,
  toHocuspocus,
} from './y-websocket-bridge';

export const collabPath = '/collab';
/** Standard y-websocket clients: `/yjs/<documentName>?token=<live token>` (y-websocket-bridge.ts). */
export const yjsPath = '/yjs';
/** How often a quiet y-websocket connection gets a message, below y-websocket's 30 s reconnect timeout. */
const yKeepAliveMs = 15_000;

type Target = { kind: 'collab' } | { kind: 'yjs'; documentName: string; token: string };

/** Close code for a frame that does not decode (RFC 6455: "invalid frame payload data"). */
export const malformedClose = { code: 1007, reason: 'malformed-update' } as const;
/** Close code for presence over the cap. */
export const presenceTooLargeClose = { code: 1009, reason: 'presence-too-large' } as const;

export interface Collab {
  hocuspocus: Hocuspocus;
  publisher: LivePublisher;
  access: LiveAccess;
  sizes: DocumentSizeLimit;
  /** Handles the upgrade when it is for the live channel; returns false for other paths (e.g. Vite's HMR). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Refuses new connections, closes every live connection and waits until every pending document store is
   * written. Safe to call again (e.g. after in-flight HTTP requests finished) to write what they changed.
   */
  shutdown(): Promise<void>;
}

export function createCollab(options: {
  db: Db;
  secret: string;
  log: Logger;
  maxMessageBytes: number;
  /** largest collaborative document (item text), in bytes of its Yjs state */
  maxDocumentBytes?: number;
  /** how often every open connection's access is checked again (a lost notice from another copy) */
  accessSweepMs?: number;
  /** e.g. the Redis relay when several processes serve the same documents */
  extensions?: Extension[];
}): Collab {
  const { log } = options;
  const persistence = new PersistenceExtension(options);
  const sizes = new DocumentSizeLimit({ maxBytes: options.maxDocumentBytes ?? 2 * 1024 * 1024, log });
  // A caret move comes with every typed word: decoded without a scratch Y.Doc (decision record 0047).
  lightenPresenceFrames();
  const hocuspocus = new Hocuspocus({
    name: 'refinery',
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    extensions: [
      authExtension(options),
      sizes,
      persistence,
      new ItemTextExtension(options),
      new PresenceExtension(options),
      // A typed character's update and caret leave in one write per connection (decision record 0045).
      {
        extensionName: 'refinery-fan-out',
        afterLoadDocument: async ({ document }) => sendFlushesTogether(document),
      },
      ...(options.extensions ?? []),
    ],
  });
  const access = new LiveAccess({ db: options.db, log, hocuspocus, sweepMs: options.accessSweepMs });
  access.start();

  /**
   * The frame guard (decision record 0019): a frame that does not decode closes the socket before Hocuspocus reads
   * it, so nothing malformed is applied or logged; an update that would grow a document past its cap is answered
   * "not applied" with a notice the editor shows, and the socket stays open.
   */
  function admit(ws: WebSocket, frame: Uint8Array, reply: (message: Uint8Array) => void): boolean {
    const verdict = inspectFrame(frame, { maxPresenceBytes });
    if (!verdict.ok) {
      log.warn({
        event: 'collab_frame_refused',
        reason: verdict.reason,
        document: verdict.documentName,
        bytes: frame.length,
      });
      const close =
        verdict.reason === 'presence-too-large'
          ? presenceTooLargeClose
          : { ...malformedClose, reason: verdict.reason };
      ws.close(close.code, close.reason);
      return false;
    }
    if (
      verdict.kind === 'update' &&
      !sizes.admits(verdict.documentName, verdict.bytes, verdict.addsContent)
    ) {
      log.warn({
        event: 'collab_update_refused',
        reason: 'document-too-large',
        document: verdict.documentName,
        bytes: verdict.bytes,
      });
      reply(notAppliedMessage(verdict.address));
      reply(statelessMessage(verdict.address, { type: 'document-too-large', limitBytes: sizes.maxBytes }));
      return false;
    }
    return true;
  }

  /** Hands a socket to Hocuspocus: every frame the client sends passes the frame guard first. */
  function serve(
    ws: WebSocket,
    request: IncomingMessage,
    socket: WebSocketLike,
    translate: (data: Uint8Array) => Uint8Array,
  ) {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    // The token of a y-websocket client travels in the query: Hocuspocus hooks see the URL without it.
    url.searchParams.delete('token');
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const connection = hocuspocus.handleConnection(socket, new Request(url, { headers }), {});
    let refused = false;
    const deliver = (frame: Uint8Array) => {
      if (refused) return;
      if (!admit(ws, frame, (message) => socket.send(message))) {
        // A refused document update leaves the socket open; anything malformed closes it (see admit).
        refused = ws.readyState !== ws.OPEN;
        return;
      }
      connection.handleMessage(frame);
    };
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
      deliver(translate(new Uint8Array(bytes as ArrayBuffer)));
    });
    ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    ws.on('error', (error) => log.warn({ event: 'collab_socket_error', err: error.message }));
    return deliver;
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  wss.on('connection', (ws: WebSocket, request: IncomingMessage, target: Target) => {
    if (target.kind === 'collab') {
      serve(ws, request, ws, (frame) => frame);
      return;
    }
    // A y-websocket client: its messages get the document's address, Hocuspocus's answers lose it (and the kinds of
    // message the client does not know).
    const { documentName, token } = target;
    let lastSent = Date.now();
    const bridge: WebSocketLike = {
      get readyState() {
        return ws.readyState;
      },
      send(data) {
        const out = fromHocuspocus(data as Uint8Array);
        if (out.kind === 'send') {
          lastSent = Date.now();
          ws.send(out.message);
        } else if (out.kind === 'close') {
          ws.close(out.code, out.reason);
        }
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const keepAlive = setInterval(() => {
      if (Date.now() - lastSent >= yKeepAliveMs && ws.readyState === ws.OPEN) {
        lastSent = Date.now();
        ws.send(keepAliveMessage);
      }
    }, yKeepAliveMs);
    ws.on('close', () => clearInterval(keepAlive));
    const deliver = serve(ws, request, bridge, (message) => toHocuspocus(documentName, message));
    deliver(authMessage(documentName, token));
  });

  let closing = false;
  const publisher = createPublisher(hocuspocus);

  /**
   * Writes every pending store: debounced ones now, running ones awaited, failed ones (still dirty) once more.
   * Repeats until a pass finds nothing to do, so changes applied meanwhile are written too; bounded in time.
   */
  async function flush(timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    const retried = new Set<string>();
    for (;;) {
      await Promise.allSettled([...publisher.pending(), ...hocuspocus.loadingDocuments.values()]);
      let busy = false;
      // Debounced stores start now; then wait for every store under way, and try a failed one once more.
      hocuspocus.flushPendingStores();
      for (const document of hocuspocus.documents.values()) {
        if (storeUnderWay(hocuspocus, document)) {
          busy = true;
        } else if (persistence.isDirty(document.name) && !retried.has(document.name)) {
          retried.add(document.name);
          void storeNow(hocuspocus, document);
          busy = true;
        }
      }
      await persistence.settled();
      if (!busy) break;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const unsaved = [...hocuspocus.documents.keys()].filter((name) => persistence.isDirty(name));
    if (unsaved.length > 0) log.error({ event: 'collab_unsaved_at_shutdown', documents: unsaved });
  }

  return {
    hocuspocus,
    access,
    sizes,
    publisher: {
      accessChanged: (change: AccessChange) => access.changed(change),
      update: (documentName: string, change: (doc: Y.Doc) => void) => publisher.update(documentName, change),
    },
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://x');
      let target: Target;
      if (url.pathname === collabPath) target = { kind: 'collab' };
      else {
        const documentName = documentOfPath(url.pathname, yjsPath);
        if (documentName === null) return false;
        target = { kind: 'yjs', documentName, token: url.searchParams.get('token') ?? '' };
      }
      if (closing) {
        socket.destroy();
        return true;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, target));
      return true;
    },
    async shutdown() {
      if (!closing) {
        closing = true;
        // Messages a client sent before the close are still applied (and then stored) before the flush below.
        const connections = [...hocuspocus.documents.values()].flatMap((document) =>
          document.getConnections(),
        );
        hocuspocus.closeConnections();
        for (const client of wss.clients) client.terminate();
        await Promise.allSettled(connections.map((connection) => connection.waitForPendingMessages()));
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }
      access.stop();
      // The server's own connections close too (each stores its document at once).
      await publisher.closeAll();
      // Called again after in-flight HTTP requests have finished: stores they caused are written too.
      await flush(5000);
      persistence.stop();
    },
  };
}
