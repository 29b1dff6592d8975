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
  /** the tracker (Jira) sync: its dependencies and its background worker; absent in test doubles without one */
  trackers?: {
    deps: import('./services/trackers/deps.server').TrackerDeps;
    worker: import('./services/trackers/worker.server').TrackerWorker;
  };
  /** the outgoing webhooks: their dependencies and sender (decision 0041); absent in test doubles without one */
  webhooks?: {
    deps: import('./services/webhooks/deps.server').WebhookDeps;
    worker?: import('./services/webhooks/worker.server').WebhookWorker;
  };
}

export interface LivePublisher {
  /** Runs `change` on the named live document inside one Yjs transaction, on every connected client. */
  update(documentName: string, change: (doc: import('yjs').Doc) => void): Promise<void>;
  /**
   * Someone's access changed (removed, or their role changed): their open live connections are decided again at
   * once, on every copy. Optional only for test doubles that have no live channel.
   */
  accessChanged?(change: AccessChange): Promise<void>;
}

/** Whose live access to decide again: a member of a product, or a guest of a session. */
export type AccessChange =
  | { kind: 'member'; productId: string; userId: string }
  | { kind: 'guest'; sessionId: string; participantId: string };

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
