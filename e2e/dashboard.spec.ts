import { expect, test } from '@playwright/test';
import { demo, expectNoSeriousA11yViolations, logIn, openDemoProduct, openMoreTab } from './fixtures';

// Issue 7: metrics and the stakeholder dashboard. The demo data has three closed sprints and a running one, so
// every chart and forecast shows something real on first start.

test('the PO shares the dashboard with someone without an account, who sees the charts until the link is revoked', {
  tag: '@demo',
}, async ({ browser }) => {
  const owner = await browser.newContext();
  const page = await owner.newPage();
  await logIn(page, demo.owner, demo.password);
  await openDemoProduct(page);

  // The backlog carries a forecast for every item.
  await expect(
    page.getByText(
      /Forecast: the sprints in which each item is expected, from the velocity of the last 3 sprints/,
    ),
  ).toBeVisible();
  const firstForecast = page.locator('.backlog-row .forecast').first();
  await expect(firstForecast).toHaveText(/^Forecast: (now|sprint ≥?\d+(–\d+|\+)?)$/);

  // And on the item's own page, in words.
  await page.locator('.backlog-row .row-title').first().click();
  await expect(
    page.getByText(/^Forecast: (In the running Sprint 4|In Sprint \d+|Between Sprint \d+ and Sprint \d+)/),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Now: Sprint 4' })).toBeVisible();
  await expect(page.locator('.chart .recharts-wrapper svg').first()).toBeVisible();
  await page.getByLabel('Who is it for?').fill('Clinic leads');
  await page.getByRole('button', { name: 'Create share link' }).click();
  const linkField = page.getByLabel('Dashboard link for Clinic leads');
  await expect(linkField).toBeVisible();
  const url = await linkField.inputValue();
  expect(url).toMatch(/\/share\/dashboard\/dash_/);

  // A stranger with the link: no account, a fresh browser.
  const stranger = await browser.newContext();
  const guest = await stranger.newPage();
  await guest.goto(url);
  await expect(guest.getByRole('heading', { level: 1, name: demo.productName })).toBeVisible();
  await expect(guest.getByText('Dashboard shared with Clinic leads')).toBeVisible();
  await expect(guest.getByRole('heading', { name: 'Velocity' })).toBeVisible();
  await expect(guest.getByRole('heading', { name: 'Burndown: Sprint 4' })).toBeVisible();
  await expect(guest.locator('.chart .recharts-wrapper')).toHaveCount(2);
  await expect(guest.getByRole('heading', { name: 'When will it be done?' })).toBeVisible();
  await expect(guest.getByRole('table').first().getByRole('row')).not.toHaveCount(1);
  await expect(guest.getByText(/Sprint 3: goal not met/)).toBeVisible();
  // The review's outcome comes with the product owner's words: the goal note and what the rejected widget needs.
  await expect(guest.getByText('the website widget is not accessible yet', { exact: false })).toBeVisible();
  await expect(
    guest.getByRole('list', { name: 'What “Booking widget on the clinic websites” still needs' }),
  ).toContainText('Keyboard users lose focus when the slot picker opens');
  // Nothing of the product beyond the dashboard: no tabs, no backlog, no way in, and no sign-up pitch.
  await expect(guest.getByRole('navigation', { name: 'Product' })).toHaveCount(0);
  await expect(guest.getByRole('link', { name: 'Sign up' })).toHaveCount(0);
  await expect(guest.getByRole('link', { name: 'Log in' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(guest);

  // Each chart's data downloads as CSV, through the same link.
  const csv = await guest.request.get(`${url}/velocity.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text).toContain('"Sprint","Accepted points"');
  expect(text).toContain('"Sprint 1","13"');

  // Revoked: the same link now shows a clear page, and no data.
  await page.reload();
  await page.getByRole('button', { name: 'Revoke the link for Clinic leads' }).click();
  await expect(page.getByText(/Clinic leads · revoked/)).toBeVisible();
  const gone = await guest.goto(url);
  expect(gone?.status()).toBe(410);
  await expect(
    guest.getByText('This dashboard link was revoked. Ask the product owner for a new one.'),
  ).toBeVisible();
  await expect(guest.getByRole('heading', { name: 'Velocity' })).toHaveCount(0);
  await expect(guest.getByText('Sprint goal')).toHaveCount(0);
  expect((await guest.request.get(`${url}/velocity.csv`)).status()).toBe(410);
  const forged = await guest.goto(`${url}x`);
  expect(forged?.status()).toBe(404);

  await stranger.close();
  await owner.close();
});

test('a stakeholder reads the metrics page: charts, quality numbers and downloads, by keyboard and without colour', {
  tag: '@demo',
}, async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, demo.stakeholders[0], demo.password);
  await openDemoProduct(page);
  await openMoreTab(page, 'Metrics');
  await expect(page.getByRole('heading', { name: 'Your quality numbers' })).toBeVisible();
  await expect(page.getByText('Review rejection rate')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Velocity' })).toBeVisible();
  await expect(
    page.getByText(/Average of the last 3 sprints: 12 points \(lowest 10, highest 13\)/),
  ).toBeVisible();
  await expect(page.locator('.chart .recharts-wrapper')).toHaveCount(3);

  // Another sprint's burndown, chosen with the keyboard.
  const select = page.getByLabel('Burndown of');
  await select.focus();
  await select.selectOption({ label: 'Sprint 2' });
  await expect(page.getByRole('heading', { name: 'Burndown: Sprint 2' })).toBeVisible();
  await expect(page).toHaveURL(/sprint=/);

  // The numbers are there as a table for anyone who cannot read the picture.
  await page.getByText('The numbers').first().click();
  await expect(page.getByRole('cell', { name: '13' }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await context.close();
});
