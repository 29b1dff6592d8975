import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { compareMoscowThenWsjf } from '~/domain/moscow';
import { isEqualWeighting, type WsjfParts, type WsjfWeights, weightedWsjfScore } from '~/domain/wsjf';
import { authorize } from '~/services/products.server';
import { agreedWsjfWeights, criteriaStamp, currentCriteria } from '~/services/requests/criteria.server';
import type { Db, Tx } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { recordDecisions } from './decisions.server';
import { lockProduct } from './items.server';

export const proposalModes = ['wsjf', 'moscow_wsjf'] as const;
export type ProposalMode = (typeof proposalModes)[number];

interface Rankable {
  id: string;
  rank: string;
  wsjf: number | null;
  moscow: 'must' | 'should' | 'could' | 'wont' | null;
}

const byRank = (a: Rankable, b: Rankable) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);

/** Highest WSJF first; unscored items keep their relative order after the scored ones. */
function compareWsjf(a: Rankable, b: Rankable) {
  if (a.wsjf === null && b.wsjf === null) return byRank(a, b);
  if (a.wsjf === null) return 1;
  if (b.wsjf === null) return -1;
  return b.wsjf - a.wsjf || byRank(a, b);
}

/** The proposed order of the given items (pure: used for the preview and again, under lock, when applying). */
export function proposedOrder<T extends Rankable>(items: T[], mode: ProposalMode): T[] {
  const sorted = [...items];
  sorted.sort(mode === 'wsjf' ? compareWsjf : compareMoscowThenWsjf);
  return sorted;
}

/**
 * Finished work (done, accepted) and archived items are not ordered by a proposal: a high score on an item that is
 * already delivered must not push it above the work still to do. They keep their places.
 */
export const notProposed = ['archived', 'done', 'accepted'] as const;

const columns = {
  id: backlogItems.id,
  title: backlogItems.title,
  type: backlogItems.type,
  rank: backlogItems.rank,
  wsjf: backlogItems.wsjf,
  moscow: backlogItems.moscow,
  userBusinessValue: backlogItems.userBusinessValue,
  timeCriticality: backlogItems.timeCriticality,
  riskReduction: backlogItems.riskReduction,
  jobSize: backlogItems.jobSize,
};

/**
 * Items scored as the agreed criteria weigh WSJF's parts (issue 17). With no criteria, or equal weights, the stored
 * WSJF stays exactly as it is, so proposals are unchanged until stakeholders agree other weights.
 */
export function weighedByCriteria<T extends Rankable & WsjfParts>(
  items: T[],
  weights: WsjfWeights | null,
): T[] {
  if (!weights || isEqualWeighting(weights)) return items;
  return items.map((item) => ({ ...item, wsjf: weightedWsjfScore(item, weights) }));
}

/** The current order beside the proposed one, with each item's move (positive = up). */
export async function proposeOrder(db: Db, productId: string, userId: string, mode: ProposalMode) {
  await authorize(db, productId, userId, 'product.view');
  const items = await db
    .select(columns)
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), notInArray(backlogItems.status, [...notProposed])))
    .orderBy(asc(backlogItems.rank));
  const criteria = await currentCriteria(db, productId);
  const proposed = proposedOrder(weighedByCriteria(items, criteria?.wsjfWeights ?? null), mode);
  const current = new Map(items.map((item, index) => [item.id, index + 1]));
  return {
    mode,
    /** the agreed prioritisation criteria in force (issue 17) */
    criteriaVersion: criteria?.version ?? null,
    /** the agreed WSJF weights when they are not all 1 (the rows' WSJF is then weighted) */
    weights: agreedWsjfWeights(criteria)?.weights ?? null,
    rows: proposed.map((item, index) => ({
      ...item,
      currentPosition: current.get(item.id)!,
      proposedPosition: index + 1,
      move: current.get(item.id)! - (index + 1),
    })),
  };
}

export const applyProposalSchema = z.strictObject({
  mode: z.enum(proposalModes, { message: 'mode must be wsjf or moscow_wsjf' }),
  /** the items whose proposed order to apply; all items when omitted */
  itemIds: z
    .array(z.uuid({ message: 'itemIds must hold item ids' }))
    .min(2, 'Choose at least two items')
    .max(10_000)
    .optional(),
  reason: z
    .string()
    .trim()
    .min(1, 'Write down why this order is accepted')
    .max(2000, 'Reason must be at most 2000 characters'),
});

/**
 * Applies the proposal to the chosen items: they keep the places (ranks) they occupy between them and take them in
 * the proposed order, so items left out do not move. One decision records the order before and after, with the
 * product owner's reason.
 */
export async function applyProposal(
  db: Db,
  productId: string,
  actorId: string,
  input: z.output<typeof applyProposalSchema>,
) {
  await authorize(db, productId, actorId, 'backlog.order');
  if (!input.reason.trim())
    throw new AppError('invalid', 'Write down why this order is accepted', { field: 'reason' });
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const where = [eq(backlogItems.productId, productId), notInArray(backlogItems.status, [...notProposed])];
    if (input.itemIds) where.push(inArray(backlogItems.id, input.itemIds));
    const chosen = await tx
      .select(columns)
      .from(backlogItems)
      .where(and(...where))
      .orderBy(asc(backlogItems.rank));
    if (input.itemIds && chosen.length !== new Set(input.itemIds).size) {
      throw new AppError(
        'invalid',
        'Some itemIds are not open items in this product’s order (finished and archived items keep their places)',
        {
          field: 'itemIds',
        },
      );
    }
    const criteria = await currentCriteria(tx, productId);
    const target = proposedOrder(weighedByCriteria(chosen, criteria?.wsjfWeights ?? null), input.mode);
    const moved = await takeSlotsInOrder(
      tx,
      chosen,
      target.map((i) => i.id),
    );
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: 'proposal_applied',
        before: { order: chosen.map((i) => i.id) },
        after: {
          order: target.map((i) => i.id),
          mode: input.mode,
          moved,
          // the agreed prioritisation criteria in force (issue 17)
          ...criteriaStamp(criteria),
        },
        reason: input.reason,
      },
    ]);
    return { moved, order: target.map((i) => i.id) };
  });
}

/**
 * Puts `order` (ids of `chosen`) into the places `chosen` occupies between them: the items take each other's ranks,
 * so items left out do not move. `chosen` must be in rank order and locked by the caller (lockProduct). Returns how
 * many items changed place.
 */
export async function takeSlotsInOrder(
  tx: Tx,
  chosen: ReadonlyArray<{ id: string; rank: string }>,
  order: readonly string[],
): Promise<number> {
  const slots = chosen.map((item) => item.rank);
  const rankOf = new Map(chosen.map((item) => [item.id, item.rank]));
  const changes = order
    .map((id, index) => ({ id, from: rankOf.get(id)!, to: slots[index] }))
    .filter((c) => c.from !== c.to);
  if (changes.length === 0) return 0;
  // Two statements, because ranks are unique and the chosen items swap ranks among themselves: first every moved
  // item parks on a key no real key can take (`~` sorts after every key character), then all take their new keys.
  const ids = sql`${`{${changes.map((c) => c.id).join(',')}}`}::uuid[]`;
  await tx.execute(sql`update backlog_items set rank = '~' || id::text where id = any(${ids})`);
  await tx.execute(sql`
    update backlog_items b set rank = slot.rank, updated_at = now()
    from unnest(${ids}, ${`{${changes.map((c) => c.to).join(',')}}`}::text[]) as slot(id, rank)
    where b.id = slot.id`);
  return changes.length;
}
