import type {
  afterLoadDocumentPayload,
  afterStoreDocumentPayload,
  Extension,
  Hocuspocus,
} from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { LivePublisher } from '../../app/context';
import { parseDocumentName } from '../../app/domain/document-names';
import { emptyFieldsBlockUpdate, itemTextSeed, neverEdited, readItemText } from '../../app/domain/item-text';
import { projectItemText } from '../../app/services/backlog/item-text.server';
import { publishBacklogChange } from '../../app/services/backlog/live.server';
import { publishCriteriaChange } from '../../app/services/sprints/live.server';
import type { Db } from '../../db/client';
import { backlogItems } from '../../db/schema';
import type { Logger } from '../logger';

const itemIdOf = (documentName: string) => {
  const name = parseDocumentName(documentName);
  return name?.kind === 'item' ? name.id : null;
};

/** Publishes into another live document of the same server (the product's, to announce a backlog change). */
const publisherOf = (instance: Hocuspocus): LivePublisher => ({
  async update(documentName, change) {
    const connection = await instance.openDirectConnection(documentName, {
      userId: 'server',
      role: 'server',
    });
    try {
      await connection.transact(change);
    } finally {
      await connection.disconnect();
    }
  },
});

/**
 * The collaborative text of backlog items (`item:<id>` documents; see app/domain/item-text.ts).
 *
 * - After load, a document never edited live is seeded from the item's description and criteria in Postgres.
 *   The seed is an ordinary change, so it is stored like any edit and a client never sees two different seeds.
 *   Then any text field left empty (an edited document whose fragment was emptied) gets its empty paragraph, in
 *   one deterministic update, before a client can type.
 * - After each store, the text is projected back into the item's row (criteria only when they parse), and open
 *   backlog views are told. This runs inside the store, after the persistence extension wrote the document, so
 *   shutdown's flush waits for it too.
 * Presence is vouched for in every document kind by presence-extension.ts.
 */
export class ItemTextExtension implements Extension {
  extensionName = 'refinery-item-text';

  constructor(private readonly options: { db: Db; log: Logger; attempts?: number }) {}

  private async seed(itemId: string, document: Y.Doc) {
    const [row] = await this.options.db
      .select({ description: backlogItems.description, criteria: backlogItems.criteria })
      .from(backlogItems)
      .where(eq(backlogItems.id, itemId));
    // Another change may have arrived while reading (a relayed seed, a publisher): seed only an untouched document.
    if (!row || !neverEdited(document)) return;
    Y.applyUpdate(document, itemTextSeed(row));
  }

  /**
   * A document edited live whose text is not the row's (a crash after edits were logged, before they were
   * projected) is projected at once, so the API, exports and search do not wait for the next edit.
   */
  async afterLoadDocument({ documentName, document, instance }: afterLoadDocumentPayload) {
    const itemId = itemIdOf(documentName);
    if (!itemId) return;
    if (neverEdited(document)) {
      await this.seed(itemId, document);
    } else {
      await this.project(instance, itemId, document);
    }
    // Before any client syncs (Hocuspocus hands the document out only after this hook): every text field has its
    // first paragraph, so people who start typing into an empty field at once share it (see emptyFieldsBlockUpdate).
    const blocks = emptyFieldsBlockUpdate(documentName, document);
    if (blocks) Y.applyUpdate(document, blocks);
  }

  async afterStoreDocument({ documentName, document, instance }: afterStoreDocumentPayload) {
    const itemId = itemIdOf(documentName);
    if (!itemId) return;
    await this.project(instance, itemId, document);
  }

  /** Writes the text into the item's row when it differs, and tells open backlog views; retried a few times. */
  private async project(instance: Hocuspocus, itemId: string, document: Y.Doc) {
    const texts = readItemText(document);
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const projection = await projectItemText(this.options.db, itemId, texts);
        if (projection?.tooLong.length) {
          this.options.log.warn({ event: 'item_text_too_long', itemId, fields: projection.tooLong });
        }
        if (projection && projection.changed.length > 0) {
          await publishBacklogChange(
            { live: publisherOf(instance), log: this.options.log },
            projection.productId,
            {
              kind: 'text_edited',
              itemIds: [itemId],
            },
          );
        }
        if (projection?.changed.includes('criteria')) {
          // a review in progress shows the new checklist and which ticked lines changed
          await publishCriteriaChange(
            { db: this.options.db, live: publisherOf(instance), log: this.options.log },
            itemId,
          );
        }
        return;
      } catch (error) {
        // Not rethrown: the document itself is stored; the next store projects the text again.
        this.options.log.error({ event: 'item_text_projection_failed', itemId, attempt, err: error });
        if (attempt >= attempts) return;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
