import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import {
  type ForecastOptions,
  forecastCell,
  forecastOrder,
  type ItemForecast,
  type OrderItem,
} from '~/domain/forecast';
import { rowsOf } from '../../../db/client';
import { type BacklogForecast, forecastOptionsOf, historySummary } from './forecast.server';
import { sprintHistory } from './history.server';

/**
 * The forecast cells of the backlog list ("14–16"), for the rows a request shows, from the forecast of the whole
 * open order (decision record 0015). Every request reads the sprint history and a fingerprint of the other inputs
 * (the open order with each item's estimate and parent, and the running sprint's items) from Postgres in one
 * statement; the decoded order is kept per product in this process and used only while the fingerprint read now
 * matches it. Postgres stays the truth: a change made by any process shows in the next request.
 */
export interface ForecastCells {
  history: BacklogForecast['history'];
  /** the cell of an open item; null for an item that is not forecast (done, accepted, archived) or without history */
  cellOf(itemId: string): string | null;
}

interface OrderInputs {
  /** md5 of the open order and the running sprint's items, as Postgres computed it */
  version: string;
  items: OrderItem[];
  /** the forecast pass over `items`, for the history options in `optionsKey` */
  forecasts: { optionsKey: string; byId: Map<string, ItemForecast> } | null;
}

/** Bounds of the cache: products kept, and items over all of them (10,000 items measured at 0.6 MiB of heap). */
export const forecastCacheLimits = { products: 32, items: 100_000 };
/** Product id → inputs, least recently used first. */
const cache = new Map<string, OrderInputs>();
let cachedItems = 0;

function remember(productId: string, inputs: OrderInputs) {
  forget(productId);
  // A product larger than the whole budget is answered, not kept.
  if (inputs.items.length <= forecastCacheLimits.items) {
    cache.set(productId, inputs);
    cachedItems += inputs.items.length;
  }
  for (const [oldest, entry] of cache) {
    if (cache.size <= forecastCacheLimits.products && cachedItems <= forecastCacheLimits.items) break;
    cache.delete(oldest);
    cachedItems -= entry.items.length;
  }
}

function forget(productId: string) {
  const entry = cache.get(productId);
  if (!entry) return;
  cache.delete(productId);
  cachedItems -= entry.items.length;
}

/** For tests and benchmarks: empty the cache, and see what it holds. */
export const forecastCache = {
  clear() {
    cache.clear();
    cachedItems = 0;
  },
  get size() {
    return cache.size;
  },
  get items() {
    return cachedItems;
  },
};

/**
 * The fingerprint is the md5 of every input of the pass that is not in the sprint history: the open order (each item's
 * id, estimate and parent, top first) and the running sprint's items, exactly as they would be sent. When it equals
 * `known` they are not sent again; either way Postgres reads and aggregates them once. Plain text ("id points parent"
 * joined by commas; "-" for none) costs Postgres about half of what json_agg does (measured on PGlite).
 */
const orderStatement = (productId: string, known: string) => sql`
  with open_order as (
    select coalesce(string_agg(b.id::text || ' ' || coalesce(b.estimate::text, '-') || ' ' || coalesce(b.parent_id::text, '-'), ',' order by b.rank), '') as "order"
    from backlog_items b
    where b.product_id = ${productId} and b.status not in ('done', 'accepted', 'archived')
  ),
  running as (
    select coalesce(string_agg(si.item_id::text, ',' order by si.item_id), '') as ids
    from sprint_items si join sprints s on s.id = si.sprint_id
    where s.product_id = ${productId} and s.state = 'active' and si.removed_at is null
  ),
  inputs as (select o."order", r.ids, md5(o."order" || '|' || r.ids) as version from open_order o, running r)
  select version,
    case when version = ${known} then null else "order" end as "order",
    case when version = ${known} then null else ids end as running
  from inputs`;

const optionsKeyOf = (options: ForecastOptions) =>
  `${options.velocities.join(',')}|${options.firstSprint}|${options.currentSprint ?? ''}`;

/** The open order's inputs as they are in Postgres now: the cached ones when the fingerprint still matches. */
async function currentInputs(db: Db, productId: string): Promise<OrderInputs> {
  // Taken once: a concurrent request may replace the entry, but this one answers for the version it sent.
  const cached = cache.get(productId);
  const result = await db.execute(orderStatement(productId, cached?.version ?? ''));
  const [row] = rowsOf<{ version: string; order: string | null; running: string | null }>(result);
  if (cached && row.order === null && row.version === cached.version) {
    // Most recently used last.
    cache.delete(productId);
    cache.set(productId, cached);
    return cached;
  }
  const running = new Set(row.running ? row.running.split(',') : []);
  const items: OrderItem[] = [];
  for (const entry of row.order ? row.order.split(',') : []) {
    const [id, points, parentId] = entry.split(' ');
    items.push({
      id,
      points: points === '-' ? null : Number(points),
      parentId: parentId === '-' ? null : parentId,
      inCurrentSprint: running.has(id),
    });
  }
  const inputs: OrderInputs = { version: row.version, items, forecasts: null };
  remember(productId, inputs);
  return inputs;
}

export async function forecastCells(db: Db, productId: string): Promise<ForecastCells> {
  const [history, inputs] = await Promise.all([sprintHistory(db, productId), currentInputs(db, productId)]);
  const options = forecastOptionsOf(history);
  const optionsKey = optionsKeyOf(options);
  let forecasts = inputs.forecasts;
  if (!forecasts || forecasts.optionsKey !== optionsKey) {
    forecasts = { optionsKey, byId: forecastOrder(inputs.items, options) };
    inputs.forecasts = forecasts;
  }
  const { byId } = forecasts;
  return {
    history: historySummary(history),
    cellOf: (itemId) => {
      const forecast = byId.get(itemId);
      return forecast ? forecastCell(forecast) : null;
    },
  };
}
