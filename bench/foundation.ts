// Foundation benchmark: start-up of the embedded database, password hashing, and API calls through the real
// router on the real database (no HTTP socket). Prints numbers; it is not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { apiClient, testServices } from '../app/api/test-harness.server';
import { mapRows, parseCsv, suggestMapping } from '../app/domain/csv-import';
import { openDatabase } from '../db/client';
import { seedDemo } from '../db/seed/demo';
import { machine, report, sample, time } from './lib';

console.log(`Refinery foundation benchmark — ${machine()}`);

const dir = mkdtempSync(path.join(tmpdir(), 'refinery-bench-'));
const [openMs, database] = await time(() => openDatabase({ dataDir: dir }));
console.log(`PGlite first open + migrations: ${openMs.toFixed(0)} ms`);
const [seedMs] = await time(() => seedDemo(database.db));
console.log(`Demo data: ${seedMs.toFixed(0)} ms`);

report(
  'argon2id hash (19 MiB, t=2)',
  await sample(
    20,
    () => hash('correct horse battery staple', { memoryCost: 19456, timeCost: 2, parallelism: 1 }),
    2,
  ),
);

const call = apiClient(testServices(database));
const created = await call('POST', '/tokens', {
  body: { email: 'olivia@demo.refinery.test', password: 'refinery-demo', name: 'bench' },
});
const token = created.json.token as string;
const products = await call('GET', '/products', { token });
const productId = products.json.products[0].id as string;

report('GET /api/v1/me', await sample(300, () => call('GET', '/me', { token })));
report('GET /api/v1/products', await sample(300, () => call('GET', '/products', { token })));
report(
  'GET /api/v1/products/{id}/members',
  await sample(300, () => call('GET', `/products/${productId}/members`, { token })),
);
report(
  'POST /api/v1/products/{id}/invites',
  await sample(200, () =>
    call('POST', `/products/${productId}/invites`, { token, body: { role: 'stakeholder' } }),
  ),
);

// A Jira CSV export of 10,000 issues, each description over two lines: parsed and mapped to backlog items.
const csvLines = ['Summary,Issue Type,Story Points,Priority,Description'];
for (let i = 0; i < 10_000; i++)
  csvLines.push(`Item ${i},Story,${i % 13},Medium,"Line one\nline two, with ""quotes"""`);
const csv = csvLines.join('\n');
report(
  'CSV import, 10,000 rows (parse and map)',
  await sample(10, async () => {
    const { header, rows, rowLines } = parseCsv(csv);
    mapRows(header, rows, suggestMapping(header), rowLines);
  }),
);

await database.close();
rmSync(dir, { recursive: true, force: true });
