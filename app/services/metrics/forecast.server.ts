import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { AppError } from '../../domain/errors';
import {
  type ForecastItem,
  forecastBacklog,
  forecastLabel,
  type ItemForecast,
  sprintDates,
} from '../../domain/forecast';
import { authorize } from '../products.server';
import { type SprintHistory, sprintHistory } from './history.server';

export interface ForecastRow {
  itemId: string;
  title: string;
  forecast: ItemForecast;
  /** "Between Sprint 14 and Sprint 16" */
  label: string;
  /** the first day of the earliest sprint and the last day of the latest (YYYY-MM-DD), when sprints have dates */
  from: string | null;
  to: string | null;
}

export interface BacklogForecast {
  history: Pick<SprintHistory, 'range' | 'firstSprint' | 'velocities'> & { runningSprint: string | null };
  /** every open item, epics included (an epic is done when its last open child is) */
  rows: Map<string, ForecastRow>;
}

/** The raw rows of drivers differ (PGlite: { rows }, postgres.js: an array). */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

const latestOf = (a: ItemForecast, b: ItemForecast): ItemForecast => {
  if (a.kind !== 'range' || b.kind !== 'range') return a.kind === 'range' ? a : b;
  return {
    kind: 'range',
    earliest: Math.max(a.earliest, b.earliest),
    likely: Math.max(a.likely, b.likely),
    latest: a.latest === null || b.latest === null ? null : Math.max(a.latest, b.latest),
    pointsThrough: Math.max(a.pointsThrough, b.pointsThrough),
    unestimatedThrough: Math.max(a.unestimatedThrough, b.unestimatedThrough),
  };
};

/**
 * A forecast for every open item of the product, from the cumulative points above it in the backlog order and the
 * last three to five closed sprints. An epic with open children is not counted itself (its children are); its
 * forecast is that of its last child. Items done, accepted or archived are not forecast. Three queries at once and
 * one pass, whatever the size of the backlog.
 */
export async function computeBacklogForecast(db: Db, productId: string): Promise<BacklogForecast> {
  // The order leaves the database as one JSON text: decoding 10,000 rows column by column costs several times more
  // (measured on PGlite, as for the backlog page). The three reads do not depend on one another.
  const [history, orderText, running] = await Promise.all([
    sprintHistory(db, productId),
    db.execute(sql`
      select coalesce(json_agg(json_build_array(b.id, b.estimate, b.parent_id, b.title) order by b.rank), '[]')::text as "order"
      from backlog_items b
      where b.product_id = ${productId} and b.status not in ('done', 'accepted', 'archived')`),
    db
      .select({ itemId: sprintItems.itemId })
      .from(sprintItems)
      .innerJoin(sprints, eq(sprints.id, sprintItems.sprintId))
      .where(
        and(eq(sprints.productId, productId), eq(sprints.state, 'active'), isNull(sprintItems.removedAt)),
      ),
  ]);
  const tuples = JSON.parse(rowsOf<{ order: string }>(orderText)[0]?.order ?? '[]') as Array<
    [string, number | null, string | null, string]
  >;
  const items = tuples.map(([id, estimate, parentId, title]) => ({ id, estimate, parentId, title }));
  const inRunning = new Set(running.map((r) => r.itemId));
  const openIds = new Set(items.map((i) => i.id));
  const epicsWithChildren = new Set(
    items.filter((i) => i.parentId && openIds.has(i.parentId)).map((i) => i.parentId!),
  );
  const counted = items.filter((i) => !epicsWithChildren.has(i.id));
  const input: ForecastItem[] = counted.map((i) => ({
    id: i.id,
    points: i.estimate,
    inCurrentSprint: inRunning.has(i.id),
  }));
  const forecasts = forecastBacklog(input, {
    velocities: history.velocities,
    firstSprint: history.firstSprint,
    currentSprint: history.running?.number ?? null,
  });
  const byId = new Map<string, ItemForecast>();
  for (const [i, item] of counted.entries()) byId.set(item.id, forecasts[i]);
  for (const item of counted) {
    if (item.parentId && epicsWithChildren.has(item.parentId)) {
      const previous = byId.get(item.parentId);
      const own = byId.get(item.id)!;
      byId.set(item.parentId, previous ? latestOf(previous, own) : own);
    }
  }
  const titles = new Map(items.map((i) => [i.id, i.title]));
  const rows = new Map<string, ForecastRow>();
  for (const item of items) {
    const forecast = byId.get(item.id);
    if (forecast) rows.set(item.id, forecastRowOf(item.id, titles.get(item.id) ?? '', forecast, history));
  }
  return {
    history: {
      range: history.range,
      firstSprint: history.firstSprint,
      velocities: history.velocities.slice(-5),
      runningSprint: history.running?.name ?? null,
    },
    rows,
  };
}

function forecastRowOf(
  itemId: string,
  title: string,
  forecast: ItemForecast,
  history: SprintHistory,
): ForecastRow {
  const label = forecastLabel(forecast, history.nameOf);
  const calendar = history.calendar;
  if (!calendar || forecast.kind === 'no_history')
    return { itemId, title, forecast, label, from: null, to: null };
  const first = forecast.kind === 'current_sprint' ? forecast.sprint : forecast.earliest;
  const last = forecast.kind === 'current_sprint' ? forecast.sprint : forecast.latest;
  return {
    itemId,
    title,
    forecast,
    label,
    from: sprintDates(calendar, first).start.toISOString().slice(0, 10),
    to: last === null ? null : sprintDates(calendar, last).end.toISOString().slice(0, 10),
  };
}

/** The forecast of every open item (members of the product). */
export async function backlogForecast(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  return computeBacklogForecast(db, productId);
}

/** One item's forecast: the whole order above it counts, so it is computed from the same pass. */
export async function itemForecast(db: Db, itemId: string, userId: string) {
  const [item] = await db
    .select({ productId: backlogItems.productId, status: backlogItems.status, title: backlogItems.title })
    .from(backlogItems)
    .where(eq(backlogItems.id, itemId));
  if (!item) throw new AppError('not_found', 'No such item');
  await authorize(db, item.productId, userId, 'product.view');
  const forecast = await computeBacklogForecast(db, item.productId);
  const row = forecast.rows.get(itemId);
  if (!row) throw new AppError('conflict', `This item is ${item.status}: there is nothing left to forecast`);
  return { ...row, history: forecast.history };
}
