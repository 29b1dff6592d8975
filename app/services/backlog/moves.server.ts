import { and, asc, desc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { AppError } from '../../domain/errors';
import { rankBetween } from '../../domain/rank';
import { authorize } from '../products.server';
import { recordDecisions } from './decisions.server';
import { endRank, loadItem, lockProduct } from './items.server';

export const moveSchema = z
  .strictObject({
    beforeId: z.uuid({ message: 'beforeId must be an item id' }).optional(),
    afterId: z.uuid({ message: 'afterId must be an item id' }).optional(),
    position: z.enum(['top', 'bottom'], { message: 'position must be top or bottom' }).optional(),
    reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
  })
  .refine((m) => [m.beforeId, m.afterId, m.position].filter((v) => v !== undefined).length === 1, {
    message: 'Give exactly one of beforeId, afterId or position',
    path: ['position'],
  });
export type MoveInput = z.output<typeof moveSchema>;

/** The item's place before and after the move, in one pass over the product's order. */
async function positionsOf(tx: Tx, productId: string, itemId: string, from: string, to: string) {
  const [row] = await tx
    .select({
      from: sql<number>`(count(*) filter (where ${backlogItems.rank} < ${from}))::int + 1`,
      to: sql<number>`(count(*) filter (where ${backlogItems.rank} < ${to} and ${backlogItems.id} <> ${itemId}))::int + 1`,
    })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')));
  return row;
}

async function neighbour(tx: Tx, productId: string, itemId: string, rank: string, side: 'above' | 'below') {
  const [row] = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, productId),
        ne(backlogItems.id, itemId),
        side === 'above' ? lt(backlogItems.rank, rank) : gt(backlogItems.rank, rank),
      ),
    )
    .orderBy(side === 'above' ? desc(backlogItems.rank) : asc(backlogItems.rank))
    .limit(1);
  return row?.rank ?? null;
}

/**
 * Moves one item: only the product owner orders the backlog. The product row is locked for the transaction, so
 * concurrent moves are applied one after the other and never produce the same rank; a move writes one item row
 * and one decision.
 */
export async function moveItem(db: Db, itemId: string, actorId: string, move: MoveInput) {
  const item = await loadItem(db, itemId);
  await authorize(db, item.productId, actorId, 'backlog.order');
  return db.transaction(async (tx) => {
    await lockProduct(tx, item.productId);
    // Read again under the lock: another move may have changed its rank since.
    const current = await loadItem(tx, itemId);
    if (current.status === 'archived') throw new AppError('conflict', 'An archived item is not in the order; restore it first');
    const reference = move.beforeId ?? move.afterId;
    let rank: string;
    if (reference) {
      if (reference === itemId) throw new AppError('invalid', 'An item cannot be moved relative to itself', { field: move.beforeId ? 'beforeId' : 'afterId' });
      const other = await loadItem(tx, reference).catch(() => null);
      const field = move.beforeId ? 'beforeId' : 'afterId';
      if (!other || other.productId !== current.productId) {
        throw new AppError('invalid', `${field} must be an item of the same product`, { field });
      }
      if (other.status === 'archived') throw new AppError('invalid', `${field} is archived and not in the order`, { field });
      rank = move.beforeId
        ? rankBetween(await neighbour(tx, current.productId, itemId, other.rank, 'above'), other.rank)
        : rankBetween(other.rank, await neighbour(tx, current.productId, itemId, other.rank, 'below'));
    } else {
      rank = await endRank(tx, current.productId, move.position!);
    }
    const { from, to } = await positionsOf(tx, current.productId, itemId, current.rank, rank);
    const [moved] = await tx.update(backlogItems).set({ rank, updatedAt: new Date() }).where(eq(backlogItems.id, itemId)).returning();
    await recordDecisions(tx, [
      {
        productId: current.productId,
        itemId,
        actorId,
        kind: 'moved',
        before: { rank: current.rank, position: from },
        after: { rank, position: to, ...(reference ? { [move.beforeId ? 'beforeId' : 'afterId']: reference } : { to: move.position }) },
        reason: move.reason ?? '',
      },
    ]);
    return { item: moved, from, to };
  });
}
