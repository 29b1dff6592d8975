import { type Browser, type Cookie, expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, newUser, productIdFrom, tabTo, unique } from './fixtures';

// Issue 13, rough edges: a new user is told what to do next at every first step (start page, no product yet, an
// empty backlog, no sessions, no sprints), by keyboard alone; and times are shown in the viewer's time zone, which
// the browser tells the server in a client-hint cookie.

const losAngeles = 'America/Los_Angeles';

test.use({ timezoneId: losAngeles });

/** Once Remix has hydrated, calls to action that move the focus work. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => '__remixRouter' in window && document.readyState === 'complete');
}

/** "14:05 GMT-8": the clock time and offset of an instant in a zone, worked out here without the app's code. */
function clockIn(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = timeZone === 'UTC' ? 'UTC' : part('timeZoneName');
  return `${part('hour')}:${part('minute')} ${offset}`;
}

/** Today's date (YYYY-MM-DD) in a zone, as the browser's clock reads it there. */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());

/** A new browser that carries only the given login (no time zone cookie yet), in a time zone of its own. */
async function browserIn(browser: Browser, timeZone: string, session: Cookie[]) {
  const context = await browser.newContext({ timezoneId: timeZone });
  await context.addCookies(session);
  return { context, page: await context.newPage() };
}

test('a new sign-up goes from the start page to a product and its first item by keyboard, then to the first meetings', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const user = newUser('firstrun');

  // The start page says what Refinery is and what to do first.
  await page.goto('/');
  await expect(
    page.getByRole('heading', { level: 1, name: 'The live workshop room of a Product Owner' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'How to start' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // The browser has told the server its time zone.
  const hint = (await context.cookies()).find((c) => c.name === 'CH-time-zone');
  expect(decodeURIComponent(hint?.value ?? '')).toBe(losAngeles);

  await hydrated(page);
  await tabTo(page, page.getByRole('link', { name: 'Create an account' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/signup');
  await tabTo(page, page.getByLabel('Name', { exact: true }));
  await page.keyboard.type(user.name);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
  await page.keyboard.type(user.email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');

  // No product yet: a welcome that leads to the product form.
  await expect(page).toHaveURL('/products');
  const welcome = page.getByRole('region', { name: /^Welcome, .*Start with a product$/ });
  await expect(welcome).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await tabTo(page, welcome.getByRole('link', { name: 'Create your first product' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Product name')).toBeFocused();
  const productName = `First product ${unique()}`;
  await page.keyboard.type(productName);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/products\/[^/]+$/);
  const productId = productIdFrom(page.url());
  await expect(page.getByRole('heading', { level: 1, name: productName })).toBeVisible();

  // An empty backlog: what it is for, two ways to fill it, and the New item form already open.
  const start = page.getByRole('region', { name: 'Start the backlog' });
  await expect(start).toBeVisible();
  await expect(start.getByRole('link', { name: 'Import a CSV or Jira file' })).toHaveAttribute(
    'href',
    `/products/${productId}/import`,
  );
  const newItem = page.getByRole('form', { name: 'New backlog item' });
  await expect(newItem).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await tabTo(page, start.getByRole('link', { name: 'Write the first item' }));
  await page.keyboard.press('Enter');
  await expect(newItem.getByLabel('Title', { exact: true })).toBeFocused();
  const title = `Book an appointment online ${unique()}`;
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Added ${title} at the bottom.`)).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'Backlog in priority order' }).getByRole('link', { name: title }),
  ).toBeVisible();
  await expect(start).toHaveCount(0);

  // The product's tabs: four in sight, the rest under "More", a disclosure that Escape closes.
  const nav = page.getByRole('navigation', { name: 'Product' });
  for (const name of ['Backlog', 'Sessions', 'Sprints', 'Dashboard'])
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  const decisionsLink = nav.getByRole('link', { name: 'Decisions' });
  await expect(decisionsLink).toBeHidden();
  const more = nav.locator('summary');
  await tabTo(page, more);
  await page.keyboard.press('Enter');
  await expect(nav.locator('details')).toHaveAttribute('open', '');
  await expect(decisionsLink).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Escape');
  await expect(decisionsLink).toBeHidden();
  await expect(more).toBeFocused();
  await page.keyboard.press('Enter');
  await tabTo(page, decisionsLink);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`/products/${productId}/decisions`);
  await expect(more).toContainText('More: Decisions');

  // The item's creation in the decision log, at the time it happened in Los Angeles.
  const created = page
    .getByRole('list', { name: /decision/i })
    .locator('time')
    .first();
  const at = (await created.getAttribute('datetime')) ?? '';
  await expect(created).toContainText(clockIn(at, losAngeles));

  // No sessions yet: what each meeting is for, and the way to plan one; titles carry today's date in LA.
  await tabTo(page, nav.getByRole('link', { name: 'Sessions', exact: true }));
  await page.keyboard.press('Enter');
  const noSessions = page.getByRole('region', { name: /No sessions yet/ });
  await expect(noSessions).toBeVisible();
  await expect(noSessions.getByRole('heading', { name: 'Refinement workshop' })).toBeVisible();
  await expect(noSessions.getByRole('heading', { name: 'Prioritisation session' })).toBeVisible();
  await expect(noSessions.getByRole('heading', { name: 'Sprint review' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const refinementTitle = page.locator('#new-refinement-session input[name="title"]');
  await expect(refinementTitle).toHaveValue(`Refinement ${todayIn(losAngeles)}`);
  await tabTo(page, noSessions.getByRole('link', { name: 'Plan a refinement workshop' }));
  await page.keyboard.press('Enter');
  await expect(refinementTitle).toBeFocused();

  // No sprints yet: what a sprint is, and the way to plan the first.
  await page.goto(`/products/${productId}/sprints`);
  const noSprints = page.getByRole('region', { name: 'No sprints yet' });
  await expect(noSprints).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await hydrated(page);
  await tabTo(page, noSprints.getByRole('link', { name: 'Plan the first sprint' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
});

test('times follow the viewer’s time zone, from the very first page a browser opens', async ({
  browser,
  page,
  context,
}) => {
  const user = newUser('zones');
  await page.goto('/signup');
  await page.getByLabel('Name', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL('/products');
  await page.getByLabel('Product name').fill(`Zones ${unique()}`);
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.waitForURL(/\/products\/[^/]+$/);
  const productId = productIdFrom(page.url());
  await page
    .getByRole('form', { name: 'New backlog item' })
    .getByLabel('Title', { exact: true })
    .fill('Remind');
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByText('Added Remind at the bottom.')).toBeVisible();
  const session = (await context.cookies()).filter((c) => c.name !== 'CH-time-zone');
  const decisions = `/products/${productId}/decisions`;

  for (const zone of [losAngeles, 'Asia/Kolkata', 'UTC']) {
    // A browser that has never been here opens the decision log first: it learns the zone and shows local times
    // at once (one reload, not a loop).
    const other = await browserIn(browser, zone, session);
    const documents: string[] = [];
    other.page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(new URL(r.url()).pathname);
    });
    await other.page.goto(decisions);
    const time = other.page
      .getByRole('list', { name: /decision/i })
      .locator('time')
      .first();
    const at = (await time.getAttribute('datetime')) ?? '';
    await expect(time).toContainText(clockIn(at, zone));
    expect(documents).toEqual([decisions, decisions]);
    await other.page.goto(decisions);
    await expect(time).toContainText(clockIn(at, zone));
    expect(documents).toHaveLength(3);
    await other.context.close();
  }
});
