import { and, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, itemDependencies, products, sprintItems, sprints } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { evaluateReadiness } from '~/domain/readiness';
import { can } from '~/domain/roles';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { loadItem, unresolvedBlockers } from '~/services/backlog/items.server';
import { membershipFor, sprintCommand } from './common.server';

export const addItemSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be a backlog item id' }),
  /** needed when the item is not ready or is blocked: why it enters the sprint anyway (product owner) */
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});

/** Whether an item may be planned without a reason: Definition of Ready met (or overridden) and nothing blocks it. */
export async function readinessFor(tx: Db | Tx, item: typeof backlogItems.$inferSelect) {
  const [product] = await tx
    .select({ dor: products.definitionOfReady })
    .from(products)
    .where(eq(products.id, item.productId));
  const blockers = await unresolvedBlockers(tx, item.id);
  const readiness = evaluateReadiness({
    checklist: product.dor,
    checked: item.readyChecks,
    unresolvedDependencies: blockers,
    override: item.readyOverrideReason ? { reason: item.readyOverrideReason } : null,
  });
  const problems: string[] = [];
  if (blockers > 0) problems.push(`it is blocked by ${blockers} unfinished item${blockers === 1 ? '' : 's'}`);
  if (!readiness.ready)
    problems.push(`the Definition of Ready is not met (${readiness.missing.slice(0, 3).join('; ')})`);
  return { readiness, problems };
}

/** Items in a sprint that is not closed and that the item has not left (removed, decided, or moved on). */
async function openMembership(tx: Tx, itemId: string) {
  const [row] = await tx
    .select({ sprintId: sprintItems.sprintId, name: sprints.name })
    .from(sprintItems)
    .innerJoin(sprints, eq(sprints.id, sprintItems.sprintId))
    .where(
      and(
        eq(sprintItems.itemId, itemId),
        ne(sprints.state, 'closed'),
        isNull(sprintItems.removedAt),
        isNull(sprintItems.outcome),
        isNull(sprintItems.unfinishedDecision),
      ),
    );
  return row ?? null;
}

/**
 * Pulls an item into the sprint (product owner and team). An item that is not ready or is blocked is refused with
 * the reason why, unless the product owner gives a reason to pull it anyway; the answer then carries the warning.
 * Pulling out of backlog order is allowed but warned about: ready items above it are still waiting.
 */
export async function addItemToSprint(
  db: Db,
  sprintId: string,
  actorId: string,
  input: z.output<typeof addItemSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'backlog.edit', async (tx, { sprint, role }) => {
    const item = await loadItem(tx, input.itemId).catch(() => null);
    if (!item || item.productId !== sprint.productId)
      throw new AppError('invalid', 'itemId must be a backlog item of this product', { field: 'itemId' });
    if (item.type === 'epic')
      throw new AppError('invalid', 'An epic is not built in one sprint; pull its stories instead', {
        field: 'itemId',
      });
    if (['archived', 'accepted', 'done', 'in_sprint'].includes(item.status)) {
      const open = await openMembership(tx, item.id);
      if (open)
        throw new AppError(
          'conflict',
          open.sprintId === sprintId
            ? 'The item is already in this sprint'
            : `The item is already in ${open.name}`,
          { field: 'itemId' },
        );
      if (item.status !== 'in_sprint')
        throw new AppError('conflict', `This item is ${item.status}; it is not planned again`, {
          field: 'itemId',
        });
    }
    const { problems } = await readinessFor(tx, item);
    const warnings: string[] = [];
    let notReadyReason: string | null = null;
    if (problems.length > 0) {
      const why = `This item is not ready: ${problems.join(', and ')}.`;
      if (!can(role, 'backlog.order'))
        throw new AppError(
          'forbidden',
          `${why} Only the product owner may pull it in anyway, with a reason.`,
        );
      if (!input.reason)
        throw new AppError('conflict', `${why} Give a reason to pull it into the sprint anyway.`, {
          field: 'reason',
        });
      notReadyReason = input.reason;
      warnings.push(why);
    }
    const [skipped] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(backlogItems)
      .where(
        and(
          eq(backlogItems.productId, sprint.productId),
          eq(backlogItems.status, 'ready'),
          lt(backlogItems.rank, item.rank),
          ne(backlogItems.type, 'epic'),
        ),
      );
    if (skipped.n > 0)
      warnings.push(
        `${skipped.n} ready item${skipped.n === 1 ? ' is' : 's are'} above it in the backlog and not in a sprint`,
      );

    const values = {
      pointsAtCommit: item.estimate,
      statusBefore: item.status === 'in_sprint' ? ('ready' as const) : item.status,
      notReadyReason,
      addedBy: actorId,
      addedAt: new Date(),
      removedAt: null,
      doneAt: null,
      outcome: null,
      pointsAtReview: null,
      outcomeNote: '',
      decidedAt: null,
      unfinishedDecision: null,
      nextSprintId: null,
    };
    await tx
      .insert(sprintItems)
      .values({ sprintId, itemId: item.id, ...values })
      .onConflictDoUpdate({ target: [sprintItems.sprintId, sprintItems.itemId], set: values });
    await tx
      .update(backlogItems)
      .set({ status: 'in_sprint', updatedAt: new Date() })
      .where(eq(backlogItems.id, item.id));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId: item.id,
        actorId,
        kind: 'sprint_item_added',
        before: { status: item.status },
        after: { sprintId, points: item.estimate, status: 'in_sprint', notReady: notReadyReason !== null },
        reason: notReadyReason ?? '',
      },
    ]);
    return {
      sprintId,
      itemId: item.id,
      points: item.estimate,
      notReady: notReadyReason !== null,
      warnings,
      productId: sprint.productId,
    };
  });
}

export const removeItemSchema = z.strictObject({
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});

/** Takes an item out of the sprint (product owner and team); it returns to the status it had before. */
export async function removeItemFromSprint(
  db: Db,
  sprintId: string,
  itemId: string,
  actorId: string,
  input: z.output<typeof removeItemSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'backlog.edit', async (tx, { sprint }) => {
    const row = await membershipFor(tx, sprintId, itemId, 'remove');
    const item = await loadItem(tx, itemId);
    await tx
      .update(sprintItems)
      .set({ removedAt: new Date() })
      .where(and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId)));
    await tx
      .update(backlogItems)
      .set({ status: row.statusBefore, updatedAt: new Date() })
      .where(eq(backlogItems.id, itemId));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'sprint_item_removed',
        before: { status: item.status },
        after: { sprintId, points: item.estimate, status: row.statusBefore, wasDone: row.doneAt !== null },
        reason: input.reason ?? '',
      },
    ]);
    return { sprintId, itemId, productId: sprint.productId };
  });
}

export const doneSchema = z.strictObject({ done: z.boolean({ message: 'done must be true or false' }) });

/** The team (and the product owner) move an item of a running sprint to done, or back. */
export async function setItemDone(db: Db, sprintId: string, itemId: string, actorId: string, done: boolean) {
  return sprintCommand(db, sprintId, actorId, 'item.estimate', async (tx, { sprint }) => {
    if (sprint.state !== 'active')
      throw new AppError('conflict', 'Start the sprint before moving items to done');
    await membershipFor(tx, sprintId, itemId, done ? 'done' : 'undone');
    const item = await loadItem(tx, itemId);
    await tx
      .update(sprintItems)
      .set({ doneAt: done ? new Date() : null })
      .where(and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId)));
    await tx
      .update(backlogItems)
      .set({ status: done ? 'done' : 'in_sprint', updatedAt: new Date() })
      .where(eq(backlogItems.id, itemId));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: done ? 'sprint_item_done' : 'sprint_item_undone',
        before: { status: item.status },
        after: { sprintId, points: item.estimate, status: done ? 'done' : 'in_sprint' },
      },
    ]);
    return { sprintId, itemId, done, productId: sprint.productId, reviewSessionId: sprint.reviewSessionId };
  });
}

/**
 * Items of the product that could be planned, in backlog order, with whether each is ready (first `limit`). Three
 * queries whatever the limit: the items, the product's Definition of Ready, and their unfinished blockers.
 */
export async function planningCandidates(db: Db, productId: string, limit = 100) {
  const rows = await db
    .select()
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, productId),
        inArray(backlogItems.status, ['new', 'refined', 'ready', 'rejected']),
        ne(backlogItems.type, 'epic'),
      ),
    )
    .orderBy(backlogItems.rank)
    .limit(limit);
  if (rows.length === 0) return [];
  const [product] = await db
    .select({ dor: products.definitionOfReady })
    .from(products)
    .where(eq(products.id, productId));
  const blocker = alias(backlogItems, 'blocker');
  const blocked = await db
    .select({ itemId: itemDependencies.itemId, n: sql<number>`count(*)::int` })
    .from(itemDependencies)
    .innerJoin(blocker, eq(blocker.id, itemDependencies.blockedById))
    .where(
      and(
        inArray(
          itemDependencies.itemId,
          rows.map((r) => r.id),
        ),
        sql`${blocker.status} not in ('done', 'accepted', 'archived')`,
      ),
    )
    .groupBy(itemDependencies.itemId);
  const blockers = new Map(blocked.map((b) => [b.itemId, b.n]));
  return rows.map((item) => {
    const n = blockers.get(item.id) ?? 0;
    const readiness = evaluateReadiness({
      checklist: product.dor,
      checked: item.readyChecks,
      unresolvedDependencies: n,
      override: item.readyOverrideReason ? { reason: item.readyOverrideReason } : null,
    });
    const problems: string[] = [];
    if (n > 0) problems.push(`it is blocked by ${n} unfinished item${n === 1 ? '' : 's'}`);
    if (!readiness.ready)
      problems.push(`the Definition of Ready is not met (${readiness.missing.slice(0, 3).join('; ')})`);
    return {
      id: item.id,
      title: item.title,
      type: item.type,
      status: item.status,
      estimate: item.estimate,
      ready: problems.length === 0,
      problems,
    };
  });
}
