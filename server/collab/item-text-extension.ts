import type {
  afterLoadDocumentPayload,
  afterStoreDocumentPayload,
  beforeHandleAwarenessPayload,
  Extension,
  Hocuspocus,
} from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { LivePublisher } from '../../app/context';
import { parseDocumentName } from '../../app/domain/document-names';
import { itemTextSeed, neverEdited, readItemText } from '../../app/domain/item-text';
import { projectItemText } from '../../app/services/backlog/item-text.server';
import { publishBacklogChange } from '../../app/services/backlog/live.server';
import { publishCriteriaChange } from '../../app/services/sprints/live.server';
import type { Db } from '../../db/client';
import { backlogItems, users } from '../../db/schema';
import type { Logger } from '../logger';
import type { CollabContext } from './auth-extension';

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
 * - After each store, the text is projected back into the item's row (criteria only when they parse), and open
 *   backlog views are told. This runs inside the store, after the persistence extension wrote the document, so
 *   shutdown's flush waits for it too.
 * - Presence is vouched for: whatever a client announces as its `user` in awareness, the others see the id and
 *   name of the account it connected with, and whether it is read-only, so nobody can type under another name.
 */
export class ItemTextExtension implements Extension {
  extensionName = 'refinery-item-text';

  /** display names by user id, for a minute: awareness updates come with every caret move */
  private readonly names = new Map<string, { name: string; until: number }>();

  constructor(private readonly options: { db: Db; log: Logger; attempts?: number }) {}

  private async displayName(userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached && cached.until > Date.now()) return cached.name;
    let name = cached?.name ?? 'Someone';
    try {
      const [row] = await this.options.db
        .select({ name: users.displayName })
        .from(users)
        .where(eq(users.id, userId));
      if (row) name = row.name;
    } catch (error) {
      // Presence must not fail with the database: an older name (or none) will do until the next update.
      this.options.log.warn({ event: 'item_presence_name_failed', userId, err: error });
      return name;
    }
    if (this.names.size > 10_000) this.names.clear();
    this.names.set(userId, { name, until: Date.now() + 60_000 });
    return name;
  }

  async beforeHandleAwareness({
    documentName,
    states,
    context,
    connection,
  }: beforeHandleAwarenessPayload<CollabContext>) {
    if (!itemIdOf(documentName) || !connection || !context) return;
    const name = await this.displayName(context.userId);
    for (const state of states.values()) {
      const user = state?.user;
      if (user && typeof user === 'object') {
        state.user = { ...user, id: context.userId, name, readOnly: connection.readOnly };
      }
    }
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
    const itemId = itemIdOf(documentName);
    if (!itemId || !neverEdited(document)) return;
    const [row] = await this.options.db
      .select({ description: backlogItems.description, criteria: backlogItems.criteria })
      .from(backlogItems)
      .where(eq(backlogItems.id, itemId));
    // Another change may have arrived while reading (a relayed seed, a publisher): seed only an untouched document.
    if (!row || !neverEdited(document)) return;
    Y.applyUpdate(document, itemTextSeed(row));
  }

  async afterStoreDocument({ documentName, document, instance }: afterStoreDocumentPayload) {
    const itemId = itemIdOf(documentName);
    if (!itemId) return;
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
