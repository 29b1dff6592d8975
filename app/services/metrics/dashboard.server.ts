import { and, asc, desc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { Burndown } from '~/domain/burndown';
import { toCsv } from '~/domain/csv-write';
import { authorize } from '~/services/products.server';
import { type GoalRiskView, goalRiskOf } from '~/services/sprints/goal-risk.server';
import type { Db } from '../../../db/client';
import { backlogItems, products, reviewResults, sprintItems, sprints } from '../../../db/schema';
import { computeSprintBurndown } from './burndown.server';
import { computeBacklogForecast, type ForecastRow } from './forecast.server';
import { sprintHistory } from './history.server';

/** Without a choice, the dashboard forecasts the open epics and the top of the order. */
const defaultTopItems = 8;
const recentReviews = 3;

export interface DashboardData {
  product: { id: string; name: string };
  sprint: {
    id: string;
    name: string;
    goal: string;
    startDate: string;
    endDate: string;
    state: 'planned' | 'active' | 'closed';
    goalMet: boolean | null;
    committedPoints: number;
    committedCount: number;
    doneCount: number;
    burndown: Burndown;
    /** the goal at risk, said early: the projection now and the history with the product owner's responses */
    goalRisk: Omit<GoalRiskView, 'mayRespond'> | null;
  } | null;
  velocity: {
    sprints: Array<{ name: string; accepted: number }>;
    range: { lowest: number; average: number; highest: number; sprints: number } | null;
  };
  forecasts: Array<
    { id: string; title: string; type: string } & Omit<ForecastRow, 'itemId' | 'title' | 'forecast'>
  >;
  reviews: Array<{
    sprint: string;
    goal: string;
    goalMet: boolean | null;
    /** the product owner's note on the goal when closing the sprint */
    goalNote: string;
    items: Array<{
      title: string;
      outcome: 'accepted' | 'rejected';
      points: number | null;
      /** the product owner's note on the decision */
      note: string;
      /** a rejected item's unmet criteria and Definition of Done lines, each with what is needed */
      needed: Array<{ label: string; feedback: string }>;
    }>;
  }>;
}

/**
 * Everything the stakeholder dashboard shows, for members and share links alike: the running (or last) sprint's
 * goal, progress and burndown, velocity, forecasts for the chosen items, and the outcomes of recent reviews. The
 * burndown's days are those of the viewer's `timeZone`.
 */
export async function computeDashboard(
  db: Db,
  productId: string,
  chosenItemIds: readonly string[] = [],
  timeZone = 'UTC',
): Promise<DashboardData> {
  const [[product], history, forecast] = await Promise.all([
    db.select({ id: products.id, name: products.name }).from(products).where(eq(products.id, productId)),
    sprintHistory(db, productId),
    computeBacklogForecast(db, productId),
  ]);
  const focus = history.running ?? history.sprints.findLast((s) => s.state === 'closed') ?? null;
  let sprint: DashboardData['sprint'] = null;
  if (focus) {
    const [row] = await db.select().from(sprints).where(eq(sprints.id, focus.id));
    sprint = {
      id: focus.id,
      name: focus.name,
      goal: focus.goal,
      startDate: focus.startDate,
      endDate: focus.endDate,
      state: focus.state,
      goalMet: focus.goalMet,
      committedPoints: focus.committedPoints,
      committedCount: focus.committedCount,
      doneCount: focus.doneCount,
      burndown: await computeSprintBurndown(db, row, new Date(), timeZone),
      goalRisk: await dashboardGoalRisk(db, row, timeZone),
    };
  }

  const chosen =
    chosenItemIds.length > 0
      ? await db
          .select({
            id: backlogItems.id,
            title: backlogItems.title,
            type: backlogItems.type,
            rank: backlogItems.rank,
          })
          .from(backlogItems)
          .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, [...chosenItemIds])))
          .orderBy(asc(backlogItems.rank))
      : await dashboardCandidates(db, productId, defaultTopItems);
  const forecasts = chosen.map((item) => {
    const row = forecast.rows.get(item.id);
    return {
      id: item.id,
      title: item.title,
      type: item.type,
      label: row?.label ?? 'Done or archived: nothing left to forecast',
      from: row?.from ?? null,
      to: row?.to ?? null,
    };
  });

  const closed = history.sprints.filter((s) => s.state === 'closed');
  const recent = closed.slice(-recentReviews).reverse();
  const recentIds = recent.map((s) => s.id);
  // What the product owner wrote at the reviews (never the participants' own notes: the dashboard may be shared).
  const [reviewed, unmet, goalNotes] =
    recentIds.length > 0
      ? await Promise.all([
          db
            .select({
              sprintId: sprintItems.sprintId,
              itemId: sprintItems.itemId,
              title: backlogItems.title,
              outcome: sprintItems.outcome,
              points: sprintItems.pointsAtReview,
              note: sprintItems.outcomeNote,
            })
            .from(sprintItems)
            .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
            .where(and(inArray(sprintItems.sprintId, recentIds), isNotNull(sprintItems.outcome)))
            .orderBy(desc(sprintItems.decidedAt)),
          db
            .select({
              sprintId: reviewResults.sprintId,
              itemId: reviewResults.itemId,
              label: reviewResults.label,
              feedback: reviewResults.feedback,
            })
            .from(reviewResults)
            .where(and(inArray(reviewResults.sprintId, recentIds), eq(reviewResults.met, false)))
            .orderBy(asc(reviewResults.line)),
          db
            .select({ id: sprints.id, goalNote: sprints.goalNote })
            .from(sprints)
            .where(inArray(sprints.id, recentIds)),
        ])
      : [[], [], []];
  const neededFor = (sprintId: string, itemId: string) =>
    unmet
      .filter((u) => u.sprintId === sprintId && u.itemId === itemId)
      .map((u) => ({ label: u.label, feedback: u.feedback }));
  return {
    product,
    sprint,
    velocity: {
      sprints: closed.slice(-8).map((s) => ({ name: s.name, accepted: s.accepted })),
      range: history.range,
    },
    forecasts,
    reviews: recent.map((s) => ({
      sprint: s.name,
      goal: s.goal,
      goalMet: s.goalMet,
      goalNote: goalNotes.find((g) => g.id === s.id)?.goalNote ?? '',
      items: reviewed
        .filter((r) => r.sprintId === s.id)
        .map((r) => ({
          title: r.title,
          outcome: r.outcome as 'accepted' | 'rejected',
          points: r.points,
          note: r.note,
          needed: r.outcome === 'rejected' ? neededFor(s.id, r.itemId) : [],
        })),
    })),
  };
}

/** The goal risk of the dashboard's sprint (read by stakeholders: nobody responds there). */
async function dashboardGoalRisk(
  db: Db,
  sprint: typeof sprints.$inferSelect,
  timeZone: string,
): Promise<NonNullable<DashboardData['sprint']>['goalRisk']> {
  const { mayRespond: _, ...view } = await goalRiskOf(db, sprint, 'stakeholder', { timeZone });
  return view.projection || view.history.length > 0 ? view : null;
}

export async function productDashboard(db: Db, productId: string, userId: string, timeZone = 'UTC') {
  await authorize(db, productId, userId, 'product.view');
  return computeDashboard(db, productId, [], timeZone);
}

export const dashboardCharts = ['velocity', 'burndown', 'forecast'] as const;
export type DashboardChart = (typeof dashboardCharts)[number];

/** The data behind one chart of the dashboard as CSV, for the "Download the data" links. */
export function dashboardCsv(data: DashboardData, chart: DashboardChart): string {
  if (chart === 'velocity')
    return toCsv(
      ['Sprint', 'Accepted points'],
      data.velocity.sprints.map((s) => [s.name, s.accepted]),
    );
  if (chart === 'burndown') {
    const days = data.sprint?.burndown.days ?? [];
    return toCsv(
      ['Day', 'Remaining', 'Ideal', 'Completed', 'Added', 'Removed'],
      days.map((d) => [d.date, d.remaining, d.ideal, d.completed, d.added, d.removed]),
    );
  }
  return toCsv(
    ['Item', 'Type', 'Forecast', 'From', 'To'],
    data.forecasts.map((f) => [f.title, f.type, f.label, f.from, f.to]),
  );
}

/** Items the product owner may pick for a share link: open epics, then the top of the order. */
export async function dashboardCandidates(db: Db, productId: string, limit = 25) {
  return db
    .select({ id: backlogItems.id, title: backlogItems.title, type: backlogItems.type })
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, productId),
        notInArray(backlogItems.status, ['done', 'accepted', 'archived']),
      ),
    )
    .orderBy(sql`(${backlogItems.type} = 'epic') desc`, asc(backlogItems.rank))
    .limit(limit);
}
