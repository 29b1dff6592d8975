import { and, asc, eq, ilike, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems, itemDependencies, memberships, products } from '../../../db/schema';
import { wouldCreateCycle } from '~/domain/dependencies';
import { AppError } from '~/domain/errors';
import { authorize, isUuid } from '~/services/products.server';
import { recordDecisions } from './decisions.server';
import { loadItem } from './items.server';
import { hiddenItemTitle, itemsVisibleTo } from './visibility.server';

/**
 * "item is blocked by blocker". The blocker may be in another product, as long as the caller is a member there.
 * A link that would close a cycle is refused, naming the cycle.
 */
export async function addDependency(db: Db, itemId: string, blockedById: string, actorId: string) {
  const item = await loadItem(db, itemId);
  await authorize(db, item.productId, actorId, 'backlog.edit');
  const blocker = await loadItem(db, blockedById).catch(() => {
    throw new AppError('invalid', 'blockedById must be an existing item', { field: 'blockedById' });
  });
  await authorize(db, blocker.productId, actorId, 'product.view').catch(() => {
    throw new AppError('invalid', 'blockedById must be an item of a product you are a member of', {
      field: 'blockedById',
    });
  });
  return db.transaction(async (tx) => {
    // Serialise link changes so two people cannot close a cycle from both ends at once.
    await tx.execute(sql`select pg_advisory_xact_lock(7270102)`);
    // Only the part of the graph reachable from the blocker can lead back to the item.
    const reachable = await tx.execute<{ item_id: string; blocked_by_id: string }>(sql`
      with recursive reach(id) as (
        select ${blockedById}::uuid
        union
        select d.blocked_by_id from item_dependencies d join reach r on d.item_id = r.id
      )
      select d.item_id, d.blocked_by_id from item_dependencies d join reach r on d.item_id = r.id`);
    const rows = (Array.isArray(reachable) ? reachable : (reachable as { rows: unknown[] }).rows) as Array<{
      item_id: string;
      blocked_by_id: string;
    }>;
    const cycle = wouldCreateCycle(
      rows.map((r) => ({ from: r.item_id, to: r.blocked_by_id })),
      { from: itemId, to: blockedById },
    );
    if (cycle) {
      // The cycle may run through a product the caller is not a member of: those items stay unnamed.
      const visible = await itemsVisibleTo(tx, actorId, cycle);
      const titles = await tx
        .select({ id: backlogItems.id, title: backlogItems.title })
        .from(backlogItems)
        .where(inArray(backlogItems.id, cycle));
      const name = (id: string) =>
        (visible.has(id) ? titles.find((t) => t.id === id)?.title : undefined) ?? hiddenItemTitle;
      throw new AppError('conflict', `This link would make a cycle: ${cycle.map(name).join(' → ')}`, {
        field: 'blockedById',
      });
    }
    const inserted = await tx
      .insert(itemDependencies)
      .values({ itemId, blockedById, createdBy: actorId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) {
      await recordDecisions(tx, [
        {
          productId: item.productId,
          itemId,
          actorId,
          kind: 'dependency_added',
          after: { blockedById, title: blocker.title },
        },
      ]);
    }
    return { itemId, blockedById, created: inserted.length > 0 };
  });
}

export async function removeDependency(db: Db, itemId: string, blockedById: string, actorId: string) {
  const item = await loadItem(db, itemId);
  await authorize(db, item.productId, actorId, 'backlog.edit');
  if (!isUuid(blockedById)) throw new AppError('not_found', 'No such dependency');
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(itemDependencies)
      .where(and(eq(itemDependencies.itemId, itemId), eq(itemDependencies.blockedById, blockedById)))
      .returning();
    if (removed.length === 0) throw new AppError('not_found', 'No such dependency');
    await recordDecisions(tx, [
      { productId: item.productId, itemId, actorId, kind: 'dependency_removed', before: { blockedById } },
    ]);
  });
}

/** The links of the items of one product (both directions), for warnings and item pages. */
export async function dependenciesOf(db: Db, productId: string) {
  return db
    .select({
      itemId: itemDependencies.itemId,
      blockedById: itemDependencies.blockedById,
      blockerStatus: backlogItems.status,
    })
    .from(itemDependencies)
    .innerJoin(backlogItems, eq(backlogItems.id, itemDependencies.blockedById))
    .where(sql`${itemDependencies.itemId} in (select id from backlog_items where product_id = ${productId})`);
}

/**
 * Items of the caller's other products whose title matches `q`: blockers may live in another product (a shared
 * service, another team's backlog). Archived items are left out, as in the product's own search; at most `limit`,
 * by product name and then backlog order.
 */
export async function blockerCandidatesElsewhere(
  db: Db,
  productId: string,
  userId: string,
  q: string,
  limit = 20,
) {
  await authorize(db, productId, userId, 'product.view');
  const text = q.trim();
  if (!text) return [];
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({
      id: backlogItems.id,
      title: backlogItems.title,
      type: backlogItems.type,
      status: backlogItems.status,
      productId: backlogItems.productId,
      productName: products.name,
    })
    .from(backlogItems)
    .innerJoin(
      memberships,
      and(eq(memberships.productId, backlogItems.productId), eq(memberships.userId, userId)),
    )
    .innerJoin(products, eq(products.id, backlogItems.productId))
    .where(
      and(
        ne(backlogItems.productId, productId),
        ne(backlogItems.status, 'archived'),
        ilike(backlogItems.title, pattern),
      ),
    )
    .orderBy(asc(products.name), asc(backlogItems.rank))
    .limit(limit);
}
