import { eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { rankAtBottom, rankAtTop, rankBetween } from '~/domain/rank';
import { can, roles } from '~/domain/roles';
import { authorize, isUuid } from '~/services/products.server';
import { queueRankPush } from '~/services/trackers/push.server';
import { type Db, rowsOf, type Tx } from '../../../db/client';
import { backlogItems, decisions } from '../../../db/schema';
import { loadItem } from './items.server';
import { keepRanksShort } from './rebalance.server';

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

const orderingRoles = roles.filter((role) => can(role, 'backlog.order'));

/** The raw rows of drivers differ (PGlite: { rows }, postgres.js: an array). */

/**
 * Locks the item's product row, but only for a caller who may order its backlog: one statement instead of
 * loading the item, checking the role and locking. No row means "not allowed" (or no such item); the caller
 * finds out which outside the transaction, with the usual errors.
 */
async function lockForMove(tx: Tx, itemId: string, actorId: string): Promise<string | null> {
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select p.id from products p
      where p.id = (select b.product_id from backlog_items b where b.id = ${itemId})
        and exists (select 1 from memberships m where m.product_id = p.id and m.user_id = ${actorId}
                    and m.role in (${sql.join(
                      orderingRoles.map((r) => sql`${r}`),
                      sql`, `,
                    )}))
      for update of p`),
  );
  return row?.id ?? null;
}

type Target = 'before' | 'after' | 'top' | 'bottom';

interface MoveFacts {
  rank: string;
  status: string;
  refProduct: string | null;
  refStatus: string | null;
  refRank: string | null;
  /** before/after: the closest rank on the far side of the reference (any status, not the item); top/bottom: the end rank */
  edge: string | null;
  from: number;
  to: number;
}

/**
 * Everything a move decides on, read in one statement after the lock (so it sees every earlier move): the item,
 * the reference item, the neighbouring rank and the item's place before and after. The place after is counted
 * from the reference, which is exact: nothing but the moved item sits between the reference and its neighbour.
 */
async function readMoveFacts(
  tx: Tx,
  itemId: string,
  target: Target,
  referenceId: string | null,
): Promise<MoveFacts | undefined> {
  const edge: Record<Target, SQL> = {
    before: sql`(select n.rank from backlog_items n where n.product_id = c.product_id and n.id <> c.id and n.rank < r.rank order by n.rank desc limit 1)`,
    after: sql`(select n.rank from backlog_items n where n.product_id = c.product_id and n.id <> c.id and n.rank > r.rank order by n.rank asc limit 1)`,
    top: sql`(select n.rank from backlog_items n where n.product_id = c.product_id order by n.rank asc limit 1)`,
    bottom: sql`(select n.rank from backlog_items n where n.product_id = c.product_id order by n.rank desc limit 1)`,
  };
  const above: Record<Target, SQL> = {
    before: sql`o.id <> c.id and o.rank < r.rank`,
    after: sql`o.id <> c.id and o.rank <= r.rank`,
    top: sql`false`,
    bottom: sql`o.id <> c.id`,
  };
  // Counted over index ranges of the order (product, rank) rather than by one pass over the whole product.
  const place = (bound: SQL) =>
    sql`(select count(*) from backlog_items o where o.product_id = c.product_id and o.status <> 'archived' and ${bound})::int + 1`;
  const [row] = rowsOf<MoveFacts>(
    await tx.execute(sql`
      select c.rank, c.status::text as status, r.product_id as "refProduct", r.status::text as "refStatus", r.rank as "refRank",
             ${edge[target]} as edge, ${place(sql`o.rank < c.rank`)} as "from", ${place(above[target])} as "to"
      from backlog_items c
      left join backlog_items r on ${referenceId === null ? sql`false` : sql`r.id = ${referenceId}`}
      where c.id = ${itemId}`),
  );
  return row;
}

/**
 * Moves one item: only the product owner orders the backlog. The product row is locked for the transaction, so
 * concurrent moves are applied one after the other and never produce the same rank; a move writes one item row
 * and one decision.
 */
export async function moveItem(db: Db, itemId: string, actorId: string, move: MoveInput) {
  if (!isUuid(itemId)) throw new AppError('not_found', 'No such backlog item');
  const reference = move.beforeId ?? move.afterId;
  const field = move.beforeId ? 'beforeId' : 'afterId';
  const target: Target = move.beforeId ? 'before' : move.afterId ? 'after' : move.position!;
  // Twice at most: a refusal is explained below, and a role granted in between gets one more try.
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await db.transaction(async (tx) => {
      const productId = await lockForMove(tx, itemId, actorId);
      if (!productId) return null;
      const facts = await readMoveFacts(
        tx,
        itemId,
        target,
        reference && isUuid(reference) ? reference : null,
      );
      if (!facts) throw new AppError('not_found', 'No such backlog item');
      if (facts.status === 'archived')
        throw new AppError('conflict', 'An archived item is not in the order; restore it first');
      let rank: string;
      if (reference) {
        if (reference === itemId)
          throw new AppError('invalid', 'An item cannot be moved relative to itself', { field });
        if (facts.refProduct !== productId)
          throw new AppError('invalid', `${field} must be an item of the same product`, { field });
        if (facts.refStatus === 'archived')
          throw new AppError('invalid', `${field} is archived and not in the order`, { field });
        rank =
          target === 'before'
            ? rankBetween(facts.edge, facts.refRank)
            : rankBetween(facts.refRank, facts.edge);
      } else {
        rank = target === 'top' ? rankAtTop(facts.edge) : rankAtBottom(facts.edge);
      }
      const { from, to } = facts;
      // The decision is written by the same statement as the row, in a data-modifying WITH (one round trip less).
      const logged = tx.$with('logged').as(
        tx
          .insert(decisions)
          .values({
            productId,
            itemId,
            actorId,
            kind: 'moved',
            before: { rank: facts.rank, position: from },
            after: { rank, position: to, ...(reference ? { [field]: reference } : { to: move.position }) },
            reason: move.reason ?? '',
          })
          .returning({ id: decisions.id }),
      );
      const [moved] = await tx
        .with(logged)
        .update(backlogItems)
        .set({ rank, updatedAt: new Date() })
        .where(eq(backlogItems.id, itemId))
        .returning();
      // A linked Jira issue is ranked next to its new neighbour (sent after the commit; decision 0038).
      await queueRankPush(tx, itemId, move.reason);
      // Rarely (many moves into one gap), the key has grown long: every key of the product is rewritten, same order.
      if (await keepRanksShort(tx, productId, rank)) {
        const [rebalanced] = await tx.select().from(backlogItems).where(eq(backlogItems.id, itemId));
        return { item: rebalanced, from, to };
      }
      return { item: moved, from, to };
    });
    if (result) return result;
    const item = await loadItem(db, itemId);
    await authorize(db, item.productId, actorId, 'backlog.order');
  }
  throw new AppError('conflict', 'The move could not be applied; try again');
}
