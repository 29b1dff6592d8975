import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import {
  isCalendarDate,
  maySprintMove,
  type SprintState,
  sprintStates,
  velocitySummary,
} from '~/domain/sprint-rules';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { authorize } from '~/services/products.server';
import { type SprintRow, sprintCommand } from './common.server';

const calendarDate = (field: string) =>
  z
    .string({ message: `${field} must be a date (YYYY-MM-DD)` })
    .refine(isCalendarDate, `${field} must be a date (YYYY-MM-DD)`);

const sprintFields = {
  name: z
    .string()
    .trim()
    .min(1, 'Give the sprint a name')
    .max(120, 'A sprint name is at most 120 characters'),
  startDate: calendarDate('startDate'),
  endDate: calendarDate('endDate'),
  /** one objective in value terms, not a list of ids */
  goal: z.string().trim().max(1000, 'The sprint goal is at most 1000 characters'),
  capacity: z
    .number()
    .int('Whole points')
    .min(0, 'Capacity cannot be negative')
    .max(10_000, 'Capacity is at most 10,000 points')
    .nullable(),
};

const datesInOrder = (s: { startDate?: string; endDate?: string }) =>
  !s.startDate || !s.endDate || s.startDate <= s.endDate;

export const createSprintSchema = z
  .strictObject({
    ...sprintFields,
    goal: sprintFields.goal.default(''),
    capacity: sprintFields.capacity.default(null),
  })
  .refine(datesInOrder, { message: 'The sprint ends on or after its first day', path: ['endDate'] });
export type CreateSprintInput = z.input<typeof createSprintSchema>;

export const updateSprintSchema = z
  .strictObject({
    ...sprintFields,
    /** start the sprint with 'active'; it closes at its review (closeSprint), never by an update */
    state: z.enum(['planned', 'active'], {
      message: 'state may be set to active (start); close the sprint at its review',
    }),
    reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters'),
  })
  .partial()
  .refine(datesInOrder, { message: 'The sprint ends on or after its first day', path: ['endDate'] });
export type UpdateSprintInput = z.output<typeof updateSprintSchema>;

const publicSprint = (s: SprintRow) => ({
  id: s.id,
  productId: s.productId,
  name: s.name,
  startDate: s.startDate,
  endDate: s.endDate,
  goal: s.goal,
  capacity: s.capacity,
  state: s.state as SprintState,
  goalMet: s.goalMet,
  goalNote: s.goalNote,
  reviewSessionId: s.reviewSessionId,
  createdAt: s.createdAt,
  startedAt: s.startedAt,
  closedAt: s.closedAt,
});
export type PublicSprint = ReturnType<typeof publicSprint>;

/** The product owner plans sprints. */
export async function createSprint(
  db: Db,
  productId: string,
  actorId: string,
  raw: CreateSprintInput,
): Promise<PublicSprint> {
  await authorize(db, productId, actorId, 'backlog.order');
  const input = createSprintSchema.parse(raw);
  return db.transaction(async (tx) => {
    const [sprint] = await tx
      .insert(sprints)
      .values({ productId, ...input, createdBy: actorId })
      .returning();
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: 'sprint_created',
        after: {
          sprintId: sprint.id,
          name: sprint.name,
          startDate: sprint.startDate,
          endDate: sprint.endDate,
          goal: sprint.goal,
          capacity: sprint.capacity,
        },
      },
    ]);
    return publicSprint(sprint);
  });
}

/** Name, dates, goal, capacity; and the start of the sprint (one active sprint per product). */
export async function updateSprint(
  db: Db,
  sprintId: string,
  actorId: string,
  input: UpdateSprintInput,
): Promise<PublicSprint> {
  return sprintCommand(db, sprintId, actorId, 'backlog.order', async (tx, { sprint }) => {
    const { reason, state, ...fields } = input;
    const start = fields.startDate ?? sprint.startDate;
    const end = fields.endDate ?? sprint.endDate;
    if (start > end)
      throw new AppError('invalid', 'The sprint ends on or after its first day', { field: 'endDate' });
    if (state && !maySprintMove(sprint.state, state))
      throw new AppError('conflict', `A ${sprint.state} sprint cannot become ${state} again`, {
        field: 'state',
      });
    const starting = state === 'active' && sprint.state === 'planned';
    if (starting) {
      const [running] = await tx
        .select({ name: sprints.name })
        .from(sprints)
        .where(
          and(eq(sprints.productId, sprint.productId), eq(sprints.state, 'active'), ne(sprints.id, sprintId)),
        );
      if (running)
        throw new AppError(
          'conflict',
          `${running.name} is still running; close it at its review before starting another sprint`,
          { field: 'state' },
        );
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, unknown]>) {
      if (value !== undefined && value !== sprint[key]) {
        before[key] = sprint[key];
        after[key] = value;
      }
    }
    const [updated] = await tx
      .update(sprints)
      .set({ ...fields, ...(starting ? { state: 'active' as const, startedAt: new Date() } : {}) })
      .where(eq(sprints.id, sprintId))
      .returning();
    const entries = [];
    if (Object.keys(after).length > 0) {
      entries.push({
        productId: sprint.productId,
        actorId,
        kind: 'sprint_updated' as const,
        before: { sprintId, ...before },
        after: { sprintId, ...after },
        reason: reason ?? '',
      });
    }
    if (starting) {
      const committed = await committedPoints(tx, sprintId);
      entries.push({
        productId: sprint.productId,
        actorId,
        kind: 'sprint_started' as const,
        before: { sprintId, state: 'planned' },
        after: { sprintId, state: 'active', points: committed.points, items: committed.items },
        reason: reason ?? '',
      });
    }
    await recordDecisions(tx, entries);
    return publicSprint(updated);
  });
}

/** Points (current estimates) and count of the items in the sprint now, removed ones left out. */
export async function committedPoints(db: Db | Tx, sprintId: string) {
  const [row] = await db
    .select({
      points: sql<number>`coalesce(sum(${backlogItems.estimate}), 0)::int`,
      items: sql<number>`count(*)::int`,
    })
    .from(sprintItems)
    .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
    .where(and(eq(sprintItems.sprintId, sprintId), isNull(sprintItems.removedAt)));
  return row;
}

/**
 * Every sprint of the product with its figures: committed points (current estimates of the items in it), accepted
 * points (velocity) and outcome counts. Oldest first, by start date.
 */
export async function sprintFigures(db: Db, productId: string) {
  const rows = await db
    .select({
      sprint: sprints,
      committed: sql<number>`coalesce(sum(${backlogItems.estimate}) filter (where ${sprintItems.removedAt} is null and ${sprintItems.itemId} is not null), 0)::int`,
      velocity: sql<number>`coalesce(sum(${sprintItems.pointsAtReview}) filter (where ${sprintItems.outcome} = 'accepted'), 0)::int`,
      items: sql<number>`(count(${sprintItems.itemId}) filter (where ${sprintItems.removedAt} is null))::int`,
      accepted: sql<number>`(count(*) filter (where ${sprintItems.outcome} = 'accepted'))::int`,
      rejected: sql<number>`(count(*) filter (where ${sprintItems.outcome} = 'rejected'))::int`,
      enteredNotReady: sql<number>`(count(*) filter (where ${sprintItems.notReadyReason} is not null and ${sprintItems.removedAt} is null))::int`,
      done: sql<number>`(count(*) filter (where ${sprintItems.doneAt} is not null and ${sprintItems.removedAt} is null))::int`,
    })
    .from(sprints)
    .leftJoin(sprintItems, eq(sprintItems.sprintId, sprints.id))
    .leftJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
    .where(eq(sprints.productId, productId))
    .groupBy(sprints.id)
    .orderBy(asc(sprints.startDate), asc(sprints.createdAt));
  return rows.map((r) => ({
    ...publicSprint(r.sprint),
    committedPoints: r.committed,
    velocity: r.velocity,
    items: r.items,
    done: r.done,
    accepted: r.accepted,
    rejected: r.rejected,
    enteredNotReady: r.enteredNotReady,
  }));
}

/**
 * Velocity per closed sprint, oldest first (accepted points; the points counted are those at the moment of
 * acceptance), and the average of the last three to five. Issue 7's charts and forecasts read this.
 */
export async function velocityOf(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  const closed = (await sprintFigures(db, productId)).filter((s) => s.state === 'closed');
  return {
    sprints: closed.map((s) => ({
      id: s.id,
      name: s.name,
      startDate: s.startDate,
      endDate: s.endDate,
      committed: s.committedPoints,
      accepted: s.velocity,
    })),
    summary: velocitySummary(closed.map((s) => s.velocity)),
  };
}

export async function listSprints(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  const all = await sprintFigures(db, productId);
  const closed = all.filter((s) => s.state === 'closed');
  return { sprints: all.reverse(), velocity: velocitySummary(closed.map((s) => s.velocity)) };
}

export { sprintStates };
