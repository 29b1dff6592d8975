import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { needsRebalance, rebalance } from '~/domain/rank';

/**
 * Gives every item of the product a fresh short rank key, in the current order: the order does not change, only
 * the keys do, so nothing is logged and no view has to move a row. Archived items keep their place among the
 * keys (a restore puts them back at the bottom anyway). Call inside the transaction that holds the product row's
 * lock, so no other change of the order runs meanwhile.
 *
 * Two statements, because the ranks are unique per product and Postgres checks that row by row: the first parks
 * every key on a value no real key can take (`~` sorts after every key character; the id keeps them unique), the
 * second writes the new keys.
 */
export async function rebalanceRanks(tx: Tx, productId: string): Promise<number> {
  const rows = await tx
    .select({ id: backlogItems.id })
    .from(backlogItems)
    .where(eq(backlogItems.productId, productId))
    .orderBy(backlogItems.rank);
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const keys = rebalance(ids.length);
  await tx.execute(sql`update backlog_items set rank = '~' || id::text where product_id = ${productId}`);
  await tx.execute(sql`
    update backlog_items b set rank = fresh.rank
    from unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${keys.join(',')}}`}::text[]) as fresh(id, rank)
    where b.id = fresh.id and b.product_id = ${productId}`);
  return ids.length;
}

/**
 * After a key was written: when it has grown past the length where keys are worth rewriting (many inserts at one
 * spot), rebalances the product. Returns whether it did. Same locking rule as `rebalanceRanks`.
 */
export async function keepRanksShort(tx: Tx, productId: string, writtenRank: string): Promise<boolean> {
  if (!needsRebalance(writtenRank)) return false;
  await rebalanceRanks(tx, productId);
  return true;
}
