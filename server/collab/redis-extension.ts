import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis, type RedisInstance } from '@hocuspocus/extension-redis';
import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  beforeUnloadDocumentPayload,
  Document,
  Hocuspocus,
  onChangePayload,
} from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settings } from '../../db/schema';
import type { Logger } from '../logger';

/** Thrown to keep a document loaded a little longer; no message, so Hocuspocus does not print it. */
class KeepForNow extends Error {}

export interface RedisRelayOptions {
  /** redis:// or rediss:// (TLS), with optional user, password and database number */
  url: string;
  log: Logger;
  /** Namespace of every key and channel; processes share live documents only within one prefix. */
  prefix: string;
  /** How long a document stays subscribed after its last change, so peers' sync answers still find it. */
  unloadGraceMs?: number;
  /** Longest a document load waits for Redis before the document is served locally. */
  loadWaitMs?: number;
}

/**
 * The Hocuspocus Redis extension (4.7), fitted to Refinery. Live documents are relayed between processes as
 * the extension does it: a change publishes the document's state vector, peers answer with what it lacks and
 * ask for what they lack. Direct connections (the server's publisher) are relayed the same way. Changes that
 * arrive from Redis carry the origin `{ source: 'redis' }` and skip the store hooks, so each change is stored
 * by the one process that received it from a client or made it.
 *
 * What differs from the stock extension, and why:
 * - No Redis lock around stores. The lock skips a store when another process holds it, assuming that process
 *   writes the same state; but relayed changes are never stored, so a skipped store leaves this process's own
 *   changes unwritten. It would also make every Postgres write wait on Redis.
 * - No fixed delay before a store finishes or a document unloads (1 s each in the stock extension): the
 *   publisher awaits both, so every command would take 2 s longer. Instead a document that changed recently
 *   stays loaded (and subscribed) for a grace period in the background.
 * - A Redis outage is logged once and retried by ioredis without a limit; documents keep working locally,
 *   loads do not wait for Redis, and every loaded document resynchronises with its peers when Redis is back.
 */
export class RedisRelay extends Redis {
  extensionName = 'refinery-redis';
  private readonly log: Logger;
  private readonly unloadGraceMs: number;
  private readonly loadWaitMs: number;
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  /** documents whose unload the relay put off */
  private readonly kept = new Set<Document>();
  private closing = false;
  private resyncedAt = 0;
  private notices: RedisInstance | undefined;

  constructor(options: RedisRelayOptions) {
    const identifier = `${hostname().slice(0, 64)}:${process.pid}:${randomBytes(4).toString('hex')}`;
    super({
      ...connectionOf(options.url, identifier),
      identifier,
      prefix: options.prefix,
      awaitInitialSyncTimeout: 1000,
    });
    this.log = options.log.child({ component: 'redis', identifier });
    this.unloadGraceMs = options.unloadGraceMs ?? 1000;
    this.loadWaitMs = options.loadWaitMs ?? 2000;
    this.watch(this.pub, 'publish');
    this.watch(this.sub, 'subscribe');
  }

  get identifier(): string {
    return this.configuration.identifier;
  }

  /** The channel of notices between copies (access changes), apart from the document channels. */
  private get noticeChannel() {
    return `${this.configuration.prefix}#notices`;
  }

  /**
   * Passes every notice another copy publishes to `handler`. A connection of its own: the relay's subscriber
   * reads every message it gets as a document message.
   */
  listenForNotices(handler: (payload: unknown) => void) {
    const notices = this.sub.duplicate();
    this.notices = notices;
    notices.on('error', () => {}); // reported by the relay's own connections
    notices.on('message', (_channel: string, message: string) => {
      try {
        const { from, payload } = JSON.parse(message) as { from: string; payload: unknown };
        if (from !== this.identifier) handler(payload);
      } catch {
        this.log.warn({ event: 'redis_notice_unreadable' });
      }
    });
    void notices.subscribe(this.noticeChannel).catch(() => {});
  }

  /** Publishes a notice to the other copies; lost while Redis is away (the copies' periodic checks cover that). */
  publishNotice(payload: unknown) {
    if (this.closing) return;
    this.pub
      .publish(this.noticeChannel, JSON.stringify({ from: this.identifier, payload }))
      .catch((error: Error) => {
        this.log.warn({ event: 'redis_notice_failed', err: error.message });
      });
  }

  /** Both connections are up; without them the process serves its documents alone. */
  get isUp(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /** Resolves when both connections are up, or after `timeoutMs`, whichever comes first. */
  async ready(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const up = (client: RedisInstance) =>
      new Promise<void>((resolve) =>
        client.status === 'ready' ? resolve() : client.once('ready', () => resolve()),
      );
    await Promise.race([
      Promise.all([up(this.pub), up(this.sub)]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return this.isUp;
  }

  async afterLoadDocument(payload: afterLoadDocumentPayload) {
    // Redis never fails a load: the document is served locally, and joins the relay when Redis answers.
    const joining = super.afterLoadDocument(payload).catch((error) => {
      if (!this.closing) {
        this.log.warn({ event: 'redis_subscribe_failed', document: payload.documentName, err: error });
      }
    });
    if (!this.isUp) {
      this.log.debug({ event: 'redis_load_without_relay', document: payload.documentName });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      joining,
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.loadWaitMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async onStoreDocument() {}

  async afterStoreDocument() {}

  async beforeUnloadDocument({ document, instance }: beforeUnloadDocumentPayload) {
    if (this.closing) return;
    // Changed while Redis is away: kept until it has been offered to the peers (see resync).
    if (!this.isUp && document.lastChangeTime > 0) {
      this.kept.add(document);
      throw new KeepForNow();
    }
    const quietFor = Date.now() - Math.max(document.lastChangeTime, this.resyncedAt);
    if (quietFor >= this.unloadGraceMs) return;
    // A peer may still be answering this change, or loading the document from Postgres before our store
    // landed; staying subscribed a moment lets both finish. Not awaited here: the publisher would wait too.
    this.unloadLater(instance, document, this.unloadGraceMs - quietFor);
    throw new KeepForNow();
  }

  private unloadLater(instance: Hocuspocus, document: Document, delayMs: number) {
    this.kept.add(document);
    clearTimeout(this.unloadTimers.get(document.name));
    const timer = setTimeout(() => {
      this.unloadTimers.delete(document.name);
      if (instance.documents.get(document.name) === document) void instance.unloadDocument(document);
    }, delayMs + 10);
    timer.unref();
    this.unloadTimers.set(document.name, timer);
  }

  async afterUnloadDocument(payload: afterUnloadDocumentPayload) {
    clearTimeout(this.unloadTimers.get(payload.documentName));
    this.unloadTimers.delete(payload.documentName);
    for (const document of this.kept) if (document.name === payload.documentName) this.kept.delete(document);
    // While closing, the connection's QUIT drops every subscription; an UNSUBSCRIBE racing it only logs errors.
    if (this.closing) return;
    await super.afterUnloadDocument(payload);
  }

  async onDestroy() {
    await this.close();
  }

  /** Quits both connections (after the last changes are published); safe to call twice. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // A peer's message answered now would publish on a connection about to close: an unhandled rejection.
    this.sub.removeAllListeners('messageBuffer');
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    // Unload what the relay kept loaded: a loaded document holds a timer (its awareness) that keeps Node alive.
    for (const document of [...this.kept]) {
      if (this.instance?.documents.get(document.name) === document) {
        await this.instance.unloadDocument(document);
      }
    }
    this.kept.clear();
    // The extension publishes the changes of one event-loop turn in a setImmediate: let the last ones go out.
    await new Promise((resolve) => setImmediate(resolve));
    let timer: NodeJS.Timeout | undefined;
    // QUIT waits for Redis when it is reachable; when it is not, the connections are cut after a second.
    await Promise.race([
      Promise.allSettled([this.pub.quit(), this.sub.quit(), ...(this.notices ? [this.notices.quit()] : [])]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 1000);
      }),
    ]);
    clearTimeout(timer);
    this.pub.disconnect();
    this.sub.disconnect();
    this.notices?.disconnect();
  }

  /** Asks peers for what every loaded document missed (and offers what they missed), e.g. after an outage. */
  private resync() {
    if (!this.instance || !this.isUp || this.closing) return;
    this.resyncedAt = Date.now();
    for (const document of this.instance.documents.values()) {
      const origin = { source: 'local' };
      void this.onChange({
        documentName: document.name,
        document,
        transactionOrigin: origin,
      } as onChangePayload);
      if (document.getConnectionsCount() === 0) this.unloadLater(this.instance, document, this.unloadGraceMs);
    }
  }

  private watch(client: RedisInstance, connection: 'publish' | 'subscribe') {
    let wasReady = false;
    let reported = false;
    const report = (error?: Error) => {
      if (this.closing || reported) return;
      reported = true;
      this.log.error(
        { event: 'redis_unavailable', connection, err: error?.message },
        'Redis is unreachable: live changes are not relayed to other processes until it is back (retrying)',
      );
    };
    client.on('ready', () => {
      wasReady = true;
      if (reported) {
        this.log.info(
          { event: 'redis_reconnected', connection },
          'Redis is back: resynchronising live documents',
        );
      }
      reported = false;
      this.resync();
    });
    // Without a listener ioredis prints every failed reconnect attempt to stderr.
    client.on('error', (error: Error) => report(error));
    client.on('close', () => {
      if (wasReady) report();
      wasReady = false;
    });
  }
}

/** ioredis options from the URL; retries never give up, since a relay that stopped retrying would stay split. */
function connectionOf(url: string, identifier: string) {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new Error('Invalid configuration: REDIS_URL database must be a number');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    options: {
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
      connectionName: identifier.replace(/\s/g, '_'),
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 5000),
    },
  };
}

/**
 * The key prefix of this deployment, generated once and kept in the database: processes that share a database
 * share live documents, and other deployments or test runs on the same Redis never see each other's channels.
 */
export async function redisPrefix(db: Db): Promise<string> {
  await db
    .insert(settings)
    .values({ key: 'redis_prefix', value: `refinery:${randomBytes(6).toString('hex')}` })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'redis_prefix'));
  return row.value;
}

/** Connects the relay for a process; a Redis that is down at start is retried while the server runs. */
export async function startRedisRelay(options: { url: string; db: Db; log: Logger }): Promise<RedisRelay> {
  const relay = new RedisRelay({ url: options.url, log: options.log, prefix: await redisPrefix(options.db) });
  const connected = await relay.ready(3000);
  options.log.info({
    event: 'redis_relay',
    identifier: relay.identifier,
    prefix: relay.configuration.prefix,
    connected,
  });
  return relay;
}
