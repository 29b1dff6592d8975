import { and, asc, eq, isNull, ne, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { describeGoalRisk, type GoalRiskProjection } from '~/domain/goal-risk';
import { rankAtTop } from '~/domain/rank';
import { closedItemStatuses, type RequestState } from '~/domain/requests';
import {
  type ForecastShift,
  goalProjectionWithSwap,
  type SwapSprintItem,
  sameDisplaced,
  urgentSwapImpact,
} from '~/domain/urgent-swap';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { loadItem, lockProduct } from '~/services/backlog/items.server';
import { computeSprintBurndown } from '~/services/metrics/burndown.server';
import { type SprintHistory, sprintHistory } from '~/services/metrics/history.server';
import { peopleWhoAskedFor } from '~/services/notifications/asked-for.server';
import { notify } from '~/services/notifications/notify.server';
import { authorize } from '~/services/products.server';
import { loadSprint, membershipFor } from '~/services/sprints/common.server';
import { recordGoalRisk } from '~/services/sprints/goal-risk.server';
import { readinessFor } from '~/services/sprints/planning.server';
import { queueRankPush } from '~/services/trackers/push.server';
import { calendarDayIn } from '~/utils/dates';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, sprintItems, sprints, stakeholderRequests } from '../../../db/schema';
import { criteriaStamp, currentCriteria } from './criteria.server';
import { loadRequest, nameOf, triageInTransaction } from './requests.server';

/*
 * An urgent request entering the running sprint (issue 17 part 3, decision 0044): one clear step. The product owner
 * reads what it displaces (app/domain/urgent-swap.ts), its effect on the sprint goal and on the forecast of the
 * items behind, writes the trade-off, and swaps. One transaction accepts the request when it is not an item yet
 * (the triage's own accept), puts the item in the sprint, takes the displaced items out and back to the top of the
 * backlog, records it all in the decision log and tells the people who asked for the displaced items.
 */

const points = z
  .number({ message: 'points must be a number' })
  .int('points must be a whole number')
  .min(0, 'points must be at least 0')
  .max(1000, 'points must be at most 1000');

export const urgentImpactQuerySchema = z.strictObject({
  points: z.coerce
    .number({ message: 'points must be a number' })
    .pipe(points)
    .optional()
    .meta({ description: 'The estimate to weigh the request with, when it has none yet (story points)' }),
});

export const swapIntoSprintSchema = z
  .strictObject({
    tradeOff: z
      .string({ message: 'Write the trade-off' })
      .trim()
      .min(1, 'Write the trade-off: what the sprint gives up, and why the urgent request is worth it')
      .max(2000, 'The trade-off must be at most 2000 characters')
      .meta({ description: 'What the sprint gives up and why; recorded in the decision log' }),
    expectedDisplaced: z
      .array(z.uuid({ message: 'expectedDisplaced must be item ids' }), {
        message: 'expectedDisplaced must be a list of item ids',
      })
      .max(200, 'expectedDisplaced must hold at most 200 ids')
      .meta({
        description:
          'The ids of the items the assessment said would leave the sprint, in its order; a different answer now is refused with 409',
      }),
    points: points
      .optional()
      .meta({ description: 'The estimate, when the request (or its item) has none yet; set on the item' }),
  })
  .meta({ title: 'SwapIntoSprint' });
export type SwapIntoSprintInput = z.output<typeof swapIntoSprintSchema>;

type RequestRow = Awaited<ReturnType<typeof loadRequest>>;
type SprintRow = typeof sprints.$inferSelect;

async function runningSprint(db: Db | Tx, productId: string, lock = false): Promise<SprintRow> {
  const query = db
    .select()
    .from(sprints)
    .where(and(eq(sprints.productId, productId), eq(sprints.state, 'active')))
    .orderBy(asc(sprints.startDate))
    .limit(1);
  const [sprint] = lock ? await query.for('update') : await query;
  if (!sprint) throw new AppError('conflict', 'No sprint is running');
  return sprint;
}

/** The request may come in: urgent, and accepted (its item open) or still to be accepted. */
async function urgentItemOf(db: Db | Tx, request: RequestRow) {
  if (!request.urgent) throw new AppError('conflict', 'This request is not marked urgent');
  if (request.state === 'declined') throw new AppError('conflict', 'This request was declined');
  if (!request.itemId) return null;
  const item = await loadItem(db, request.itemId);
  if ((closedItemStatuses as readonly string[]).includes(item.status))
    throw new AppError('conflict', `The item of this request is ${item.status} already`);
  return item;
}

/** The impact, with titles, from the database as it is now (inside the swap's transaction, with the product locked). */
async function assess(
  db: Db | Tx,
  request: RequestRow,
  sprint: SprintRow,
  history: SprintHistory,
  givenPoints: number | undefined,
  now: Date,
) {
  const item = await urgentItemOf(db, request);
  const members = await db
    .select({
      id: backlogItems.id,
      title: backlogItems.title,
      points: backlogItems.estimate,
      doneAt: sprintItems.doneAt,
    })
    .from(sprintItems)
    .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
    .where(
      and(
        eq(sprintItems.sprintId, sprint.id),
        isNull(sprintItems.removedAt),
        isNull(sprintItems.outcome),
        isNull(sprintItems.unfinishedDecision),
      ),
    )
    .orderBy(asc(backlogItems.rank));
  if (item && members.some((m) => m.id === item.id))
    throw new AppError('conflict', 'The item of this request is already in the sprint');
  const inSprint = members.map((m) => m.id);
  const behind = await db
    .select({ id: backlogItems.id, title: backlogItems.title, points: backlogItems.estimate })
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, sprint.productId),
        notInArray(backlogItems.status, [...closedItemStatuses]),
        ne(backlogItems.type, 'epic'),
        inSprint.length > 0 ? notInArray(backlogItems.id, inSprint) : undefined,
      ),
    )
    .orderBy(asc(backlogItems.rank));
  const urgentPoints = item?.estimate ?? givenPoints ?? null;
  const sprintList: SwapSprintItem[] = members.map((m) => ({
    id: m.id,
    title: m.title,
    points: m.points,
    done: m.doneAt !== null,
  }));
  const impact = urgentSwapImpact({
    urgent: { id: item?.id ?? null, points: urgentPoints },
    sprintItems: sprintList,
    capacity: sprint.capacity,
    behind,
    velocities: history.velocities,
    firstSprint: history.firstSprint,
  });
  if (impact.kind === 'needs_estimate')
    throw new AppError('conflict', 'Estimate the request first', { field: 'points' });
  const burndown = await computeSprintBurndown(db as Db, sprint, now);
  const goal = goalProjectionWithSwap(
    burndown,
    calendarDayIn(now, 'UTC'),
    impact.remainingAfter - impact.remainingBefore,
  );
  return {
    item,
    urgentPoints: urgentPoints as number,
    impact,
    goal,
    nameOf: history.nameOf,
  };
}

export interface UrgentImpactView {
  request: { id: string; title: string; state: RequestState; itemId: string | null };
  sprint: { id: string; name: string; goal: string; capacity: number | null; endDate: string };
  urgent: { itemId: string | null; title: string; points: number };
  basis: 'capacity' | 'current_load';
  budget: number;
  loadBefore: number;
  loadAfter: number;
  remainingBefore: number;
  remainingAfter: number;
  overBudget: boolean;
  displaced: Array<{ id: string; title: string; points: number | null }>;
  displacedPoints: number;
  goal: {
    before: GoalRiskProjection;
    after: GoalRiskProjection;
    beforeText: string;
    afterText: string;
  };
  /** items behind whose likely sprint moves later: the first ten, and how many in all */
  shifted: Array<{ id: string; title: string; before: string; after: string }>;
  shiftedCount: number;
  /** send these back with the swap: the displaced items' ids, in order */
  expectedDisplaced: string[];
}

const sprintLabel = (nameOf: (n: number) => string, f: ForecastShift['before']) =>
  f.kind === 'range' ? nameOf(f.likely) : '';

function viewOf(
  request: RequestRow,
  sprint: SprintRow,
  a: Awaited<ReturnType<typeof assess>>,
): UrgentImpactView {
  const { impact, goal } = a;
  if (impact.kind !== 'impact') throw new Error('unreachable');
  return {
    request: { id: request.id, title: request.title, state: request.state, itemId: request.itemId },
    sprint: {
      id: sprint.id,
      name: sprint.name,
      goal: sprint.goal,
      capacity: sprint.capacity,
      endDate: sprint.endDate,
    },
    urgent: { itemId: a.item?.id ?? null, title: a.item?.title ?? request.title, points: a.urgentPoints },
    basis: impact.basis,
    budget: impact.budget,
    loadBefore: impact.loadBefore,
    loadAfter: impact.loadAfter,
    remainingBefore: impact.remainingBefore,
    remainingAfter: impact.remainingAfter,
    overBudget: impact.overBudget,
    displaced: impact.displaced.map(({ id, title, points }) => ({ id, title, points })),
    displacedPoints: impact.displacedPoints,
    goal: {
      before: goal.before,
      after: goal.after,
      beforeText: describeGoalRisk(goal.before),
      afterText: describeGoalRisk(goal.after),
    },
    shifted: impact.shifted.map((s) => ({
      id: s.id,
      title: s.title,
      before: sprintLabel(a.nameOf, s.before),
      after: sprintLabel(a.nameOf, s.after),
    })),
    shiftedCount: impact.shiftedCount,
    expectedDisplaced: impact.displaced.map((d) => d.id),
  };
}

/**
 * The impact of bringing an urgent request into the running sprint, for the product owner (403 for the others).
 * 409 when no sprint is running, the request is not urgent (or declined, or already in the sprint), or it has no
 * estimate (give `points`).
 */
export async function urgentImpact(
  db: Db,
  productId: string,
  requestId: string,
  actorId: string,
  query: z.output<typeof urgentImpactQuerySchema> = {},
  now = new Date(),
): Promise<UrgentImpactView> {
  await authorize(db, productId, actorId, 'backlog.order');
  const request = await loadRequest(db, productId, requestId);
  await urgentItemOf(db, request);
  const sprint = await runningSprint(db, productId);
  const history = await sprintHistory(db, productId);
  return viewOf(request, sprint, await assess(db, request, sprint, history, query.points, now));
}

/**
 * Swaps the urgent request into the running sprint, in one transaction (see the file's head). The assessment the
 * product owner saw must still hold: the same items displaced, in the same order (409 otherwise).
 */
export async function swapIntoSprint(
  db: Db,
  productId: string,
  requestId: string,
  actorId: string,
  input: SwapIntoSprintInput,
  now = new Date(),
) {
  await authorize(db, productId, actorId, 'backlog.order');
  const history = await sprintHistory(db, productId);
  const result = await db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    let request = await loadRequest(tx, productId, requestId);
    await urgentItemOf(tx, request);
    const sprint = await runningSprint(tx, productId, true);
    const assessed = await assess(tx, request, sprint, history, input.points, now);
    const view = viewOf(request, sprint, assessed);
    if (!sameDisplaced(input.expectedDisplaced, view.expectedDisplaced))
      throw new AppError('conflict', 'The sprint changed since the assessment; look again', {
        field: 'expectedDisplaced',
      });
    const criteria = await currentCriteria(tx, productId);

    // 1. Not an item yet: accepted at the top of the backlog, as the triage accepts; the requester hears both
    // things in one notification (step 6).
    let itemId = assessed.item?.id ?? null;
    const acceptedNow = !itemId;
    if (!itemId) {
      const accepted = await triageInTransaction(
        tx,
        productId,
        requestId,
        actorId,
        { action: 'accept', position: 'top', note: `Urgent: brought into ${sprint.name}.` },
        { notifyRequester: false },
      );
      itemId = accepted.event.itemId as string;
      request = await loadRequest(tx, productId, requestId);
    }
    // 2. The estimate the product owner weighed it with, when it had none.
    let item = await loadItem(tx, itemId);
    if (item.estimate === null) {
      await tx
        .update(backlogItems)
        .set({ estimate: assessed.urgentPoints, updatedAt: now })
        .where(eq(backlogItems.id, itemId));
      await recordDecisions(tx, [
        {
          productId,
          itemId,
          actorId,
          kind: 'edited',
          before: { estimate: null },
          after: { estimate: assessed.urgentPoints },
        },
      ]);
      item = await loadItem(tx, itemId);
    }
    // 3. Into the sprint (not ready is allowed: the trade-off is the reason, as the product owner's override).
    const { problems } = await readinessFor(tx, item);
    const notReadyReason = problems.length > 0 ? `Urgent request: ${input.tradeOff}`.slice(0, 1000) : null;
    const membership = {
      pointsAtCommit: item.estimate,
      statusBefore: item.status === 'in_sprint' ? ('ready' as const) : item.status,
      notReadyReason,
      addedBy: actorId,
      addedAt: now,
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
      .values({ sprintId: sprint.id, itemId, ...membership })
      .onConflictDoUpdate({ target: [sprintItems.sprintId, sprintItems.itemId], set: membership });
    await tx
      .update(backlogItems)
      .set({ status: 'in_sprint', updatedAt: now })
      .where(eq(backlogItems.id, itemId));
    await recordDecisions(tx, [
      {
        productId,
        itemId,
        actorId,
        kind: 'sprint_item_added',
        before: { status: item.status },
        after: {
          sprintId: sprint.id,
          points: item.estimate,
          status: 'in_sprint',
          notReady: notReadyReason !== null,
          urgent: true,
        },
        reason: input.tradeOff,
      },
    ]);

    // 4. The displaced items leave, and go back to the top of the backlog, ahead of the rest, in their order. The
    // last goes first: each then lands just above the one placed before it, and a linked Jira issue is ranked
    // next to a neighbour already in its new place (as a moved item is; decision 0038).
    const [first] = await tx
      .select({ rank: backlogItems.rank })
      .from(backlogItems)
      .where(eq(backlogItems.productId, productId))
      .orderBy(asc(backlogItems.rank))
      .limit(1);
    let top = first?.rank ?? null;
    for (const d of [...view.displaced].reverse()) {
      top = rankAtTop(top);
      const row = await membershipFor(tx, sprint.id, d.id, 'remove');
      const displacedItem = await loadItem(tx, d.id);
      await tx
        .update(sprintItems)
        .set({ removedAt: now })
        .where(and(eq(sprintItems.sprintId, sprint.id), eq(sprintItems.itemId, d.id)));
      await tx
        .update(backlogItems)
        .set({ status: row.statusBefore, rank: top, updatedAt: now })
        .where(eq(backlogItems.id, d.id));
      await recordDecisions(tx, [
        {
          productId,
          itemId: d.id,
          actorId,
          kind: 'sprint_item_removed',
          before: { status: displacedItem.status, rank: displacedItem.rank },
          after: {
            sprintId: sprint.id,
            points: displacedItem.estimate,
            status: row.statusBefore,
            wasDone: false,
            displacedBy: itemId,
            rank: top,
            position: 'top',
          },
          reason: `Displaced by the urgent request “${request.title}”`,
        },
      ]);
      await queueRankPush(tx, d.id);
    }

    // 5. One entry with everything the product owner weighed.
    await recordDecisions(tx, [
      {
        productId,
        itemId,
        actorId,
        kind: 'urgent_swap',
        before: {
          load: view.loadBefore,
          remaining: view.remainingBefore,
          goal: view.goal.before,
        },
        after: {
          requestId,
          requestTitle: request.title,
          requester: await nameOf(tx, request),
          requesterId: request.requesterId,
          itemId,
          title: item.title,
          points: view.urgent.points,
          sprintId: sprint.id,
          sprintName: sprint.name,
          basis: view.basis,
          budget: view.budget,
          loadBefore: view.loadBefore,
          loadAfter: view.loadAfter,
          remainingBefore: view.remainingBefore,
          remainingAfter: view.remainingAfter,
          overBudget: view.overBudget,
          displaced: view.displaced,
          displacedPoints: view.displacedPoints,
          goalBefore: view.goal.before,
          goalAfter: view.goal.after,
          goalBeforeText: view.goal.beforeText,
          goalAfterText: view.goal.afterText,
          shiftedCount: view.shiftedCount,
          shifted: view.shifted,
          ...criteriaStamp(criteria),
        },
        reason: input.tradeOff,
      },
    ]);

    // 6. The people who asked for each displaced item hear why it left; the requester hears it is in.
    const link = `/products/${productId}/sprints/${sprint.id}`;
    for (const d of view.displaced) {
      const people = await peopleWhoAskedFor(tx, d.id);
      await notify(tx, {
        productId,
        kind: 'sprint_swap',
        to: { userIds: people },
        actorId,
        text: `“${d.title}” left ${sprint.name} to make room for the urgent request “${request.title}”; it is back at the top of the backlog`,
        link: `/products/${productId}/items/${d.id}`,
        data: { sprintId: sprint.id, itemId: d.id, urgentItemId: itemId, requestId },
      });
    }
    await notify(tx, {
      productId,
      kind: 'sprint_swap',
      to: { userIds: [request.requesterId] },
      actorId,
      text: `Your urgent request “${request.title}” ${acceptedNow ? 'was accepted and ' : ''}is in ${sprint.name} now`,
      link,
      data: { sprintId: sprint.id, itemId, requestId },
    });
    const [updated] = await tx
      .select({ state: stakeholderRequests.state })
      .from(stakeholderRequests)
      .where(eq(stakeholderRequests.id, requestId));
    return { ...view, requestState: updated.state, itemId, sprint: view.sprint };
  });
  // The goal's projection changed with the scope: a goal now at risk is said at once, as after a sprint command.
  await recordGoalRisk(db, await loadSprint(db, result.sprint.id));
  return result;
}

/**
 * The running sprint's id, name and the items in it, or null: the inbox offers "Bring into the sprint…" only while
 * one runs, and not for a request whose item is in it already.
 */
export async function runningSprintSummary(db: Db, productId: string) {
  const [sprint] = await db
    .select({ id: sprints.id, name: sprints.name })
    .from(sprints)
    .where(and(eq(sprints.productId, productId), eq(sprints.state, 'active')))
    .limit(1);
  if (!sprint) return null;
  const members = await db
    .select({ itemId: sprintItems.itemId })
    .from(sprintItems)
    .where(and(eq(sprintItems.sprintId, sprint.id), isNull(sprintItems.removedAt)));
  return { ...sprint, itemIds: members.map((m) => m.itemId) };
}
