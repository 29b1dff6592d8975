import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { authorize } from '~/services/products.server';
import { recordDecisions } from './decisions.server';
import { endRank, loadItem, lockProduct } from './items.server';

export const archiveSchema = z.strictObject({
  itemIds: z
    .array(z.uuid({ message: 'itemIds must hold item ids' }))
    .min(1, 'Choose at least one item')
    .max(10_000),
  reason: z
    .string()
    .trim()
    .min(1, 'Give a reason for archiving')
    .max(1000, 'Reason must be at most 1000 characters'),
});

/** Archives items: they leave the order and keep all their data. Only the product owner decides this. */
export async function archiveItems(
  db: Db,
  productId: string,
  actorId: string,
  input: z.output<typeof archiveSchema>,
) {
  await authorize(db, productId, actorId, 'backlog.order');
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const items = await tx
      .select()
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, input.itemIds)));
    if (items.length !== new Set(input.itemIds).size)
      throw new AppError('invalid', 'Some itemIds are not items of this product', { field: 'itemIds' });
    const open = items.filter((i) => i.status !== 'archived');
    if (open.length === 0) return { archived: 0 };
    for (const item of open) {
      await tx
        .update(backlogItems)
        .set({ status: 'archived', archivedFromStatus: item.status, updatedAt: new Date() })
        .where(eq(backlogItems.id, item.id));
    }
    await recordDecisions(
      tx,
      open.map((item) => ({
        productId,
        itemId: item.id,
        actorId,
        kind: 'archived' as const,
        before: { status: item.status, rank: item.rank },
        after: { status: 'archived' },
        reason: input.reason,
      })),
    );
    return { archived: open.length };
  });
}

/** Restores an archived item to its former status, at the bottom of the order. */
export async function restoreItem(db: Db, itemId: string, actorId: string, reason: string) {
  const item = await loadItem(db, itemId);
  await authorize(db, item.productId, actorId, 'backlog.order');
  if (item.status !== 'archived') throw new AppError('conflict', 'This item is not archived');
  return db.transaction(async (tx) => {
    await lockProduct(tx, item.productId);
    const rank = await endRank(tx, item.productId, 'bottom');
    const status = item.archivedFromStatus ?? 'new';
    const [restored] = await tx
      .update(backlogItems)
      .set({ status, archivedFromStatus: null, rank, updatedAt: new Date() })
      .where(eq(backlogItems.id, itemId))
      .returning();
    await recordDecisions(tx, [
      {
        productId: item.productId,
        itemId,
        actorId,
        kind: 'restored',
        before: { status: 'archived' },
        after: { status, rank },
        reason,
      },
    ]);
    return restored;
  });
}
