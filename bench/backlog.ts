// Backlog benchmark: a product with 10,000 items and five closed sprints (every row has a forecast). Times the backlog page's server response (full HTTP request to
// the production build, logged in), the rows the list fetches after it, a move (the command, in its transaction),
// and importing a 10,000-row CSV.
// Prints numbers; it is not a test. Needs `npm run build` first.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import { rowsPageSize } from '../app/components/backlog/use-backlog-rows';
import { firstScreenRows } from '../app/routes/products.$productId._index/backlog-page.server';
import { signUp } from '../app/services/accounts.server';
import { importBacklogCsv } from '../app/services/backlog/import-export.server';
import { moveItem } from '../app/services/backlog/moves.server';
import { createProduct } from '../app/services/products.server';
import { backlogItems } from '../db/schema';
import { startServer } from '../server/app-server';
import { parseConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { fmt, machine, percentile, report, sample, time } from './lib';
import { insertClosedSprint } from './sprints';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'build/server/index.js'))) {
  console.error('Run `npm run build` first.');
  process.exit(1);
}
const count = Number(process.env.BENCH_ITEMS ?? 10_000);
console.log(`Refinery backlog benchmark, ${count} items — ${machine()}`);

const dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-bench-'));
const parsed = parseConfig({
  PORT: '0',
  DATA_DIR: dataDir,
  DEMO_DATA: 'false',
  LOG_LEVEL: 'silent',
  DATABASE_URL: process.env.BENCH_DATABASE_URL,
});
if (!parsed.ok) throw new Error(parsed.message);
const server = await startServer(parsed.config, createLogger('silent'), { root });
const db = server.database.db;
console.log(`database: ${server.database.kind}`);

const password = 'correct horse battery staple';
const owner = await signUp(db, {
  email: `bench-${Date.now()}@example.com`,
  displayName: 'Bench PO',
  password,
});
const product = await createProduct(db, owner.id, { name: 'Bench product', description: '' });
const types = ['story', 'story', 'story', 'bug', 'tech_debt', 'spike'] as const;
const [insertMs] = await time(async () => {
  const ranks = generateNKeysBetween(null, null, count);
  for (let i = 0; i < count; i += 1000) {
    await db.insert(backlogItems).values(
      ranks.slice(i, i + 1000).map((rank, j) => ({
        productId: product.id,
        type: types[(i + j) % types.length],
        title: `Backlog item ${i + j + 1}: let patients do something useful`,
        estimate: [1, 2, 3, 5, 8][(i + j) % 5],
        rank,
        labels: ['bench'],
      })),
    );
  }
});
console.log(`setup: inserted ${count} items in ${insertMs.toFixed(0)} ms`);
// Five closed sprints that delivered the top 15 items, so every open row has a real forecast range to compute.
const delivered = await db
  .select({ id: backlogItems.id })
  .from(backlogItems)
  .orderBy(backlogItems.rank)
  .limit(15);
for (let s = 0; s < 5; s++) {
  const items = delivered.slice(s * 3, s * 3 + 3);
  await insertClosedSprint(
    db,
    product.id,
    s,
    items.map(({ id }, k) => ({ itemId: id, points: 5 + ((s + k) % 4) })),
  );
  await db
    .update(backlogItems)
    .set({ status: 'accepted' })
    .where(
      inArray(
        backlogItems.id,
        items.map((i) => i.id),
      ),
    );
}

const login = await fetch(`${server.url}/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
  body: new URLSearchParams({ email: owner.email, password }),
  redirect: 'manual',
});
const cookie = login.headers.get('set-cookie')?.split(';')[0];
if (!cookie) throw new Error(`login failed: ${login.status}`);

const page = async (suffix = '') => {
  const res = await fetch(`${server.url}/products/${product.id}${suffix}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`backlog page answered ${res.status}`);
  return res.text();
};
const html = await page();
console.log(
  `backlog page: ${(html.length / 1024).toFixed(0)} KiB of HTML (the first ${firstScreenRows} rows)`,
);
const lastRows = JSON.parse(await page(`/backlog-rows?offset=${count - 1}&limit=1`)) as { rows: unknown[][] };
console.log(`forecast of the last row: ${JSON.stringify(lastRows.rows[0]?.at(-1) ?? null)}`);
report('backlog page, server response (HTML)', await sample(30, () => page(), 3));
report('backlog page, data request (?_data)', await sample(30, () => page('.data'), 3));
// What the list fetches after the page: the rest of the order, page by page, one request after the other.
const rest = async () => {
  let bytes = 0;
  for (let offset = firstScreenRows; offset < count; offset += rowsPageSize)
    bytes += (await page(`/backlog-rows?offset=${offset}&limit=${rowsPageSize}`)).length;
  return bytes;
};
console.log(
  `rest of the rows: ${Math.ceil((count - firstScreenRows) / rowsPageSize)} requests, ${((await rest()) / 1024).toFixed(0)} KiB`,
);
report('rows after the first screen (all requests)', await sample(30, rest, 3));

const ids = (await db.select({ id: backlogItems.id }).from(backlogItems)).map((r) => r.id);
const pick = () => ids[Math.floor(Math.random() * ids.length)];
const moves = await sample(200, async (i) => {
  const item = pick();
  let other = pick();
  while (other === item) other = pick();
  return moveItem(db, item, owner.id, i % 2 ? { beforeId: other } : { afterId: other });
});
report('move (command + decision, one transaction)', moves);
console.log(
  `move p95 target < 20 ms: ${percentile(moves, 95) < 20 ? 'met' : 'NOT met'} (${fmt(percentile(moves, 95))})`,
);

const csvRows = Array.from({ length: count }, (_, i) =>
  [
    `Imported story ${i + 1}`,
    `IMP-${i + 1}`,
    i % 50 === 0 ? 'Epic' : 'Story',
    ['High', 'Medium', 'Low'][i % 3],
    String([1, 2, 3, 5, 8][i % 5]),
    i % 50 === 0 ? '' : `IMP-${Math.floor(i / 50) * 50 + 1}`,
    'imported',
    '"As a user I want this, so that ""that"" happens"',
  ].join(','),
);
const csv = [
  'Summary,Issue key,Issue Type,Priority,Story Points,Epic Link,Labels,Description',
  ...csvRows,
].join('\n');
const target = await createProduct(db, owner.id, { name: 'Import target', description: '' });
const [importMs, imported] = await time(() => importBacklogCsv(db, target.id, owner.id, { csv }));
console.log(
  `import ${imported.imported} CSV rows (${(csv.length / 1024 / 1024).toFixed(1)} MiB): ${importMs.toFixed(0)} ms (target < 10 s: ${importMs < 10_000 ? 'met' : 'NOT met'})`,
);

await server.stop();
rmSync(dataDir, { recursive: true, force: true });
