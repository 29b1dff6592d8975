import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { type Db, rowsOf, type Tx } from '../../db/client';
import { liveDocuments, liveUpdates, liveUpdatesRefused } from '../../db/schema';
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

/**
 * Appends a batch in one statement, so one round trip (and on PGlite one query in the event loop) per batch
 * instead of four (begin, lock, insert, commit). The lock is an uncorrelated sub-select, planned as a one-time
 * filter over the rows: it is taken before the first row's id is drawn from the sequence, and, the statement
 * being its own transaction, held until the rows are committed.
 */
const appendStatement = (name: string, updates: Uint8Array[]) => sql`
  insert into ${liveUpdates} (document_name, "update")
  select ${name}, batch.bytes
  from (values ${sql.join(
    updates.map((update) => sql`(${update}::bytea)`),
    sql`, `,
  )}) as batch(bytes)
  where exists (select from (${lockShared(name)}) as held)`;

/** An update that was not written in time; it must not be applied. No message, so Hocuspocus does not print it. */
export class UpdateNotLogged extends Error {}

export interface UpdateLogOptions {
  db: Db;
  log: Logger;
  /** How long `written` waits by default before giving up (a store then fails and is tried again later). */
  appendTimeoutMs?: number;
  /** First delay before a failed write is tried again; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * The least time between the starts of two writes of one document, ms (default 200). Updates that arrive
   * meanwhile wait and are written together: while people type, a write per interval instead of one per keystroke.
   * A write wakes the database (PGlite's thread, a Postgres backend) and costs it several times more CPU after an
   * idle moment than back to back (decision record 0050); on a busy machine that CPU is taken from the readers the
   * word was just sent to. 0 writes as soon as the previous write is done (and turns `appendQuietMs` off).
   */
  appendIntervalMs?: number;
  /**
   * A write also waits until no update of the document has arrived for this long, ms (default 20), so that it
   * starts once the last keystroke's fan-out is done rather than while the readers are receiving it; but no update
   * waits more than twice `appendIntervalMs` (a steady stream, such as everyone writing at once, is never quiet).
   */
  appendQuietMs?: number;
  /** A document whose log holds this many updates is compacted without waiting for its next store. */
  compactAfterUpdates?: number;
  /**
   * Whether to vacuum the log's tables after each compaction. By default, when the database has no autovacuum
   * running: the embedded database (PGlite, one backend) has none, so the rows a compaction deletes and the
   * snapshots it replaces would stay on disk for good and the log's table and index would grow meeting after
   * meeting (decision record 0049). A Postgres server's autovacuum does it by itself.
   */
  vacuumAfterCompaction?: boolean;
}

export interface LoggedDocument {
  /** the snapshot, or null when the document was never compacted */
  state: Uint8Array | null;
  throughUpdateId: number;
  /** the log rows after the snapshot, oldest first */
  updates: Uint8Array[];
  /** their ids in live_updates */
  ids: number[];
}

/** A stored row (or the snapshot: id null) that could not be applied. */
export interface RefusedRow {
  id: number | null;
  update: Uint8Array;
  error: string;
}

/**
 * Applies a stored document (snapshot, then log rows in order) to `doc`, row by row: a row that throws is left out
 * and returned, so one bad row never keeps the rest from loading (decision record 0019). All in one transaction:
 * Yjs reads the whole state vector at the start and end of each transaction, which costs as many steps as the
 * document has ever had clients (hundreds more after every meeting), so a transaction per row made compactions,
 * which run in the event loop, slower meeting after meeting (decision record 0049).
 */
export function applyLogged(
  doc: Y.Doc,
  loaded: Pick<LoggedDocument, 'state' | 'updates' | 'ids'>,
): RefusedRow[] {
  const refused: RefusedRow[] = [];
  const apply = (id: number | null, update: Uint8Array) => {
    try {
      Y.applyUpdate(doc, update);
    } catch (error) {
      refused.push({
        id,
        update,
        error: error instanceof Error ? error.message || error.name : String(error),
      });
    }
  };
  doc.transact(() => {
    if (loaded.state) apply(null, loaded.state);
    for (const [index, update] of loaded.updates.entries()) apply(loaded.ids[index], update);
  });
  return refused;
}

interface Pending {
  update: Uint8Array;
  /** when it was appended (performance.now()) */
  at: number;
  resolve(): void;
  reject(error: Error): void;
  /** resolves once the update is written; rejects with UpdateNotLogged when it was given up at shutdown */
  written: Promise<void>;
}

interface Queue {
  entries: Pending[];
  draining: Promise<void> | null;
}

const maxBatch = 200;
/** See `appendIntervalMs` and `appendQuietMs`. */
export const defaultAppendIntervalMs = 200;
export const defaultAppendQuietMs = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
/**
 * After `ms`, or in the next turn of the event loop when `ms` is 0: after this turn's immediates either way
 * (Hocuspocus broadcasts an update in one).
 */
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The append-only log of Yjs updates of collaborative documents (`live_updates`), folded from time to time into
 * the document's snapshot (`live_documents`).
 *
 * Appends of one document are written one batch at a time, in the order they were asked for, so the log's order
 * is the order in which the server applies them. A write starts in the next turn of the event loop at the
 * earliest, so what the caller does in this turn (apply the update and broadcast it) is not held up by it, at
 * most once per `appendIntervalMs` per document and after a quiet moment (`appendQuietMs`); updates that arrive
 * meanwhile join the batch. A failed write is tried again with backoff until it succeeds or `stop()` is called.
 */
export class UpdateLog {
  private readonly queues = new Map<string, Queue>();
  /** rows in the log after the snapshot, per loaded document, as far as this process knows */
  private readonly unfoldedCounts = new Map<string, number>();
  private readonly compactions = new Map<string, Promise<void>>();
  /** when the last write of each document started (performance.now()) */
  private readonly lastWriteAt = new Map<string, number>();
  private stopped = false;
  /** whether the database has no autovacuum of its own (asked at the first compaction) */
  private noAutovacuum: Promise<boolean> | null = null;

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
        .select({ id: liveUpdates.id, update: liveUpdates.update })
        .from(liveUpdates)
        .where(and(eq(liveUpdates.documentName, name), gt(liveUpdates.id, throughUpdateId)))
        .orderBy(asc(liveUpdates.id));
      return {
        state: snapshot?.state ?? null,
        throughUpdateId,
        updates: rows.map((row) => row.update),
        ids: rows.map((row) => row.id),
      };
    });
    this.unfoldedCounts.set(name, loaded.updates.length);
    return loaded;
  }

  /**
   * Moves rows that could not be applied out of the log into live_updates_refused (a snapshot that cannot be
   * applied is moved too, and the log rows after it then load on their own), and logs each one.
   */
  async moveAside(name: string, refused: RefusedRow[]): Promise<void> {
    if (refused.length === 0) return;
    await this.options.db.transaction(async (tx) => {
      await tx.execute(lockExclusive(name));
      await this.keepAside(tx, name, refused);
      const ids = refused.flatMap((row) => (row.id === null ? [] : [row.id]));
      if (ids.length > 0) {
        await tx
          .delete(liveUpdates)
          .where(and(eq(liveUpdates.documentName, name), inArray(liveUpdates.id, ids)));
      }
      if (refused.some((row) => row.id === null)) {
        await tx
          .update(liveDocuments)
          .set({ state: Y.encodeStateAsUpdate(new Y.Doc()) })
          .where(eq(liveDocuments.name, name));
      }
    });
    const known = this.unfoldedCounts.get(name);
    if (known !== undefined)
      this.unfoldedCounts.set(name, Math.max(0, known - refused.filter((r) => r.id !== null).length));
  }

  private async keepAside(tx: Tx, name: string, refused: RefusedRow[]) {
    if (refused.length === 0) return;
    for (const row of refused) {
      this.options.log.error({
        event: 'collab_update_moved_aside',
        document: name,
        updateId: row.id,
        bytes: row.update.length,
        err: row.error,
      });
    }
    await tx.insert(liveUpdatesRefused).values(
      refused.map((row) => ({
        documentName: name,
        updateId: row.id,
        update: row.update,
        error: row.error.slice(0, 500),
      })),
    );
  }

  /**
   * Queues the update; resolves once it is in the log, rejects with UpdateNotLogged when it was still not written
   * when `stop()` was called.
   */
  append(name: string, update: Uint8Array): Promise<void> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = { entries: [], draining: null };
      this.queues.set(name, queue);
    }
    const entry = { update, at: performance.now() } as Pending;
    entry.written = new Promise<void>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    // Observed by whoever asks (written, whenWritten); not an unhandled rejection when nobody does.
    entry.written.catch(() => {});
    queue.entries.push(entry);
    if (!queue.draining) {
      const drained = queue;
      queue.draining = after(0).then(() => this.drain(name, drained));
    }
    return entry.written;
  }

  /** Number of updates of the document still waiting to be written. */
  pending(name: string): number {
    return this.queues.get(name)?.entries.length ?? 0;
  }

  /**
   * Null when every update asked for so far is written; otherwise a promise that resolves once they are (writes
   * are in order: the last one's is enough) or rejects with UpdateNotLogged when one was given up at shutdown.
   */
  whenWritten(name: string): Promise<void> | null {
    return this.queues.get(name)?.entries.at(-1)?.written ?? null;
  }

  /**
   * Resolves when every update asked for so far is written (not those asked for later); rejects with
   * UpdateNotLogged after `timeoutMs` or when one of them was given up at shutdown.
   */
  async written(name: string, timeoutMs = this.appendTimeoutMs): Promise<void> {
    const waiting = this.whenWritten(name);
    if (!waiting) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      const late = await Promise.race([waiting.then(() => false), timedOut]);
      if (late) throw new UpdateNotLogged();
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * How long the next write of the document still waits, ms: until an interval after the last write started and a
   * quiet moment after the newest update, but no longer than twice the interval after the oldest waiting one.
   */
  private untilNextWrite(name: string, queue: Queue): number {
    const oldest = queue.entries[0]?.at;
    const newest = queue.entries.at(-1)?.at;
    if (this.stopped || oldest === undefined || newest === undefined) return 0;
    const interval = this.options.appendIntervalMs ?? defaultAppendIntervalMs;
    const quiet = Math.min(this.options.appendQuietMs ?? defaultAppendQuietMs, interval);
    const now = performance.now();
    const last = this.lastWriteAt.get(name);
    const ready = Math.max(last === undefined ? now : last + interval, newest + quiet);
    return Math.min(ready, oldest + 2 * interval) - now;
  }

  private async drain(name: string, queue: Queue) {
    let attempt = 0;
    try {
      while (queue.entries.length > 0) {
        // Waits for the interval and a quiet moment, gathering what arrives meanwhile (which moves the quiet moment).
        for (let wait = this.untilNextWrite(name, queue); wait > 0; wait = this.untilNextWrite(name, queue))
          await after(wait);
        const batch = queue.entries.slice(0, maxBatch);
        this.lastWriteAt.set(name, performance.now());
        try {
          await this.options.db.execute(
            appendStatement(
              name,
              batch.map((entry) => entry.update),
            ),
          );
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
        // A row that cannot be applied is left out of the snapshot, and kept aside rather than deleted.
        const refused = applyLogged(doc, {
          state: snapshot?.state ?? null,
          updates: rows.map((row) => row.update),
          ids: rows.map((row) => row.id),
        });
        await this.keepAside(tx, name, refused);
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
    if (folded > 0 && (await this.vacuumsAfterCompaction())) await this.vacuum(name);
    return folded;
  }

  /** The option, or else whether the database lacks a running autovacuum (asked once). */
  private vacuumsAfterCompaction(): Promise<boolean> {
    const asked = this.options.vacuumAfterCompaction;
    if (asked !== undefined) return Promise.resolve(asked);
    this.noAutovacuum ??= this.options.db
      .execute(
        sql`select not exists (select from pg_stat_activity where backend_type = 'autovacuum launcher') as "none"`,
      )
      .then((result) => rowsOf<{ none: boolean }>(result)[0]?.none === true)
      .catch(() => false);
    return this.noAutovacuum;
  }

  /** Frees what a compaction left behind; a failure is logged, the compaction stands. */
  private async vacuum(name: string) {
    try {
      await this.options.db.execute(sql`vacuum ${liveUpdates}, ${liveDocuments}`);
    } catch (error) {
      this.options.log.warn({ event: 'collab_log_vacuum_failed', document: name, err: error });
    }
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
    if (this.queues.has(name)) return;
    this.unfoldedCounts.delete(name);
    this.lastWriteAt.delete(name);
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
