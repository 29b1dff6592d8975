import { and, eq, isNull, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import {
  type ForecastOptions,
  forecastLabel,
  forecastOrder,
  type ItemForecast,
  type OrderItem,
  sprintDates,
} from '~/domain/forecast';
import { authorize } from '~/services/products.server';
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

/**
 * A forecast for every open item of the product, from the cumulative points above it in the backlog order and the
 * last three to five closed sprints. An epic with open children is not counted itself (its children are); its
 * forecast is that of its last child. Items done, accepted or archived are not forecast. Three queries at once and
 * one pass, whatever the size of the backlog. The backlog list needs only its rows' cells: `forecastCells`
 * (forecast-cells.server.ts) gives them without titles, labels and dates for every item.
 */
export async function computeBacklogForecast(
  db: Db,
  productId: string,
  /** the product's sprint history, when the caller has already read it */
  knownHistory?: SprintHistory,
): Promise<BacklogForecast> {
  // The order leaves the database as one JSON text: decoding 10,000 rows column by column costs several times more
  // (measured on PGlite, as for the backlog page). The three reads do not depend on one another.
  const [history, orderText, running] = await Promise.all([
    knownHistory ?? sprintHistory(db, productId),
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
  const inRunning = new Set(running.map((r) => r.itemId));
  const items: OrderItem[] = tuples.map(([id, points, parentId]) => ({
    id,
    points,
    parentId,
    inCurrentSprint: inRunning.has(id),
  }));
  const forecasts = forecastOrder(items, forecastOptionsOf(history));
  const titles = new Map(tuples.map(([id, , , title]) => [id, title]));
  const rowOf = forecastRowMaker(history);
  const rows = new Map<string, ForecastRow>();
  for (const [itemId, forecast] of forecasts)
    rows.set(itemId, rowOf(itemId, titles.get(itemId) ?? '', forecast));
  return { history: historySummary(history), rows };
}

/** What the forecast pass reads from the sprint history. */
export function forecastOptionsOf(history: SprintHistory): ForecastOptions {
  return {
    velocities: history.velocities,
    firstSprint: history.firstSprint,
    currentSprint: history.running?.number ?? null,
  };
}

export function historySummary(history: SprintHistory): BacklogForecast['history'] {
  return {
    range: history.range,
    firstSprint: history.firstSprint,
    velocities: history.velocities.slice(-5),
    runningSprint: history.running?.name ?? null,
  };
}

/**
 * Labels and dates of forecast rows. Thousands of items share a few dozen distinct forecasts, so each label and each
 * sprint's dates are made once (making them for every row was most of the time of a 10,000-item forecast).
 */
function forecastRowMaker(history: SprintHistory) {
  const labels = new Map<string, string>();
  const starts = new Map<number, string>();
  const ends = new Map<number, string>();
  const calendar = history.calendar;
  const startOf = (n: number) => {
    let day = starts.get(n);
    if (day === undefined && calendar) {
      day = sprintDates(calendar, n).start.toISOString().slice(0, 10);
      starts.set(n, day);
    }
    return day ?? null;
  };
  const endOf = (n: number) => {
    let day = ends.get(n);
    if (day === undefined && calendar) {
      day = sprintDates(calendar, n).end.toISOString().slice(0, 10);
      ends.set(n, day);
    }
    return day ?? null;
  };
  return (itemId: string, title: string, forecast: ItemForecast): ForecastRow => {
    const key =
      forecast.kind === 'range'
        ? `r${forecast.earliest},${forecast.latest},${forecast.unestimatedThrough > 0}`
        : forecast.kind === 'current_sprint'
          ? `c${forecast.sprint}`
          : `n${forecast.sprintsOfHistory}`;
    let label = labels.get(key);
    if (label === undefined) {
      label = forecastLabel(forecast, history.nameOf);
      labels.set(key, label);
    }
    if (!calendar || forecast.kind === 'no_history')
      return { itemId, title, forecast, label, from: null, to: null };
    const first = forecast.kind === 'current_sprint' ? forecast.sprint : forecast.earliest;
    const last = forecast.kind === 'current_sprint' ? forecast.sprint : forecast.latest;
    return { itemId, title, forecast, label, from: startOf(first), to: last === null ? null : endOf(last) };
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
