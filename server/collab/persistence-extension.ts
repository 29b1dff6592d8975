import type { Extension, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../../db/client';
import { liveDocuments } from '../../db/schema';
import type { Logger } from '../logger';

/**
 * Loads and stores the state of live documents in Postgres. Stores are retried with a bound, and every
 * in-flight store is tracked so shutdown can wait for them.
 */
export class PersistenceExtension implements Extension {
  extensionName = 'refinery-persistence';
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: { db: Db; log: Logger }) {}

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
    const [row] = await this.options.db.select().from(liveDocuments).where(eq(liveDocuments.name, documentName));
    if (row) Y.applyUpdate(document, row.state);
    return document;
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload) {
    const state = Y.encodeStateAsUpdate(document);
    const store = this.storeWithRetry(documentName, state);
    this.inFlight.add(store);
    try {
      await store;
    } finally {
      this.inFlight.delete(store);
    }
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
}
