import {
  type afterUnloadDocumentPayload,
  type beforeUnloadDocumentPayload,
  type Document,
  type Extension,
  type Hocuspocus,
  type onChangePayload,
  type onLoadDocumentPayload,
  type onStoreDocumentPayload,
  shouldSkipStoreHooks,
} from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../../db/client';
import { liveDocuments } from '../../db/schema';
import type { Logger } from '../logger';

/** Thrown to keep a document in memory; no message, so Hocuspocus does not print it. */
class KeepLoaded extends Error {}

/**
 * Loads and stores the state of live documents in Postgres. Stores are retried with a bound, and every
 * in-flight store is tracked so shutdown can wait for them.
 *
 * A document with changes that are not stored yet is dirty, and is never unloaded: Hocuspocus 4.7 unloads a
 * document whose store failed as soon as its last connection leaves, losing the changes. A failed store is
 * tried again later until it succeeds.
 */
export class PersistenceExtension implements Extension {
  extensionName = 'refinery-persistence';
  private readonly inFlight = new Set<Promise<void>>();
  /** document name → number of changes seen; an entry means the document has unsaved changes */
  private readonly dirty = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: { db: Db; log: Logger; retryDelayMs?: number }) {}

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
    const [row] = await this.options.db.select().from(liveDocuments).where(eq(liveDocuments.name, documentName));
    if (row) Y.applyUpdate(document, row.state);
    return document;
  }

  async onChange({ documentName, transactionOrigin }: onChangePayload) {
    // Updates relayed from another process are stored by that process.
    if (shouldSkipStoreHooks(transactionOrigin)) return;
    this.dirty.set(documentName, (this.dirty.get(documentName) ?? 0) + 1);
  }

  async onStoreDocument({ documentName, document, instance }: onStoreDocumentPayload) {
    const changesBefore = this.dirty.get(documentName);
    const state = Y.encodeStateAsUpdate(document);
    const store = this.storeWithRetry(documentName, state);
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
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
    clearTimeout(this.retries.get(documentName));
    this.retries.delete(documentName);
  }

  isDirty(documentName: string): boolean {
    return this.dirty.has(documentName);
  }

  private scheduleRetry(instance: Hocuspocus, document: Document) {
    const name = document.name;
    clearTimeout(this.retries.get(name));
    const timer = setTimeout(() => {
      this.retries.delete(name);
      if (!this.dirty.has(name) || instance.documents.get(name) !== document) return;
      void instance.storeDocumentHooks(document, this.storePayload(instance, document), true);
    }, this.options.retryDelayMs ?? 5000);
    timer.unref();
    this.retries.set(name, timer);
  }

  storePayload(instance: Hocuspocus, document: Document): onStoreDocumentPayload {
    return {
      instance,
      document,
      documentName: document.name,
      clientsCount: document.getConnectionsCount(),
      lastContext: {},
      lastTransactionOrigin: { source: 'local' },
    };
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
  }

  /** Stops retrying (shutdown). */
  stop() {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }
}
