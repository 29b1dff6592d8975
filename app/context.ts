import type { Db } from '../db/client';
import type { Config } from '../server/config';
import type { Logger } from '../server/logger';

/**
 * What the server hands every loader and action. The server owns these objects (one database, one logger);
 * routes must not open their own, because the Remix build is a separate module graph.
 */
export interface AppServices {
  db: Db;
  config: Config;
  log: Logger;
  /** signs session cookies and live-channel tokens */
  secret: string;
  /** publishes public state into live documents; filled in by the collab server */
  live: LivePublisher;
  /** counts sign-up attempts per address, shared by copies through Redis; absent: counted in this process */
  signUpLimiter?: import('./services/signup-limit.server').SignUpLimiter;
}

export interface LivePublisher {
  /** Runs `change` on the named live document inside one Yjs transaction, on every connected client. */
  update(documentName: string, change: (doc: import('yjs').Doc) => void): Promise<void>;
}

declare module '@remix-run/node' {
  // Types for single fetch: loaders and actions may return data() with a status.
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    app: AppServices;
    cspNonce: string;
  }
}
