import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { backlogItems } from '../../db/schema';
import { authorize } from './products.server';

/** The product's backlog in rank order (archived items are out of the order). */
export async function listBacklog(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  return db
    .select({
      id: backlogItems.id,
      type: backlogItems.type,
      title: backlogItems.title,
      status: backlogItems.status,
      estimate: backlogItems.estimate,
      parentId: backlogItems.parentId,
      rank: backlogItems.rank,
    })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')))
    .orderBy(asc(backlogItems.rank));
}
