import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import type { LivePublisher } from '../../app/context';
import type { Db } from '../../db/client';
import type { Logger } from '../logger';
import { authExtension } from './auth-extension';
import { PersistenceExtension } from './persistence-extension';

export const collabPath = '/collab';

export interface Collab {
  hocuspocus: Hocuspocus;
  publisher: LivePublisher;
  /** Handles the upgrade when it is for the live channel; returns false for other paths (e.g. Vite's HMR). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every live connection and waits until every pending document store is written. */
  shutdown(): Promise<void>;
}

export function createCollab(options: { db: Db; secret: string; log: Logger; maxMessageBytes: number }): Collab {
  const { log } = options;
  const persistence = new PersistenceExtension(options);
  const hocuspocus = new Hocuspocus({
    name: 'refinery',
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    extensions: [authExtension(options), persistence],
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  wss.on('connection', (ws, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const connection = hocuspocus.handleConnection(ws, new Request(url, { headers }), {});
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
      connection.handleMessage(new Uint8Array(bytes as ArrayBuffer));
    });
    ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    ws.on('error', (error) => log.warn({ event: 'collab_socket_error', err: error.message }));
  });

  let closing = false;
  return {
    hocuspocus,
    publisher: {
      async update(documentName: string, change: (doc: Y.Doc) => void) {
        const connection = await hocuspocus.openDirectConnection(documentName, { userId: 'server', role: 'server' });
        try {
          await connection.transact((doc) => change(doc));
        } finally {
          await connection.disconnect();
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
      closing = true;
      hocuspocus.closeConnections();
      for (const client of wss.clients) client.terminate();
      const pending: Promise<unknown>[] = [];
      for (const document of hocuspocus.documents.values()) {
        const id = `onStoreDocument-${document.name}`;
        if (hocuspocus.debouncer.isDebounced(id)) pending.push(Promise.resolve(hocuspocus.debouncer.executeNow(id)));
      }
      await Promise.allSettled(pending);
      await persistence.settled();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
