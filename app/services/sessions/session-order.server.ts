import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { type OrderMethod, orderMethods, proposedSessionOrder } from '~/domain/score-results';
import { fibonacciScale, wsjfScore } from '~/domain/wsjf';
import { type DecisionInput, recordDecisions } from '~/services/backlog/decisions.server';
import { lockProduct } from '~/services/backlog/items.server';
import { takeSlotsInOrder } from '~/services/backlog/proposals.server';
import { authorize } from '~/services/products.server';
import type { Db } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { sessionAccess } from './access.server';
import { sessionResults } from './prioritisation.server';

/** The scale value nearest to a mean score: stored WSJF parts stay on the scale everyone scored on. */
export function nearestOnScale(value: number): number {
  return fibonacciScale.reduce(
    (best, v) => (Math.abs(v - value) < Math.abs(best - value) ? v : best),
    fibonacciScale[0],
  );
}

async function agendaInBacklogOrder(db: Db, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  return db
    .select({ id: backlogItems.id, title: backlogItems.title, rank: backlogItems.rank })
    .from(backlogItems)
    .where(and(inArray(backlogItems.id, itemIds), ne(backlogItems.status, 'archived')))
    .orderBy(asc(backlogItems.rank));
}

/**
 * The session's proposal for the agenda items: their current order in the backlog beside the order the results
 * give (by dots, by WSJF, or both), with each item's move among them. Results must be revealed.
 */
export async function proposeSessionOrder(db: Db, sessionId: string, actorId: string, method: OrderMethod) {
  const results = await sessionResults(db, sessionId, actorId);
  const current = await agendaInBacklogOrder(
    db,
    results.items.map((i) => i.itemId),
  );
  const byId = new Map(results.items.map((i) => [i.itemId, i]));
  const proposed = proposedSessionOrder(
    method,
    current.map((c) => c.id),
    new Map(results.items.map((i) => [i.itemId, i.dots])),
    new Map(results.items.map((i) => [i.itemId, i.wsjf])),
  );
  const currentPlace = new Map(current.map((c, i) => [c.id, i + 1]));
  return {
    method,
    rows: proposed.map((id, index) => ({
      itemId: id,
      title: byId.get(id)!.title,
      dots: byId.get(id)!.dots,
      wsjf: byId.get(id)!.wsjf,
      currentPosition: currentPlace.get(id)!,
      proposedPosition: index + 1,
      move: currentPlace.get(id)! - (index + 1),
    })),
  };
}

export const applyOrderSchema = z.strictObject({
  method: z.enum(orderMethods, { message: `method must be one of ${orderMethods.join(', ')}` }),
  /** the items whose proposed order to apply; every agenda item when omitted */
  itemIds: z
    .array(z.uuid({ message: 'itemIds must hold item ids' }))
    .min(2, 'Choose at least two items')
    .max(100)
    .optional(),
  reason: z
    .string()
    .trim()
    .min(1, 'Write down why this order is accepted')
    .max(2000, 'Reason must be at most 2000 characters'),
  /** also store the session's results on the items: WSJF parts, MoSCoW, Kano category */
  storeResults: z.boolean().default(false),
});

/**
 * The product owner applies the session's order to all or some agenda items, with a reason; the items keep the
 * places they occupy between them. One decision, linked to the session, records the order before and after.
 */
export async function applySessionOrder(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof applyOrderSchema>,
) {
  const { session } = await sessionAccess(db, sessionId, actorId);
  await authorize(db, session.productId, actorId, 'backlog.order');
  const results = await sessionResults(db, sessionId, actorId);
  const agendaIds = results.items.map((i) => i.itemId);
  const chosenIds = input.itemIds ?? agendaIds;
  if (chosenIds.some((id) => !agendaIds.includes(id)))
    throw new AppError('invalid', 'Every item must be on this session’s agenda', { field: 'itemIds' });
  const byId = new Map(results.items.map((i) => [i.itemId, i]));
  return db.transaction(async (tx) => {
    await lockProduct(tx, session.productId);
    const chosen = await tx
      .select({
        id: backlogItems.id,
        rank: backlogItems.rank,
        moscow: backlogItems.moscow,
        kano: backlogItems.kano,
        userBusinessValue: backlogItems.userBusinessValue,
        timeCriticality: backlogItems.timeCriticality,
        riskReduction: backlogItems.riskReduction,
        jobSize: backlogItems.jobSize,
      })
      .from(backlogItems)
      .where(and(inArray(backlogItems.id, chosenIds), ne(backlogItems.status, 'archived')))
      .orderBy(asc(backlogItems.rank));
    if (chosen.length !== new Set(chosenIds).size)
      throw new AppError('conflict', 'Some items were archived since the session; choose the others');
    const target = proposedSessionOrder(
      input.method,
      chosen.map((c) => c.id),
      new Map(results.items.map((i) => [i.itemId, i.dots])),
      new Map(results.items.map((i) => [i.itemId, i.wsjf])),
    );
    const moved = await takeSlotsInOrder(tx, chosen, target);
    const entries: DecisionInput[] = [
      {
        productId: session.productId,
        actorId,
        kind: 'proposal_applied',
        before: { order: chosen.map((c) => c.id) },
        after: {
          order: target,
          mode: `session_${input.method}`,
          moved,
          sessionTitle: session.title,
          // the agreed criteria whose WSJF weights the results used (issue 17), as backlog proposals record
          ...(results.wsjfWeights ? { criteriaVersion: results.wsjfWeights.version } : {}),
        },
        reason: input.reason,
        sessionId,
      },
    ];
    if (input.storeResults) {
      for (const item of chosen) {
        const r = byId.get(item.id)!;
        const next: Record<string, unknown> = {};
        for (const part of ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'] as const) {
          const mean = r.parts[part]?.mean;
          if (mean !== undefined) next[part] = nearestOnScale(mean);
        }
        if (r.moscow.top) next.moscow = r.moscow.top;
        if (r.kano?.dominant) next.kano = r.kano.dominant;
        const changed = Object.keys(next).filter((k) => next[k] !== item[k as keyof typeof item]);
        if (changed.length === 0) continue;
        const set = Object.fromEntries(changed.map((k) => [k, next[k]]));
        // The stored WSJF score follows its parts.
        const merged = { ...item, ...set } as typeof item;
        await tx
          .update(backlogItems)
          .set({ ...set, wsjf: wsjfScore(merged), updatedAt: new Date() })
          .where(eq(backlogItems.id, item.id));
        entries.push({
          productId: session.productId,
          itemId: item.id,
          actorId,
          kind: 'edited',
          before: Object.fromEntries(changed.map((k) => [k, item[k as keyof typeof item]])),
          after: set,
          reason: `Results of “${session.title}”`,
          sessionId,
        });
      }
    }
    await recordDecisions(tx, entries);
    return { productId: session.productId, moved, order: target };
  });
}
