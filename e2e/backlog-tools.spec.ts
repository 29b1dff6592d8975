import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn, openDemoProduct, openProduct, unique } from './fixtures';

// The backlog tools: CSV import (mapping step, preview, all-or-nothing), CSV/JSON export, the WSJF order proposal
// with a written reason, the cleanup view, and who may use each.

interface ExportedItem {
  position: number;
  title: string;
  type: string;
  estimate: number | null;
  moscow: string | null;
  labels: string[];
  parent: string | null;
}

async function exported(page: Page, productId: string): Promise<ExportedItem[]> {
  const response = await page.request.get(`/products/${productId}/export.json`);
  expect(response.status()).toBe(200);
  return (await response.json()).items;
}

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text, 'utf8'),
});

test('the product owner imports a Jira CSV with a changed column; the items land at the bottom of the backlog', async ({
  page,
  request,
}) => {
  const copy = await demoCopy(request);
  const { productId } = copy;
  await logIn(page, demo.owner, demo.password);
  await openProduct(page, productId, copy.name);
  const tag = unique();
  const titles = [
    `Online intake form ${tag}`,
    `Therapist photo on the booking page ${tag}`,
    `Crash without rooms ${tag}`,
  ];
  // Jira's own column names, except the estimate, which sits in a column the mapping does not know ("Size").
  const jira = [
    'Summary,Issue key,Issue Type,Priority,Size,Labels,Labels,Custom field (Epic Link),Description',
    `${titles[0]},HAR-${tag}-1,Story,High,5,intake,web,Self-service booking,"As a patient I want to fill in the form at home, so that the session starts on time."`,
    `"${titles[1]}",HAR-${tag}-2,Task,Medium,3,booking,,Self-service booking,`,
    `${titles[2]},HAR-${tag}-3,Bug,Highest,2,,,,`,
  ].join('\r\n');
  const before = await exported(page, productId);

  await page.goto(`/products/${productId}/import`);
  await expect(page.getByRole('heading', { level: 2, name: 'Import from CSV' })).toBeVisible();
  await expect(
    page.getByText(/At most \d+ KB per file: the server takes at most 1 MB per request \(MAX_BODY_BYTES\)/),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(csvFile('jira-export.csv', jira));
  await page.getByRole('button', { name: 'Preview' }).click();

  // Step 2: the suggested mapping, with the estimate not mapped yet.
  await expect(page.getByRole('status').filter({ hasText: 'jira-export.csv' })).toContainText(
    '3 rows read, 3 items ready to import, no errors',
  );
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('0');
  await expect(page.getByLabel('Parent epic')).toHaveValue('7');
  const estimate = page.getByLabel('Estimate (points)');
  await expect(estimate).toHaveValue('');
  const preview = page.getByRole('table', { name: /as they will be imported/ });
  await expect(preview.getByRole('row').nth(1)).toContainText(titles[0]);
  await expect(preview.getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('–');
  await expectNoSeriousA11yViolations(page);

  // The mapping change: the estimate comes from "Size"; the preview follows.
  await estimate.selectOption({ label: 'Size' });
  await expect(preview.getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('5');
  await expect(preview.getByRole('row').nth(2)).toContainText('Story');
  await expect(preview.getByRole('row').nth(1)).toContainText('Should');
  await expect(preview.getByRole('row').nth(1)).toContainText('intake, web');

  await page.getByRole('button', { name: 'Import 3 items' }).click();
  await page.waitForURL(
    (url) => url.pathname === `/products/${productId}` && url.searchParams.get('imported') === '3',
  );

  // At the bottom of the order, in file order, with the changed column's values.
  const after = await exported(page, productId);
  expect(after).toHaveLength(before.length + 3);
  const bottom = after.slice(-3);
  expect(bottom.map((i) => i.title)).toEqual(titles);
  expect(bottom.map((i) => i.estimate)).toEqual([5, 3, 2]);
  expect(bottom.map((i) => i.type)).toEqual(['story', 'story', 'bug']);
  expect(bottom.map((i) => i.moscow)).toEqual(['should', 'could', 'must']);
  expect(bottom[0]).toMatchObject({ labels: ['intake', 'web'], parent: 'Self-service booking' });
  expect(after.slice(0, before.length).map((i) => i.title)).toEqual(before.map((i) => i.title));

  // And on the backlog page, at the last positions.
  await page.goto(`/products/${productId}?q=${encodeURIComponent(tag)}`);
  const rows = page.getByRole('list', { name: 'Backlog in priority order' }).locator('li[data-row-id]');
  await expect(rows).toHaveCount(3);
  await expect(rows.locator('.row-title')).toHaveText(titles);
  await expect(rows.locator('.rank')).toHaveText([
    `Position ${after.length - 2}`,
    `Position ${after.length - 1}`,
    `Position ${after.length}`,
  ]);
});

test('an import with broken rows lists each line with its reason and imports nothing', {
  tag: '@demo',
}, async ({ page, baseURL }) => {
  await logIn(page, demo.owner, demo.password);
  const productId = await openDemoProduct(page);
  const broken = [
    'Summary,Issue Type,Story Points',
    'A fine row,Story,3',
    ',Story,2',
    'Wrong type,Epicc,1',
    'Wrong points,Bug,lots',
  ].join('\n');
  const before = await exported(page, productId);

  await page.goto(`/products/${productId}/import`);
  // The fallback for pasting, instead of a file.
  await page.getByLabel('Or paste CSV text').fill(broken);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Pasted CSV' })).toContainText(
    '4 rows read, 1 item ready to import, 3 errors',
  );
  const errors = page.locator('.import-errors li');
  await expect(errors).toHaveText([
    'Line 3: The title (Summary) is empty',
    /^Line 4: Unknown issue type "Epicc"/,
    'Line 5: Estimate "lots" is not a non-negative number',
  ]);
  await expect(page.getByRole('button', { name: 'Import 1 item' })).toBeDisabled();
  await expect(page.getByText('Import is off while any row has an error')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Forced past the disabled button: refused with the lines, nothing imported.
  const forced = await page.request.post(`/products/${productId}/import`, {
    headers: { Origin: baseURL! },
    multipart: { intent: 'import', csv: broken },
  });
  expect(forced.status()).toBe(400);
  const html = (await forced.text()).replaceAll('<!-- -->', '');
  expect(html).toContain('3 rows have errors; nothing was imported. Line 3: The title (Summary) is empty');
  expect(html).toContain('Line 5:</strong> Estimate &quot;lots&quot; is not a non-negative number');
  expect((await exported(page, productId)).map((i) => i.title)).toEqual(before.map((i) => i.title));
});

test('export: the CSV download starts with the first backlog item; JSON is pretty-printed for any member', {
  tag: '@demo',
}, async ({ page, browser }) => {
  await logIn(page, demo.owner, demo.password);
  const productId = await openDemoProduct(page);
  const first = await page
    .getByRole('list', { name: 'Backlog in priority order' })
    .locator('.row-title')
    .first()
    .textContent();

  await page.goto(`/products/${productId}/import`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  // The product's name (RFC 5987 filename*), with an ASCII slug for older clients.
  expect(download.suggestedFilename()).toBe(`${demo.productName} backlog.csv`);
  const text = await readFile((await download.path())!, 'utf8');
  const [header, firstRow] = parse(text.replace(/^\uFEFF/, ''), { to: 2 }) as string[][];
  expect(header.slice(0, 7)).toEqual(['position', 'rank', 'id', 'key', 'type', 'title', 'status']);
  expect(firstRow[0]).toBe('1');
  expect(firstRow[header.indexOf('title')]).toBe(first);
  expect(first).toBeTruthy();

  // A stakeholder may export too.
  const context = await browser.newContext();
  const stakeholder = await context.newPage();
  await logIn(stakeholder, demo.stakeholders[0], demo.password);
  const json = await stakeholder.request.get(`/products/${productId}/export.json`);
  expect(json.status()).toBe(200);
  expect(json.headers()['content-disposition']).toContain(
    'filename="harbor-physio-online-booking-backlog.json"',
  );
  const body = await json.text();
  expect(body).toContain('\n  "items": [\n');
  expect(JSON.parse(body).items[0]).toMatchObject({ position: 1, title: first! });
  await context.close();
});

test('the product owner applies the WSJF order to two items with a reason; the reason is in the decision log', async ({
  page,
  request,
}) => {
  const copy = await demoCopy(request);
  const { productId } = copy;
  await logIn(page, demo.owner, demo.password);
  await openProduct(page, productId, copy.name);
  await page.goto(`/products/${productId}/proposals`);
  await expect(page.getByRole('heading', { level: 2, name: 'Order proposal' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'WSJF', exact: true })).toHaveAttribute('aria-current', 'true');
  await expectNoSeriousA11yViolations(page);

  const table = page.getByRole('table', { name: /Proposed order by WSJF/ });
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return { proposed: Number(cells[1]), now: Number(cells[2]), move: cells[3], title: cells[4] };
    }),
  );
  // Moves read as text: ↑n / ↓n / —, with words for screen readers.
  expect(rows.every((r) => /^(↑\d+up \d+|↓\d+down \d+|—stays)$/.test(r.move))).toBe(true);
  // Two items in the wrong order relative to each other: the best-scored one and one above it now.
  const a = rows.find((r) => rows.some((b) => b.proposed > r.proposed && b.now < r.now))!;
  const b = rows.find((r) => r.proposed > a.proposed && r.now < a.now)!;
  expect(a && b).toBeTruthy();

  await page.getByLabel(`Select “${a.title}”`).check();
  await page.getByLabel(`Select “${b.title}”`).check();
  await expect(page.getByText('2 selected.')).toBeVisible();
  const reason = `Stakeholders scored ${a.title} higher (${unique()})`;
  await page.getByRole('button', { name: 'Apply to 2 items' }).click();
  // The reason is required.
  await expect(page.getByLabel(/Why this order/)).toBeFocused();
  await page.getByLabel(/Why this order/).fill(reason);
  await page.getByRole('button', { name: 'Apply to 2 items' }).click();
  await expect(page.getByText('Applied the WSJF order to 2 items: 2 items moved.')).toBeVisible();

  // The new order: the two swapped places.
  const nowCell = (title: string) =>
    table
      .locator('tr', { has: page.getByRole('link', { name: title, exact: true }) })
      .locator('td')
      .nth(2);
  await expect(nowCell(a.title)).toHaveText(String(b.now));
  await expect(nowCell(b.title)).toHaveText(String(a.now));
  await expect(page.getByText('0 selected.')).toBeVisible();

  await page.getByRole('link', { name: 'See the decision log' }).click();
  await expect(page.getByRole('heading', { name: 'Decision log' })).toBeVisible();
  await expect(page.getByText(reason)).toBeVisible();
});

test('cleanup lists archive candidates with their reasons and archives a selection with one reason', {
  tag: '@demo',
}, async ({ page }) => {
  await logIn(page, demo.owner, demo.password);
  const productId = await openDemoProduct(page);
  await page.goto(`/products/${productId}/cleanup`);
  await expect(page.getByRole('heading', { level: 2, name: 'Cleanup' })).toBeVisible();
  // The demo has three closed sprints (13, 13 and 10 points) and Sprint 4 running.
  await expect(
    page.getByText(/The next three sprints, Sprint 5 to Sprint 7, take 39 points at full capacity/),
  ).toBeVisible();
  // The demo backlog was just created: nothing is untouched; the bottom WSJF quartile and the horizon find candidates.
  await expect(page.getByText(/^Empty: the bottom quartile, WSJF [\d.]+ or less/)).toBeVisible();
  const table = page.getByRole('table', { name: /Archive candidates/ });
  const victim = 'Waiting list for fully booked therapists';
  const row = table.locator('tr', { has: page.getByRole('link', { name: victim, exact: true }) });
  await expect(row).toContainText(/WSJF 1\.5, at most [\d.]+/);
  await expect(row).toContainText(/Not before Sprint \d+, after Sprint 7/);
  const lateOnly = table.locator('tr', {
    has: page.getByRole('link', { name: 'Remove the unused fax integration', exact: true }),
  });
  await expect(lateOnly).toContainText(/Not before Sprint \d+, after Sprint 7/);
  await expectNoSeriousA11yViolations(page);

  // Other settings: 30 days, WSJF at most 2 and no horizon still list it, for its WSJF alone.
  await page.getByLabel('Untouched for at least').selectOption('30');
  await page.getByLabel('Or WSJF at most').fill('2');
  await page.getByLabel('Or beyond the next three sprints').uncheck();
  await page.getByRole('button', { name: 'Show candidates' }).click();
  await expect(page).toHaveURL(/days=30&maxWsjf=2/);
  await expect(row).toContainText('WSJF 1.5, at most 2');
  await expect(row).not.toContainText('Not before');
  await expect(lateOnly).toHaveCount(0);
  await expect(page.getByLabel('Or beyond the next three sprints')).not.toBeChecked();

  await page.getByLabel(`Select “${victim}”`).check();
  await page.getByLabel(/Reason for archiving/).fill('Nobody has asked for a waiting list in a year');
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('Archive 1 item?');
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Archive 1 item…' }).click();
  await expect(
    page.getByText('Archived 1 item. To undo, open an item in the archived items and restore it.'),
  ).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.getByRole('link', { name: 'archived items' }).click();
  await expect(page).toHaveURL(/status=archived/);
  await expect(page.getByRole('link', { name: victim, exact: true })).toBeVisible();
});

test('a stakeholder gets 403 on import and cleanup, and sees the proposal read-only', {
  tag: '@demo',
}, async ({ page, baseURL }) => {
  await logIn(page, demo.stakeholders[0], demo.password);
  const productId = await openDemoProduct(page);
  for (const tool of ['import', 'cleanup']) {
    const response = await page.goto(`/products/${productId}/${tool}`);
    expect(response?.status()).toBe(403);
    await expect(
      page.getByRole('heading', { level: 1, name: 'You do not have access to this' }),
    ).toBeVisible();
  }
  await expectNoSeriousA11yViolations(page);
  const forcedImport = await page.request.post(`/products/${productId}/import`, {
    headers: { Origin: baseURL! },
    multipart: { intent: 'import', csv: 'Summary\nSneaky item\n' },
  });
  expect(forcedImport.status()).toBe(403);

  await page.goto(`/products/${productId}/proposals?mode=moscow_wsjf`);
  await expect(page.getByRole('link', { name: 'MoSCoW, then WSJF' })).toHaveAttribute('aria-current', 'true');
  await expect(
    page.getByText('Only the product owner can apply a proposal; you see it read-only.'),
  ).toBeVisible();
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Apply/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  const forcedApply = await page.request.post(`/products/${productId}/proposals`, {
    headers: { Origin: baseURL! },
    form: { mode: 'wsjf', all: 'yes', reason: 'I would like this order' },
  });
  expect(forcedApply.status()).toBe(403);
});
