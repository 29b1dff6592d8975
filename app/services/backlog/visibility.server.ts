import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, memberships } from '../../../db/schema';
import { isUuid } from '~/services/products.server';

/**
 * What stands in for an item of a product the viewer is not a member of. Dependencies may cross products, so a
 * product's decision log, item history and session rooms can point at items their readers may not see: those show
 * this instead of the title (and nothing else of the other product).
 */
export const hiddenItemTitle = 'An item you cannot see';

/**
 * The items among `itemIds` the viewer may see: items of the products they are a member of. A guest (actor id
 * `guest:<participant>`) is a member of nothing; items that no longer exist are not visible either.
 */
export async function itemsVisibleTo(
  db: Db | Tx,
  viewerId: string,
  itemIds: readonly string[],
): Promise<Set<string>> {
  const ids = [...new Set(itemIds)].filter(isUuid);
  if (ids.length === 0 || !isUuid(viewerId)) return new Set();
  const rows = await db
    .select({ id: backlogItems.id })
    .from(backlogItems)
    .innerJoin(
      memberships,
      and(eq(memberships.productId, backlogItems.productId), eq(memberships.userId, viewerId)),
    )
    .where(inArray(backlogItems.id, ids));
  return new Set(rows.map((r) => r.id));
}
