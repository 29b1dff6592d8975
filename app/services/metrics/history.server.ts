import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { sprintItems, sprints } from '../../../db/schema';
import { type SprintCalendar, sprintNamer, type VelocityRange, velocityRange } from '~/domain/forecast';

export interface SprintFigures {
  id: string;
  /** 1-based, in start-date order: the "N" of "sprint N" */
  number: number;
  name: string;
  startDate: string;
  endDate: string;
  state: 'planned' | 'active' | 'closed';
  goal: string;
  goalMet: boolean | null;
  /** when the product owner started it (the commitment is taken at this moment) */
  startedAt: Date | null;
  /** when it was closed at its review */
  closedAt: Date | null;
  /** accepted points (velocity); only final once the sprint is closed */
  accepted: number;
  acceptedCount: number;
  rejectedCount: number;
  /** items committed (not removed) */
  committedCount: number;
  committedPoints: number;
  doneCount: number;
  enteredNotReady: number;
}

export interface SprintHistory {
  sprints: SprintFigures[];
  /** velocities of the closed sprints, oldest first */
  velocities: number[];
  range: VelocityRange | null;
  running: SprintFigures | null;
  /** the sprint that takes items from the backlog next */
  firstSprint: number;
  /** a regular cadence from the last sprint with dates, for forecast dates; null without any sprint */
  calendar: SprintCalendar | null;
  /** "Sprint 14" for a number: the sprint's own name when it exists */
  nameOf: (n: number) => string;
}

const dayMs = 86_400_000;

/** Every sprint of a product with its figures, in one query; velocities and the sprint numbering for forecasts. */
export async function sprintHistory(db: Db, productId: string): Promise<SprintHistory> {
  const rows = await db
    .select({
      id: sprints.id,
      name: sprints.name,
      startDate: sprints.startDate,
      endDate: sprints.endDate,
      state: sprints.state,
      goal: sprints.goal,
      goalMet: sprints.goalMet,
      startedAt: sprints.startedAt,
      closedAt: sprints.closedAt,
      accepted: sql<number>`coalesce(sum(${sprintItems.pointsAtReview}) filter (where ${sprintItems.outcome} = 'accepted'), 0)::int`,
      acceptedCount: sql<number>`(count(*) filter (where ${sprintItems.outcome} = 'accepted'))::int`,
      rejectedCount: sql<number>`(count(*) filter (where ${sprintItems.outcome} = 'rejected'))::int`,
      committedCount: sql<number>`(count(${sprintItems.itemId}) filter (where ${sprintItems.removedAt} is null))::int`,
      committedPoints: sql<number>`coalesce(sum(${sprintItems.pointsAtCommit}) filter (where ${sprintItems.removedAt} is null), 0)::int`,
      doneCount: sql<number>`(count(*) filter (where ${sprintItems.removedAt} is null and ${sprintItems.doneAt} is not null))::int`,
      enteredNotReady: sql<number>`(count(*) filter (where ${sprintItems.removedAt} is null and ${sprintItems.notReadyReason} is not null))::int`,
    })
    .from(sprints)
    .leftJoin(sprintItems, eq(sprintItems.sprintId, sprints.id))
    .where(eq(sprints.productId, productId))
    .groupBy(sprints.id)
    .orderBy(asc(sprints.startDate), asc(sprints.createdAt));
  const figures: SprintFigures[] = rows.map((r, i) => ({ ...r, number: i + 1 }));
  const velocities = figures.filter((s) => s.state === 'closed').map((s) => s.accepted);
  const running = figures.find((s) => s.state === 'active') ?? null;
  const lastClosed = figures.findLast((s) => s.state === 'closed');
  // Items not in the running sprint go into the sprint after it (or after the last closed one).
  const firstSprint = (running?.number ?? lastClosed?.number ?? 0) + 1;
  const dated = running ?? lastClosed ?? figures.at(-1) ?? null;
  const calendar = dated ? cadenceOf(figures, dated) : null;
  return {
    sprints: figures,
    velocities,
    range: velocityRange(velocities),
    running,
    firstSprint,
    calendar,
    nameOf: sprintNamer(figures),
  };
}

const dateMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** Sprint dates repeat at the distance between the last two starts (weekends included), else at the sprint's length. */
function cadenceOf(figures: readonly SprintFigures[], dated: SprintFigures): SprintCalendar {
  const previous = figures.findLast((s) => s.number < dated.number);
  const length = Math.round((dateMs(dated.endDate) - dateMs(dated.startDate)) / dayMs) + 1;
  const gap = previous ? Math.round((dateMs(dated.startDate) - dateMs(previous.startDate)) / dayMs) : 0;
  return {
    knownSprint: dated.number,
    knownStart: new Date(dateMs(dated.startDate)),
    lengthDays: Math.max(1, gap > 0 ? gap : length),
  };
}
