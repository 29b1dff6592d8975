// Forecast benchmark: a product with 10,000 open items and five closed sprints. Times a forecast for every item
// (the service: sprint history, the whole order, one pass), the backlog list's cells (forecastCells: validated against
// Postgres on every call, with the kept order and without it), the forecast of one item near the bottom, and the pure
// computation alone. Target (issue 7): the whole backlog's forecasts in under 200 ms p95.
// Prints numbers; it is not a test. BENCH_DATABASE_URL runs it on a Postgres server instead of PGlite.
import { generateNKeysBetween } from 'fractional-indexing';
import { forecastBacklog } from '../app/domain/forecast';
import { signUp } from '../app/services/accounts.server';
import { computeBacklogForecast, itemForecast } from '../app/services/metrics/forecast.server';
import { forecastCache, forecastCells } from '../app/services/metrics/forecast-cells.server';
import { createProduct } from '../app/services/products.server';
import { openDatabase } from '../db/client';
import { backlogItems } from '../db/schema';
import { machine, percentile, report, sample, time } from './lib';
import { insertClosedSprint } from './sprints';

const count = Number(process.env.BENCH_ITEMS ?? 10_000);
const url = process.env.BENCH_DATABASE_URL;
console.log(`Refinery forecast benchmark, ${count} items — ${machine()}`);
const database = await openDatabase(url ? { url } : { memory: true });
const db = database.db;
console.log(`database: ${database.kind}`);

const owner = await signUp(db, {
  email: `bench-${Date.now()}@example.com`,
  displayName: 'Bench PO',
  password: 'correct horse battery staple',
});
const product = await createProduct(db, owner.id, { name: `Forecast bench ${Date.now()}`, description: '' });
const [setupMs] = await time(async () => {
  const ranks = generateNKeysBetween(null, null, count + 50);
  const ids: string[] = [];
  for (let i = 0; i < count + 50; i += 1000) {
    const rows = await db
      .insert(backlogItems)
      .values(
        ranks.slice(i, Math.min(i + 1000, count + 50)).map((rank, j) => ({
          productId: product.id,
          title: `Item ${i + j + 1}`,
          // Every tenth item is not estimated yet.
          estimate: (i + j) % 10 === 9 ? null : [1, 2, 3, 5, 8][(i + j) % 5],
          // The first 50 items were accepted in the five closed sprints below.
          status: i + j < 50 ? ('accepted' as const) : ('ready' as const),
          rank,
        })),
      )
      .returning({ id: backlogItems.id });
    ids.push(...rows.map((r) => r.id));
  }
  for (let s = 0; s < 5; s++) {
    await insertClosedSprint(
      db,
      product.id,
      s,
      ids
        .slice(s * 10, s * 10 + 10)
        .map((itemId, k) => ({ itemId, points: 2 + ((s + k) % 3), pointsAtCommit: 3 })),
    );
  }
  return ids;
});
console.log(`setup: ${count} open items and 5 closed sprints in ${setupMs.toFixed(0)} ms`);

const whole = await computeBacklogForecast(db, product.id);
const last = [...whole.rows.values()].at(-1)!;
console.log(
  `forecasts: ${whole.rows.size} items; velocity ${JSON.stringify(whole.history.range)}; the last item: ${last.label}`,
);

const samples = await sample(40, () => computeBacklogForecast(db, product.id));
report('forecast for every item (service)', samples);
report(
  'backlog cells, order changed (cache miss)',
  await sample(40, () => {
    forecastCache.clear();
    return forecastCells(db, product.id);
  }),
);
report('backlog cells, order unchanged (cache hit)', await sample(40, () => forecastCells(db, product.id)));
report(
  'forecast for one item (itemForecast)',
  await sample(20, () => itemForecast(db, last.itemId, owner.id)),
);
const items = Array.from({ length: count }, (_, i) => ({
  id: String(i),
  points: i % 10 === 9 ? null : [1, 2, 3, 5, 8][i % 5],
}));
report(
  'pure computation only (forecastBacklog)',
  await sample(200, async () => forecastBacklog(items, { velocities: [20, 24, 22, 25, 23], firstSprint: 6 })),
);
const p95 = percentile(samples, 95);
console.log(
  `target: every item's forecast under 200 ms p95 → ${p95 < 200 ? 'met' : 'NOT met'} (${p95.toFixed(1)} ms)`,
);
await database.close();
