import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, ne, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import {
  describeGoalRisk,
  type GoalRiskProjection,
  type GoalRiskResponse,
  goalRisk,
  goalRiskChange,
  goalRiskResponseLabels,
  goalRiskResponses,
} from '~/domain/goal-risk';
import { type ActorRole, can } from '~/domain/roles';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { computeSprintBurndown } from '~/services/metrics/burndown.server';
import { notify } from '~/services/notifications/notify.server';
import { authorize } from '~/services/products.server';
import { calendarDayIn } from '~/utils/dates';
import type { Db, Tx } from '../../../db/client';
import { sprintGoalRiskEvents, sprintItems, sprints, users } from '../../../db/schema';
import { loadSprint, type SprintRow, sprintCommand } from './common.server';

/*
 * The sprint goal at risk, said early (issue 18 part 1). The projection (app/domain/goal-risk.ts) is computed on
 * every read and after every sprint command that changes scope or done state; the first time a sprint is seen at
 * risk, and the first time it is back on track after that, is recorded once (sprint_goal_risk_events, and the
 * decision log), so the review shows the history with its dates. The product owner records a response.
 */

/** A state change just recorded: what a caller tells the stakeholders about (notifications hang off this). */
export interface GoalRiskChange {
  productId: string;
  sprintId: string;
  sprintName: string;
  change: 'at_risk' | 'back_on_track';
  projection: GoalRiskProjection;
  /** the projection in words ("At risk: about 8 of 34 points …") */
  message: string;
}

/** The projection of an active sprint (null for a planned or closed one, which has none). */
export async function projectGoalRisk(
  db: Db,
  sprint: SprintRow,
  now = new Date(),
  timeZone = 'UTC',
): Promise<GoalRiskProjection | null> {
  if (sprint.state !== 'active') return null;
  const burndown = await computeSprintBurndown(db, sprint, now, timeZone);
  return goalRisk(burndown, calendarDayIn(now, timeZone));
}

/** How long after telling everyone a goal is at risk another fall is recorded without telling them again. */
const retellAfterMs = 24 * 60 * 60 * 1000;

/** Whether an earlier fall at risk of the sprint (not `except`) was recorded within a day of `now`. */
async function toldAtRiskSince(tx: Tx, sprintId: string, except: string, now: Date): Promise<boolean> {
  const [earlier] = await tx
    .select({ id: sprintGoalRiskEvents.id })
    .from(sprintGoalRiskEvents)
    .where(
      and(
        eq(sprintGoalRiskEvents.sprintId, sprintId),
        eq(sprintGoalRiskEvents.kind, 'at_risk'),
        ne(sprintGoalRiskEvents.id, except),
        gt(sprintGoalRiskEvents.createdAt, new Date(now.getTime() - retellAfterMs)),
      ),
    )
    .limit(1);
  return earlier !== undefined;
}

/**
 * Evaluates the sprint's goal now and records a state change the first time it is seen (idempotent: a change seen
 * by two readers at once is one row, by the sprint's unique change number). No authorisation: callers check it.
 * Returns the projection, and the change when this call recorded one, so the caller can tell the stakeholders.
 */
export async function recordGoalRisk(
  db: Db,
  sprint: SprintRow,
  now = new Date(),
  timeZone = 'UTC',
): Promise<{ projection: GoalRiskProjection | null; change: GoalRiskChange | null }> {
  const projection = await projectGoalRisk(db, sprint, now, timeZone);
  if (!projection) return { projection, change: null };
  const last = await lastStateChange(db, sprint.id);
  const change = goalRiskChange(last?.kind ?? null, projection.state);
  if (!change) return { projection, change: null };
  const message = describeGoalRisk(projection);
  const recorded = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(sprintGoalRiskEvents)
      .values({
        sprintId: sprint.id,
        productId: sprint.productId,
        kind: change,
        seq: (last?.seq ?? 0) + 1,
        projection,
      })
      .onConflictDoNothing()
      .returning({ id: sprintGoalRiskEvents.id });
    if (inserted.length === 0) return false;
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        actorId: null,
        kind: change === 'at_risk' ? 'sprint_goal_at_risk' : 'sprint_goal_back_on_track',
        after: { sprintId: sprint.id, sprintName: sprint.name, ...projection },
        reason: message,
      },
    ]);
    // Said early, to everyone in the product: the stakeholders hear it before the review, the product owner
    // is asked to respond. Told once, with the change that records it; a goal that swings back and forth (an item
    // done and undone) is told at most once a day, though every swing is recorded.
    if (change === 'at_risk' && !(await toldAtRiskSince(tx, sprint.id, inserted[0].id, now)))
      await notify(tx, {
        productId: sprint.productId,
        kind: 'sprint_goal_at_risk',
        to: { roles: ['product_owner', 'team_member', 'stakeholder'] },
        text: `${sprint.name}: ${message}`,
        link: `/products/${sprint.productId}/sprints/${sprint.id}`,
        data: { sprintId: sprint.id, sprintName: sprint.name, ...projection },
      });
    return true;
  });
  if (!recorded) return { projection, change: null };
  return {
    projection,
    change: {
      productId: sprint.productId,
      sprintId: sprint.id,
      sprintName: sprint.name,
      change,
      projection,
      message,
    },
  };
}

/**
 * Looks at every running sprint (the background check): the projection moves as days pass with nothing done, so
 * a goal can fall at risk without anyone deciding anything or opening the sprint. Days are counted in UTC here
 * (a page counts them in its viewer's zone). Idempotent like every read: a change already recorded is not again.
 * Returns the changes it recorded.
 */
export async function checkRunningSprints(db: Db, now = new Date()): Promise<GoalRiskChange[]> {
  return recordEach(db, eq(sprints.state, 'active'), now);
}

/** Records the goal-risk change of each sprint matching `where`, one after the other; returns those recorded. */
async function recordEach(db: Db, where: SQL | undefined, now: Date): Promise<GoalRiskChange[]> {
  const changes: GoalRiskChange[] = [];
  for (const sprint of await db.select().from(sprints).where(where)) {
    const { change } = await recordGoalRisk(db, sprint, now);
    if (change) changes.push(change);
  }
  return changes;
}

/**
 * Looks again, at once, at the running sprints that hold any of these items: an estimate edited in the backlog or
 * agreed in planning poker moves a sprint's burndown, so its goal may fall at risk (or come back on track) now, not
 * at the next background check. Returns the changes it recorded.
 */
export async function recheckGoalRiskOfItems(
  db: Db,
  itemIds: readonly string[],
  now = new Date(),
): Promise<GoalRiskChange[]> {
  if (itemIds.length === 0) return [];
  const holding = db
    .select({ sprintId: sprintItems.sprintId })
    .from(sprintItems)
    .where(and(inArray(sprintItems.itemId, [...itemIds]), isNull(sprintItems.removedAt)));
  return recordEach(db, and(eq(sprints.state, 'active'), inArray(sprints.id, holding)), now);
}

/** Runs `recheckGoalRiskOfItems` after a committed command: a failure is logged, never the command's. */
export async function recheckGoalRiskAfter(
  services: { db: Db; log: { warn(entry: object): void } },
  itemIds: readonly string[],
): Promise<void> {
  try {
    await recheckGoalRiskOfItems(services.db, itemIds);
  } catch (error) {
    services.log.warn({ event: 'goal_risk_recheck_failed', itemIds, err: error });
  }
}

async function lastStateChange(db: Db, sprintId: string) {
  const [row] = await db
    .select({ kind: sprintGoalRiskEvents.kind, seq: sprintGoalRiskEvents.seq })
    .from(sprintGoalRiskEvents)
    .where(and(eq(sprintGoalRiskEvents.sprintId, sprintId), isNotNull(sprintGoalRiskEvents.seq)))
    .orderBy(desc(sprintGoalRiskEvents.seq))
    .limit(1);
  return row ? { kind: row.kind as 'at_risk' | 'back_on_track', seq: row.seq ?? 0 } : null;
}

export interface GoalRiskEventView {
  id: string;
  kind: 'at_risk' | 'back_on_track' | 'response';
  at: Date;
  /** the projection when the state changed; null for a response */
  projection: GoalRiskProjection | null;
  /** the projection in words when the state changed, the response's label for a response */
  summary: string;
  response: GoalRiskResponse | null;
  note: string;
  actorName: string | null;
}

/** The sprint goal's risk history, oldest first: flagged at risk, responses, back on track. */
export async function goalRiskHistory(db: Db, sprintId: string): Promise<GoalRiskEventView[]> {
  const rows = await db
    .select({ event: sprintGoalRiskEvents, actorName: users.displayName })
    .from(sprintGoalRiskEvents)
    .leftJoin(users, eq(users.id, sprintGoalRiskEvents.actorId))
    .where(eq(sprintGoalRiskEvents.sprintId, sprintId))
    .orderBy(asc(sprintGoalRiskEvents.createdAt));
  return rows.map(({ event, actorName }) => {
    const projection = (event.projection as GoalRiskProjection | null) ?? null;
    return {
      id: event.id,
      kind: event.kind,
      at: event.createdAt,
      projection,
      summary:
        event.kind === 'response'
          ? goalRiskResponseLabels[event.response ?? 'accept_risk']
          : projection
            ? describeGoalRisk(projection)
            : '',
      response: event.response,
      note: event.note,
      actorName: event.kind === 'response' ? (actorName ?? 'Someone') : null,
    };
  });
}

/** Everything a reader sees of a sprint goal's risk: the projection now, in words, and the history. */
export interface GoalRiskView {
  sprintId: string;
  projection: GoalRiskProjection | null;
  /** the projection in words; null for a planned or closed sprint */
  summary: string | null;
  history: GoalRiskEventView[];
  /** the product owner may record a response now (the goal is at risk in a running sprint) */
  mayRespond: boolean;
}

/**
 * The goal risk of a sprint the caller may read (the caller checked the role): evaluates it now, records a state
 * change, and returns it with the history. `onChange` hears a change this read recorded (for notifications).
 */
export async function goalRiskOf(
  db: Db,
  sprint: SprintRow,
  role: ActorRole,
  options: { timeZone?: string; now?: Date; onChange?: (change: GoalRiskChange) => void } = {},
): Promise<GoalRiskView> {
  const { projection, change } = await recordGoalRisk(db, sprint, options.now, options.timeZone);
  if (change) options.onChange?.(change);
  const history = await goalRiskHistory(db, sprint.id);
  const lastState = history.findLast((e) => e.kind !== 'response');
  return {
    sprintId: sprint.id,
    projection,
    summary: projection ? describeGoalRisk(projection) : null,
    history,
    mayRespond: sprint.state === 'active' && lastState?.kind === 'at_risk' && can(role, 'review.decide'),
  };
}

/** GET …/goal-risk: for anyone in the product; a sprint of another product is not found. */
export async function sprintGoalRisk(
  db: Db,
  productId: string,
  sprintId: string,
  userId: string,
  timeZone = 'UTC',
) {
  const sprint = await loadSprint(db, sprintId);
  if (sprint.productId !== productId) throw new AppError('not_found', 'No such sprint');
  const role = await authorize(db, productId, userId, 'product.view');
  return goalRiskOf(db, sprint, role, { timeZone });
}

export const goalRiskResponseSchema = z.strictObject({
  response: z
    .enum(goalRiskResponses, {
      message: `response must be one of ${goalRiskResponses.join(', ')}`,
    })
    .meta({
      description: 'scope_cut: take items out; swap: swap items for smaller ones; accept_risk: go on',
    }),
  note: z
    .string({ message: 'Write what you do about the risk' })
    .trim()
    .min(1, 'Write what you do about the risk')
    .max(2000, 'The note must be at most 2000 characters')
    .meta({ description: 'What the product owner does and why, for the team and the stakeholders' }),
});
export type GoalRiskResponseInput = z.output<typeof goalRiskResponseSchema>;

/**
 * The product owner's response to a goal at risk: recorded with the risk history and in the decision log. Only
 * while the goal is at risk (409 otherwise) in a running sprint; the product owner only (403 for the others).
 */
export async function respondToGoalRisk(
  db: Db,
  sprintId: string,
  actorId: string,
  input: GoalRiskResponseInput,
) {
  const parsed = goalRiskResponseSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'note') });
  }
  const outside = await loadSprint(db, sprintId);
  await authorize(db, outside.productId, actorId, 'review.decide');
  // The projection may have changed since the page was read: evaluate it first.
  await recordGoalRisk(db, outside);
  return sprintCommand(db, sprintId, actorId, 'review.decide', async (tx, { sprint }) => {
    const [last] = await tx
      .select({ kind: sprintGoalRiskEvents.kind })
      .from(sprintGoalRiskEvents)
      .where(and(eq(sprintGoalRiskEvents.sprintId, sprintId), isNotNull(sprintGoalRiskEvents.seq)))
      .orderBy(desc(sprintGoalRiskEvents.seq))
      .limit(1);
    if (sprint.state !== 'active' || last?.kind !== 'at_risk')
      throw new AppError('conflict', 'The sprint goal is not at risk: there is nothing to respond to');
    const [row] = await tx
      .insert(sprintGoalRiskEvents)
      .values({
        sprintId,
        productId: sprint.productId,
        kind: 'response',
        response: parsed.data.response,
        note: parsed.data.note,
        actorId,
      })
      .returning();
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        actorId,
        kind: 'sprint_goal_risk_response',
        after: { sprintId, sprintName: sprint.name, response: parsed.data.response },
        reason: parsed.data.note,
      },
    ]);
    return {
      id: row.id,
      sprintId,
      response: parsed.data.response,
      note: parsed.data.note,
      at: row.createdAt,
    };
  });
}
