import {
  type afterUnloadDocumentPayload,
  type beforeSyncPayload,
  type beforeUnloadDocumentPayload,
  type Connection,
  type Document,
  type Extension,
  type Hocuspocus,
  isTransactionOrigin,
  type onChangePayload,
  type onLoadDocumentPayload,
  type onStoreDocumentPayload,
  shouldSkipStoreHooks,
} from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { parseDocumentName } from '../../app/domain/document-names';
import type { Db } from '../../db/client';
import { liveDocuments } from '../../db/schema';
import type { Logger } from '../logger';
import {
  interceptSends,
  MessageType,
  outgoingType,
  storeNow,
  syncStatusApplied,
} from './hocuspocus-internals';
import { applyLogged, UpdateLog } from './update-log';

/** Thrown to keep a document in memory; no message, so Hocuspocus does not print it. */
class KeepLoaded extends Error {}

/** Serverside close code "internal error": the provider reconnects and syncs again. */
const closeInternalError = 1011;

/** Per writable connection: the update beforeSync saw, logged once Hocuspocus answers that it applied it. */
interface Holding {
  toLog: Uint8Array | null;
}

/** Documents people type into: their every update is logged once applied (decision records 0008, 0019). */
export const isLoggedDocument = (documentName: string) => parseDocumentName(documentName)?.kind === 'item';

/** An update with no structs and an empty delete set (two zero lengths): nothing to log. */
const isEmptyUpdate = (update: Uint8Array) => update.length <= 2 && update.every((byte) => byte === 0);

export interface PersistenceOptions {
  db: Db;
  log: Logger;
  /** delay before a failed store is tried again (the store itself already retried a few times) */
  retryDelayMs?: number;
  /** a logged document is compacted after this many updates, without waiting for its next store */
  compactAfterUpdates?: number;
  /** how long a store waits for the log to take the document's updates before it fails (and is tried again) */
  appendTimeoutMs?: number;
}

/**
 * Loads and stores live documents in Postgres.
 *
 * Collaborative documents (item texts) are kept as a snapshot plus an append-only log of updates: a client's
 * update is appended as soon as Hocuspocus has applied it (one that does not decode and apply is never logged),
 * the server's own changes (a seed, a publisher) right after,
 * and the log is folded into the snapshot once it is long and when the document's last connection leaves. Documents only the server writes (product, session) are stored as
 * a snapshot, as before.
 *
 * A document with changes that are not stored yet is dirty, and is never unloaded: Hocuspocus 4.7 unloads a
 * document whose store failed as soon as its last connection leaves, losing the changes. A failed store is
 * tried again later until it succeeds. Every in-flight store is tracked so shutdown can wait for them.
 */
export class PersistenceExtension implements Extension {
  extensionName = 'refinery-persistence';
  readonly updates: UpdateLog;
  /** writable connections whose answers wait for the log */
  private readonly holding = new WeakMap<Connection, Holding>();
  private readonly inFlight = new Set<Promise<void>>();
  /** document name → number of changes seen; an entry means the document has unsaved changes */
  private readonly dirty = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: PersistenceOptions) {
    const { db, log, compactAfterUpdates, appendTimeoutMs } = options;
    this.updates = new UpdateLog({ db, log, compactAfterUpdates, appendTimeoutMs });
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
    if (isLoggedDocument(documentName)) {
      const loaded = await this.updates.read(documentName);
      const { updates } = loaded;
      // One row that cannot be applied (stored before updates were checked) must not keep the document from loading.
      const refused = applyLogged(document, loaded);
      if (refused.length > 0) await this.updates.moveAside(documentName, refused);
      if (updates.length > 0) {
        this.options.log.debug({
          event: 'collab_loaded_with_log',
          document: documentName,
          updates: updates.length,
        });
      }
      return document;
    }
    const [row] = await this.options.db
      .select()
      .from(liveDocuments)
      .where(eq(liveDocuments.name, documentName));
    if (row) Y.applyUpdate(document, row.state);
    return document;
  }

  /**
   * Notes a client's update as Hocuspocus is about to apply it; it is queued for the log the moment Hocuspocus says it
   * applied it, without waiting: the others see it at once. What the client is told (its SyncStatus, "applied") waits until the log holds it (see holdAcknowledgements),
   * so "acknowledged" still implies "in Postgres". Read-only connections are skipped: Hocuspocus drops their updates.
   */
  async beforeSync({ documentName, document, connection, type, payload }: beforeSyncPayload) {
    if (!isLoggedDocument(documentName) || connection.readOnly) return;
    const hold = this.holdAcknowledgements(documentName, connection);
    hold.toLog = null;
    if (type !== messageYjsSyncStep2 && type !== messageYjsUpdate) return;
    if (isEmptyUpdate(payload)) return;
    // A reconnecting client's answer to the initial sync mostly holds nothing new; such answers are not logged.
    if (type === messageYjsSyncStep2 && Y.snapshotContainsUpdate(Y.snapshot(document), payload)) return;
    // Logged once Hocuspocus has applied it (its "applied" answer is the sign): an update that does not apply
    // never reaches the log. A copy: the payload is a view into the incoming message, and writes are batched.
    hold.toLog = payload.slice();
  }

  /**
   * Makes a writable connection's answers to its updates wait until every update of the document queued so far is
   * in the log: the client's own, and anything else the document applied before (an answer to a sync that brought
   * nothing new says the client's state is stored too). Answers keep their order; the provider counts them, so
   * once one cannot be given (an update given up at shutdown) no later one is, and the socket is closed: the
   * provider reconnects and its sync re-sends what the server lacks. Other messages are not held.
   */
  private holdAcknowledgements(documentName: string, connection: Connection): Holding {
    const existing = this.holding.get(connection);
    if (existing) return existing;
    const holding: Holding = { toLog: null };
    this.holding.set(connection, holding);
    let held: Promise<void> | null = null;
    let broken = false;
    interceptSends(connection, (message, send) => {
      if (outgoingType(message) !== MessageType.SyncStatus) return send(message);
      // The answer to the update beforeSync saw: it was applied (an update that throws gets no answer).
      const applied = holding.toLog;
      holding.toLog = null;
      if (applied && syncStatusApplied(message)) this.updates.append(documentName, applied).catch(() => {});
      if (broken) return;
      const written = this.updates.whenWritten(documentName);
      if (!written && !held) return send(message);
      const after: Promise<void> = (held ?? Promise.resolve())
        .then(() => written)
        .then(
          () => {
            if (!broken) send(message);
          },
          () => {
            if (broken) return;
            broken = true;
            this.options.log.error({
              event: 'collab_update_not_acknowledged',
              document: documentName,
              socketId: connection.socketId,
            });
            connection.webSocket.close(closeInternalError, 'update not stored');
          },
        )
        .finally(() => {
          if (held === after) held = null;
        });
      held = after;
    });
    return holding;
  }

  async onChange({ documentName, transactionOrigin, update }: onChangePayload) {
    // Updates relayed from another process are stored by that process.
    if (shouldSkipStoreHooks(transactionOrigin)) return;
    this.dirty.set(documentName, (this.dirty.get(documentName) ?? 0) + 1);
    const fromClient = isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'connection';
    if (isLoggedDocument(documentName) && !fromClient) {
      // The server's own change is already applied: it can only be logged now, and is retried until it is.
      // It is queued before any later client update, so the log never holds an edit without what it builds on.
      this.updates.append(documentName, update).catch(() => {});
    }
  }

  async onStoreDocument({ documentName, document, instance }: onStoreDocumentPayload) {
    const changesBefore = this.dirty.get(documentName);
    const store = isLoggedDocument(documentName)
      ? this.foldLog(documentName, document)
      : this.storeWithRetry(documentName, Y.encodeStateAsUpdate(document));
    this.inFlight.add(store);
    try {
      await store;
      // Changes that arrived while writing have scheduled a store of their own.
      if (this.dirty.get(documentName) === changesBefore) this.dirty.delete(documentName);
    } catch (error) {
      this.scheduleRetry(instance, document);
      throw error;
    } finally {
      this.inFlight.delete(store);
    }
  }

  async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload) {
    if (this.dirty.has(documentName)) throw new KeepLoaded();
    // Rows left after a crash, when nobody edits after the load, are never folded by a store (no change schedules
    // one). They are safe in the log either way; folding them now only keeps the next load short.
    if (isLoggedDocument(documentName) && this.updates.unfolded(documentName) > 0) {
      await this.updates.compactWithRetry(documentName, 2).catch(() => {});
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
    clearTimeout(this.retries.get(documentName));
    this.retries.delete(documentName);
    this.updates.forget(documentName);
  }

  isDirty(documentName: string): boolean {
    return this.dirty.has(documentName);
  }

  /**
   * Waits until every change so far is in the log: then the document is stored. Folding the log into the snapshot
   * reads the whole log and encodes the whole document, in the event loop on PGlite, which held every edit of the
   * room back (decision record 0008): while people type, the log is folded in the background once it is long
   * (`compactAfterUpdates`). The store when the last connection has left (before an unload, or at shutdown, when
   * connections are closed first) folds what is left, with what this process applied, which covers a change whose
   * append failed for good at shutdown.
   */
  private async foldLog(name: string, document: Document) {
    try {
      await this.updates.written(name);
    } catch (error) {
      this.options.log.error({
        event: 'collab_store_failed',
        document: name,
        step: 'log',
        pending: this.updates.pending(name),
      });
      throw error;
    }
    // The live count: the store payload's clientsCount is the one of the change that scheduled the store.
    if (document.getConnectionsCount() > 0) return;
    await this.updates.compactWithRetry(name, 4, () => Y.encodeStateAsUpdate(document));
  }

  private scheduleRetry(instance: Hocuspocus, document: Document) {
    const name = document.name;
    clearTimeout(this.retries.get(name));
    const timer = setTimeout(() => {
      this.retries.delete(name);
      if (!this.dirty.has(name) || instance.documents.get(name) !== document) return;
      void storeNow(instance, document);
    }, this.options.retryDelayMs ?? 5000);
    timer.unref();
    this.retries.set(name, timer);
  }

  private async storeWithRetry(name: string, state: Uint8Array, attempts = 4) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.db
          .insert(liveDocuments)
          .values({ name, state, updatedAt: new Date() })
          .onConflictDoUpdate({ target: liveDocuments.name, set: { state, updatedAt: new Date() } });
        return;
      } catch (error) {
        this.options.log.error({ event: 'collab_store_failed', document: name, attempt, err: error });
        if (attempt >= attempts) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  /** Resolves when every store that has started has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.updates.compacted();
  }

  /** Stops retrying (shutdown). */
  stop() {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.updates.stop();
  }
}
