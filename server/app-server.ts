import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AppServices } from '../app/context';
import { startAsyncVotingWorker } from '../app/services/sessions/async-worker.server';
import { createSignUpLimiter } from '../app/services/signup-limit.server';
import { startGoalRiskWorker } from '../app/services/sprints/goal-risk-worker.server';
import type { TrackerDeps } from '../app/services/trackers/deps.server';
import { type Database, DatabaseUnreachable, openDatabase } from '../db/client';
import { seedDemo } from '../db/seed/demo';
import { type Collab, createCollab } from './collab';
import { accessChangeSchema } from './collab/live-access';
import { redisPrefix, startRedisRelay } from './collab/redis-extension';
import type { Config } from './config';
import { createHttpApp } from './http';
import type { Logger } from './logger';
import { resolveSecret } from './secret';
import { startTrackers } from './trackers';
import { startWebhooks } from './webhooks';

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  services: AppServices;
  collab: Collab;
  http: Server;
  demoLogins: Array<{ email: string; password: string; role: string }> | null;
  /** Stops accepting, closes live connections, flushes document stores, closes the database. */
  stop(): Promise<void>;
}

/** Builds and starts the whole product in this process: database, HTTP (Remix) and the live channel on one port. */
export async function startServer(
  config: Config,
  log: Logger,
  options: {
    root: string;
    dev?: boolean;
    /** tests: the connector the tracker sync uses instead of jira.js's */
    trackerConnector?: TrackerDeps['connectorFor'];
  },
): Promise<RunningServer> {
  const migrationsFolder = path.resolve(options.root, config.MIGRATIONS_DIR);
  const database = config.DATABASE_URL
    ? await openDatabase({
        url: config.DATABASE_URL,
        migrationsFolder,
        lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      }).catch((error) => {
        throw error instanceof DatabaseUnreachable
          ? new Error(
              `DATABASE_URL: ${error.message}; check it, or leave it unset to use the embedded database`,
              { cause: error },
            )
          : error;
      })
    : await openDatabase({ dataDir: config.DATA_DIR, migrationsFolder });
  const secret = await resolveSecret(database.db, config.SESSION_SECRET);
  const demoLogins = config.DEMO_DATA ? await seedDemo(database.db) : null;

  // Several processes share live documents through Redis; without REDIS_URL one process serves them all.
  const relay = config.REDIS_URL
    ? await startRedisRelay({ url: config.REDIS_URL, db: database.db, log })
    : undefined;
  const collab = createCollab({
    db: database.db,
    secret,
    log,
    maxMessageBytes: config.MAX_WS_MESSAGE_BYTES,
    maxDocumentBytes: config.MAX_LIVE_DOCUMENT_BYTES,
    extensions: relay ? [relay] : [],
  });
  if (relay) {
    // Access changes reach the live connections held by every copy.
    collab.access.relayThrough((change) => relay.publishNotice(change));
    relay.listenForNotices((notice) => {
      const change = accessChangeSchema.safeParse(notice);
      if (change.success)
        void collab.access
          .apply(change.data)
          .catch((error) => log.warn({ event: 'collab_access_check_failed', err: error }));
    });
  }
  const signUpLimiter = createSignUpLimiter({
    perHour: config.SIGNUPS_PER_HOUR,
    redisUrl: config.REDIS_URL,
    prefix: config.REDIS_URL ? await redisPrefix(database.db) : undefined,
    log,
  });
  const services: AppServices = {
    db: database.db,
    config,
    log,
    secret,
    live: collab.publisher,
    signUpLimiter,
  };
  const trackers = startTrackers(services, options.trackerConnector);
  services.trackers = trackers;
  // Votes before the meeting: windows close on time; reminders are recorded with their in-app notification.
  const asyncVoting = startAsyncVotingWorker(services);
  // The sprint goal at risk: every running sprint checked as the days pass, not only when someone looks.
  const goalRisk = startGoalRiskWorker(services);
  const webhooks = startWebhooks(services);
  services.webhooks = webhooks;
  const http = createServer();

  let vite: import('vite').ViteDevServer | undefined;
  if (options.dev) {
    const { createServer: createVite } = await import('vite');
    vite = await createVite({
      root: options.root,
      server: { middlewareMode: true, hmr: { server: http, path: '/__vite_hmr' } },
    });
  }
  http.on('request', createHttpApp({ services, database, root: options.root, vite }));
  http.on('upgrade', (request, socket, head) => {
    if (collab.handleUpgrade(request, socket, head)) return;
    // Vite's HMR socket registers its own upgrade listener in development; anything else is refused.
    if (!vite) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = config.PUBLIC_URL ?? `http://${shownHost}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await trackers.worker.stop();
      await asyncVoting.stop();
      await goalRisk.stop();
      await webhooks.worker.stop();
      await collab.shutdown();
      await vite?.close();
      // Give in-flight requests a moment, then cut what is left (keep-alive sockets, slow clients).
      const cut = setTimeout(() => http.closeAllConnections(), 2000);
      await closed;
      clearTimeout(cut);
      // Requests that finished meanwhile may have published to live documents: write those stores too.
      await collab.shutdown();
      // After the last flush, so changes stored meanwhile were still relayed to the other processes.
      await relay?.close();
      await signUpLimiter.close();
      await database.close();
    })();
    return stopping;
  };

  return { url, port, database, services, collab, http, demoLogins, stop };
}
