import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Extension, Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import type { AccessChange, LivePublisher } from '../../app/context';
import { maxPresenceBytes } from '../../app/domain/presence';
import type { Db } from '../../db/client';
import type { Logger } from '../logger';
import { authExtension } from './auth-extension';
import { DocumentSizeLimit } from './document-size';
import { inspectFrame, notAppliedMessage, statelessMessage } from './frame-guard';
import { ItemTextExtension } from './item-text-extension';
import { LiveAccess } from './live-access';
import { PersistenceExtension } from './persistence-extension';
import { PresenceExtension } from './presence-extension';

export const collabPath = '/collab';

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
  function admit(ws: import('ws').WebSocket, frame: Uint8Array): boolean {
    const verdict = inspectFrame(frame, { maxPresenceBytes });
    if (!verdict.ok) {
      log.warn({ event: 'collab_frame_refused', reason: verdict.reason, document: verdict.documentName, bytes: frame.length });
      const close = verdict.reason === 'presence-too-large' ? presenceTooLargeClose : { ...malformedClose, reason: verdict.reason };
      ws.close(close.code, close.reason);
      return false;
    }
    if (verdict.kind === 'update' && !sizes.admits(verdict.documentName, verdict.bytes, verdict.addsContent)) {
      log.warn({ event: 'collab_update_refused', reason: 'document-too-large', document: verdict.documentName, bytes: verdict.bytes });
      ws.send(notAppliedMessage(verdict.address));
      ws.send(statelessMessage(verdict.address, { type: 'document-too-large', limitBytes: sizes.maxBytes }));
      return false;
    }
    return true;
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  wss.on('connection', (ws, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const connection = hocuspocus.handleConnection(ws, new Request(url, { headers }), {});
    let refused = false;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      if (refused) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
      const frame = new Uint8Array(bytes as ArrayBuffer);
      if (!admit(ws, frame)) {
        // A refused document update leaves the socket open; anything malformed closes it (see admit).
        refused = ws.readyState !== ws.OPEN;
        return;
      }
      connection.handleMessage(frame);
    });
    ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    ws.on('error', (error) => log.warn({ event: 'collab_socket_error', err: error.message }));
  });

  let closing = false;
  const publishing = new Set<Promise<void>>();

  /**
   * Writes every pending store: debounced ones now, running ones awaited, failed ones (still dirty) once more.
   * Repeats until a pass finds nothing to do, so changes applied meanwhile are written too; bounded in time.
   */
  async function flush(timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    const retried = new Set<string>();
    for (;;) {
      await Promise.allSettled([...publishing, ...hocuspocus.loadingDocuments.values()]);
      let busy = false;
      for (const document of hocuspocus.documents.values()) {
        const id = `onStoreDocument-${document.name}`;
        if (hocuspocus.debouncer.isDebounced(id)) {
          void hocuspocus.debouncer.executeNow(id);
          busy = true;
        } else if (hocuspocus.debouncer.isCurrentlyExecuting(id) || document.saveMutex.isLocked()) {
          busy = true;
        } else if (persistence.isDirty(document.name) && !retried.has(document.name)) {
          retried.add(document.name);
          void hocuspocus.storeDocumentHooks(document, persistence.storePayload(hocuspocus, document), true);
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
      async update(documentName: string, change: (doc: Y.Doc) => void) {
        const publish = (async () => {
          const connection = await hocuspocus.openDirectConnection(documentName, { userId: 'server', role: 'server' });
          try {
            await connection.transact((doc) => change(doc));
          } finally {
            // Stores at once (not debounced) and unloads the document when no client holds it.
            await connection.disconnect();
          }
        })();
        publishing.add(publish);
        try {
          await publish;
        } finally {
          publishing.delete(publish);
        }
      },
    },
    handleUpgrade(request, socket, head) {
      const pathname = new URL(request.url ?? '/', 'http://x').pathname;
      if (pathname !== collabPath) return false;
      if (closing) {
        socket.destroy();
        return true;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      return true;
    },
    async shutdown() {
      if (!closing) {
        closing = true;
        // Messages a client sent before the close are still applied (and then stored) before the flush below.
        const connections = [...hocuspocus.documents.values()].flatMap((document) => document.getConnections());
        hocuspocus.closeConnections();
        for (const client of wss.clients) client.terminate();
        await Promise.allSettled(connections.map((connection) => connection.waitForPendingMessages()));
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }
      access.stop();
      // Called again after in-flight HTTP requests have finished: stores they caused are written too.
      await flush(5000);
      persistence.stop();
    },
  };
}
