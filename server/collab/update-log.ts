import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../../db/client';
import { liveDocuments, liveUpdates } from '../../db/schema';
import type { Logger } from '../logger';

/**
 * Second key of the per-document advisory locks (the first is a hash of the document name). Appends and loads
 * take it shared, compaction exclusively: a compaction must never set `through_update_id` past a row that another
 * transaction has numbered but not yet committed (bigserial ids are handed out before commit), or a load, which
 * reads only the rows after `through_update_id`, would skip that row for ever.
 */
const lockSpace = 7_270_102;
const lockShared = (name: string) =>
  sql`select pg_advisory_xact_lock_shared(${lockSpace}, hashtext(${name}))`;
const lockExclusive = (name: string) => sql`select pg_advisory_xact_lock(${lockSpace}, hashtext(${name}))`;

/** An update that was not written in time; it must not be applied. No message, so Hocuspocus does not print it. */
export class UpdateNotLogged extends Error {}

export interface UpdateLogOptions {
  db: Db;
  log: Logger;
  /** How long a client's update may wait for the database before it is refused (the client re-sends it later). */
  appendTimeoutMs?: number;
  /** First delay before a failed write is tried again; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A document whose log holds this many updates is compacted without waiting for its next store. */
  compactAfterUpdates?: number;
}

export interface LoggedDocument {
  /** the snapshot, or null when the document was never compacted */
  state: Uint8Array | null;
  throughUpdateId: number;
  /** the log rows after the snapshot, oldest first */
  updates: Uint8Array[];
}

interface Pending {
  update: Uint8Array;
  /** after this time (ms) a failed write refuses the update instead of trying again */
  deadline: number;
  resolve(): void;
  reject(error: Error): void;
  /** resolves once the update is written or refused */
  settled: Promise<void>;
}

const maxBatch = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The append-only log of Yjs updates of collaborative documents (`live_updates`), folded from time to time into
 * the document's snapshot (`live_documents`).
 *
 * Appends of one document are written one batch at a time, in the order they were asked for, so the log's order
 * is the order in which the server applies them. A failed write is tried again with backoff; an update whose
 * deadline passes meanwhile is refused (its promise rejects) and is never written by this queue afterwards.
 */
export class UpdateLog {
  private readonly queues = new Map<string, { entries: Pending[]; draining: Promise<void> | null }>();
  /** rows in the log after the snapshot, per loaded document, as far as this process knows */
  private readonly unfoldedCounts = new Map<string, number>();
  private readonly compactions = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly options: UpdateLogOptions) {}

  get appendTimeoutMs() {
    return this.options.appendTimeoutMs ?? 5000;
  }

  private retryDelay(attempt: number) {
    const base = this.options.backoffMs ?? 100;
    return Math.min(base * 2 ** (attempt - 1), this.options.maxBackoffMs ?? 5000);
  }

  /** The snapshot and the log rows after it, read consistently (no compaction can commit in between). */
  async read(name: string): Promise<LoggedDocument> {
    const loaded = await this.options.db.transaction(async (tx) => {
      await tx.execute(lockShared(name));
      const [snapshot] = await tx
        .select({ state: liveDocuments.state, throughUpdateId: liveDocuments.throughUpdateId })
        .from(liveDocuments)
        .where(eq(liveDocuments.name, name));
      const throughUpdateId = snapshot?.throughUpdateId ?? 0;
      const rows = await tx
        .select({ update: liveUpdates.update })
        .from(liveUpdates)
        .where(and(eq(liveUpdates.documentName, name), gt(liveUpdates.id, throughUpdateId)))
        .orderBy(asc(liveUpdates.id));
      return { state: snapshot?.state ?? null, throughUpdateId, updates: rows.map((row) => row.update) };
    });
    this.unfoldedCounts.set(name, loaded.updates.length);
    return loaded;
  }

  /**
   * Resolves once the update is in the log. Rejects with UpdateNotLogged when it could not be written before
   * `deadline` (ms since the epoch; Infinity: keep trying until stop()).
   */
  append(name: string, update: Uint8Array, deadline = Date.now() + this.appendTimeoutMs): Promise<void> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = { entries: [], draining: null };
      this.queues.set(name, queue);
    }
    const entry = { update, deadline } as Pending;
    const written = new Promise<void>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    entry.settled = written.then(
      () => {},
      () => {},
    );
    queue.entries.push(entry);
    queue.draining ??= this.drain(name, queue);
    return written;
  }

  /** Number of updates of the document still waiting to be written. */
  pending(name: string): number {
    return this.queues.get(name)?.entries.length ?? 0;
  }

  /**
   * Resolves when every update asked for so far is written or refused (not those asked for later); rejects with
   * UpdateNotLogged after `timeoutMs`.
   */
  async written(name: string, timeoutMs = this.appendTimeoutMs): Promise<void> {
    const waiting = this.queues.get(name)?.entries.map((entry) => entry.settled) ?? [];
    if (waiting.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([Promise.all(waiting).then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) throw new UpdateNotLogged();
  }

  private async drain(name: string, queue: { entries: Pending[]; draining: Promise<void> | null }) {
    let attempt = 0;
    try {
      while (queue.entries.length > 0) {
        const batch = queue.entries.slice(0, maxBatch);
        try {
          await this.options.db.transaction(async (tx) => {
            await tx.execute(lockShared(name));
            await tx
              .insert(liveUpdates)
              .values(batch.map((entry) => ({ documentName: name, update: entry.update })));
          });
        } catch (error) {
          attempt += 1;
          this.options.log.error({
            event: 'collab_log_append_failed',
            document: name,
            updates: batch.length,
            attempt,
            err: error,
          });
          // Shutting down: no more waiting. What was applied is in the document's last snapshot (see compact).
          if (this.stopped) break;
          const now = Date.now();
          const expired = queue.entries.filter((entry) => entry.deadline <= now);
          if (expired.length > 0) {
            queue.entries = queue.entries.filter((entry) => entry.deadline > now);
            this.options.log.warn({
              event: 'collab_log_append_refused',
              document: name,
              updates: expired.length,
            });
            for (const entry of expired) entry.reject(new UpdateNotLogged());
          }
          await sleep(this.retryDelay(attempt));
          continue;
        }
        attempt = 0;
        queue.entries.splice(0, batch.length);
        for (const entry of batch) entry.resolve();
        const unfolded = (this.unfoldedCounts.get(name) ?? 0) + batch.length;
        this.unfoldedCounts.set(name, unfolded);
        if (unfolded >= (this.options.compactAfterUpdates ?? 300)) this.compactSoon(name);
      }
    } finally {
      queue.draining = null;
      if (this.stopped && queue.entries.length > 0) {
        this.options.log.error({
          event: 'collab_log_unsaved_at_shutdown',
          document: name,
          updates: queue.entries.length,
        });
        for (const entry of queue.entries.splice(0)) entry.reject(new UpdateNotLogged());
      }
      if (queue.entries.length === 0) this.queues.delete(name);
    }
  }

  /** Rows in the log after the snapshot, as far as this process knows (reads, appends and compactions). */
  unfolded(name: string): number {
    return this.unfoldedCounts.get(name) ?? 0;
  }

  /**
   * Folds the log rows after the snapshot into the snapshot, in one transaction, and returns how many it folded.
   * The new snapshot is built from what the database holds (this process's copy may lack updates another process
   * logged) united with `applied`, this process's copy, when given (it may hold a change whose append is still
   * being retried, or one relayed from a process that crashed before logging it). It records the last folded id;
   * the folded rows are deleted. Concurrent compactions of one document queue up.
   */
  compact(name: string, applied?: Uint8Array): Promise<number> {
    const previous = this.compactions.get(name) ?? Promise.resolve();
    const run = previous.then(() => this.compactOnce(name, applied));
    const settled = run.then(
      () => {},
      () => {},
    );
    this.compactions.set(name, settled);
    void settled.then(() => {
      if (this.compactions.get(name) === settled) this.compactions.delete(name);
    });
    return run;
  }

  private async compactOnce(name: string, applied?: Uint8Array): Promise<number> {
    const folded = await this.options.db.transaction(async (tx) => {
      await tx.execute(lockExclusive(name));
      const [snapshot] = await tx.select().from(liveDocuments).where(eq(liveDocuments.name, name));
      const rows = await tx
        .select({ id: liveUpdates.id, update: liveUpdates.update })
        .from(liveUpdates)
        .where(and(eq(liveUpdates.documentName, name), gt(liveUpdates.id, snapshot?.throughUpdateId ?? 0)))
        .orderBy(asc(liveUpdates.id));
      if (rows.length === 0 && !applied) return 0;
      const doc = new Y.Doc();
      try {
        if (snapshot) Y.applyUpdate(doc, snapshot.state);
        for (const row of rows) Y.applyUpdate(doc, row.update);
        if (applied) {
          // Nothing new anywhere: no write (a store after a compaction that already took everything).
          if (rows.length === 0 && Y.snapshotContainsUpdate(Y.snapshot(doc), applied)) return 0;
          Y.applyUpdate(doc, applied);
        }
        // Updates whose dependencies are missing stay pending in the doc; encodeStateAsUpdate keeps them.
        const state = Y.encodeStateAsUpdate(doc);
        const throughUpdateId = rows.at(-1)?.id ?? snapshot?.throughUpdateId ?? 0;
        const updatedAt = new Date();
        await tx
          .insert(liveDocuments)
          .values({ name, state, throughUpdateId, updatedAt })
          .onConflictDoUpdate({ target: liveDocuments.name, set: { state, throughUpdateId, updatedAt } });
        await tx
          .delete(liveUpdates)
          .where(and(eq(liveUpdates.documentName, name), lte(liveUpdates.id, throughUpdateId)));
      } finally {
        doc.destroy();
      }
      return rows.length;
    });
    this.unfoldedCounts.set(name, Math.max(0, (this.unfoldedCounts.get(name) ?? 0) - folded));
    return folded;
  }

  /** Compacts, trying again with backoff; throws the last error after `attempts` failures. */
  async compactWithRetry(name: string, attempts = 4, applied?: () => Uint8Array): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.compact(name, applied?.());
      } catch (error) {
        this.options.log.error({
          event: 'collab_store_failed',
          document: name,
          step: 'compaction',
          attempt,
          err: error,
        });
        if (attempt >= attempts || this.stopped) throw error;
        await sleep(this.retryDelay(attempt));
      }
    }
  }

  /** A compaction in the background when the log has grown; a failure is logged and left to the next trigger. */
  private compactSoon(name: string) {
    if (this.compactions.has(name) || this.stopped) return;
    this.compactWithRetry(name).catch(() => {});
  }

  /** Forgets what it knew about an unloaded document. */
  forget(name: string) {
    if (!this.queues.has(name)) this.unfoldedCounts.delete(name);
  }

  /** Resolves when every running compaction has finished. */
  async compacted(): Promise<void> {
    while (this.compactions.size > 0) await Promise.allSettled([...this.compactions.values()]);
  }

  /** Stops retrying (shutdown): a write that fails from now on refuses the updates still waiting. */
  stop() {
    this.stopped = true;
  }
}
