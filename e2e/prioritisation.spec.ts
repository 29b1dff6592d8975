import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn, unique } from './fixtures';

// A stakeholder prioritisation session in four browsers: the product owner (facilitator), a stakeholder with an
// account and two guests in fresh browsers without one. A dot-voting round and a WSJF round: before each reveal
// nobody's page shows anyone else's votes or a total; after it every page shows the same results; the product
// owner applies the WSJF order with a reason and the backlog and the decision log show it.

interface Person {
  context: BrowserContext;
  page: Page;
  name: string;
}

async function signedIn(browser: Browser, email: string, name: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  return { context, page, name };
}

/** The PO creates a prioritisation session with the given methods and the default agenda; returns its room URL. */
async function createSession(
  page: Page,
  productId: string,
  title: string,
  methods: { dots: boolean; wsjf: boolean },
  checkA11y = false,
) {
  await page.goto(`/products/${productId}/sessions`);
  const form = page.getByRole('form', { name: 'New prioritisation session' });
  if (checkA11y) {
    await expectNoSeriousA11yViolations(page);
    await shot(page, '7-new-session');
  }
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Dot voting').setChecked(methods.dots);
  await form.getByLabel('WSJF scoring').setChecked(methods.wsjf);
  await form.getByRole('button', { name: 'Create prioritisation session' }).click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Voting' })).toBeVisible();
  return page.url();
}

/** A person without an account opens the join link in a fresh browser and joins with a display name. */
async function joinAsGuest(browser: Browser, link: string, name: string, checkA11y = false): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: /^Join “/ })).toBeVisible();
  if (checkA11y) await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the session' }).click();
  await page.waitForURL(/\/guest\/[0-9a-f-]{36}\/room$/);
  await expect(page.getByText(`You are ${name}`)).toBeVisible();
  return { context, page, name };
}

/** One dot more (or less) on an item, waiting for the server to answer. */
async function dot(page: Page, title: string, change: '+' | '-', by: 'mouse' | 'keyboard' = 'mouse') {
  const name = change === '+' ? `Put a dot on “${title}”` : `Take a dot off “${title}”`;
  const button = page.getByRole('button', { name });
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200);
  if (by === 'keyboard') {
    await button.focus();
    await page.keyboard.press('Enter');
  } else {
    await button.click();
  }
  await answered;
}

async function dots(page: Page, title: string, n: number, by: 'mouse' | 'keyboard' = 'mouse') {
  for (let i = 0; i < n; i++) await dot(page, title, '+', by);
}

async function agendaTitles(page: Page): Promise<string[]> {
  return page.locator('.prio-item h4').allTextContents();
}

/** Scores the three Cost-of-Delay parts (and job size for the team) of one item; each pick saves itself. */
async function score(
  page: Page,
  title: string,
  parts: { value: number; time: number; risk: number; size?: number },
) {
  const form = page.getByRole('form', { name: `Scores for “${title}”` });
  await form.getByLabel('User-business value').selectOption(String(parts.value));
  await form.getByLabel('Time criticality').selectOption(String(parts.time));
  await form.getByLabel('Risk reduction / opportunity enablement').selectOption(String(parts.risk));
  if (parts.size !== undefined) await form.getByLabel('Job size').selectOption(String(parts.size));
  await expect(form.getByRole('status')).toHaveText(/^Saved/);
}

/** Pictures for looking at the pages by eye (`PRIO_SHOTS=<folder>`); nothing is checked in them. */
async function shot(page: Page, name: string) {
  if (process.env.PRIO_SHOTS)
    await page.screenshot({ path: `${process.env.PRIO_SHOTS}/${name}.png`, fullPage: true });
}

async function facilitate(page: Page, button: 'Open voting' | 'Close voting' | 'Reveal results') {
  await page.getByRole('button', { name: button, exact: true }).click();
  // Closing asks first, saying how many have not voted on every item.
  if (button === 'Close voting') await page.getByRole('button', { name: 'Close voting now' }).click();
}

/** Nothing on this page shows a result: no results table, no totals, nobody's dots but the viewer's own. */
async function expectNoResults(person: Person) {
  await expect(person.page.getByRole('heading', { name: 'Results' })).toHaveCount(0);
  const text = (await person.page.locator('main').textContent()) ?? '';
  expect(text).not.toContain('Who put dots where');
  expect(text).not.toMatch(/\bvoters?\)/);
  expect(text).not.toContain('Proposed order');
}

async function resultsText(page: Page) {
  const table = page.locator('.results-panel');
  await expect(table.getByRole('heading', { name: 'Results' })).toBeVisible();
  return (await table.textContent()) ?? '';
}

test('a PO, a stakeholder and two guests dot-vote and score WSJF; nothing shows before the reveal; the PO applies the order', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000); // four browsers on a shared 2-core machine; the steps themselves wait for conditions
  const { productId } = await demoCopy(request);
  const po = await signedIn(browser, demo.owner, 'Olivia');
  const sam = await signedIn(browser, demo.stakeholders[0], 'Sam');
  const people: Person[] = [po, sam];

  // ---- Round 1: dot voting -----------------------------------------------------------------------------
  const dotRoom = await createSession(
    po.page,
    productId,
    `Dots ${unique()}`,
    { dots: true, wsjf: false },
    true,
  );
  await expectNoSeriousA11yViolations(po.page);
  const link = await po.page.getByLabel('Guest link').inputValue();
  expect(link).toMatch(/\/join\/[\w-]+$/);
  const ana = await joinAsGuest(browser, link, 'Ana (clinic lead)', true);
  await shot(ana.page, '0-guest-joined');
  // A name with markup in it is shown as text, never as HTML.
  const ben = await joinAsGuest(browser, link, 'Ben <b>front desk</b>');
  people.push(ana, ben);
  await sam.page.goto(dotRoom);
  await sam.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(
    po.page.getByRole('listitem').filter({ hasText: 'Ben <b>front desk</b>' }).first(),
  ).toBeVisible();
  await expect(po.page.locator('main b')).toHaveCount(0);

  const [a, b, c] = await agendaTitles(po.page);
  expect(c).toBeTruthy();
  await facilitate(po.page, 'Open voting');
  for (const p of people) await expect(p.page.getByText('Voting is open')).toBeVisible();
  await expectNoSeriousA11yViolations(ana.page);

  await dots(po.page, a, 2);
  await dots(po.page, b, 1);
  await dots(sam.page, b, 3);
  // Ana votes with the keyboard only.
  await dots(ana.page, a, 3, 'keyboard');
  await expect(ana.page.getByText('2 of 5 dots left')).toBeVisible();
  // The cap of 3: the button stays focusable (aria-disabled) and refuses, so the keyboard focus is not lost.
  await expect(ana.page.getByRole('button', { name: `Put a dot on “${a}”` })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await dots(ben.page, c, 2);
  await dot(ben.page, c, '-'); // dots move until voting closes
  await dots(ben.page, a, 2);
  await expect(ben.page.getByText('2 of 5 dots left')).toBeVisible();

  // Everyone sees who has voted, nobody sees what: not the guests, not the stakeholder, not the facilitator.
  await expect(po.page.getByText('4 of 4', { exact: true })).toBeVisible();
  await shot(po.page, '1-po-voting');
  await shot(ana.page, '2-guest-voting');
  for (const p of people) await expectNoResults(p);
  await expect(sam.page.getByText('2 of 5 dots left')).toBeVisible(); // only Sam's own 3 dots count for Sam

  await facilitate(po.page, 'Close voting');
  await expect(ana.page.getByText('Voting is closed')).toBeVisible();
  await expect(ana.page.getByRole('button', { name: `Take a dot off “${a}”` })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  for (const p of people) await expectNoResults(p);

  await facilitate(po.page, 'Reveal results');
  const seen = await Promise.all(people.map((p) => resultsText(p.page)));
  await shot(po.page, '3-po-dot-results');
  for (const text of seen) expect(text).toBe(seen[0]);
  // A has 2 + 3 + 2 = 7 dots from three voters, B 1 + 3 = 4, C 1: ranked in that order, with who put dots where.
  // The dots show as piles first; the table is one press away.
  await expect(po.page.locator('.dot-pile').first()).toContainText('7 dots from 3 voters');
  for (const p of [po, ana]) await p.page.getByRole('button', { name: 'Table', exact: true }).click();
  const rows = po.page.locator('.results-table').first().locator('tbody tr');
  await expect(rows.nth(0)).toContainText(a);
  await expect(rows.nth(0)).toContainText('7 (3 voters)');
  await expect(rows.nth(1)).toContainText(b);
  await expect(rows.nth(1)).toContainText('4 (2 voters)');
  await expect(rows.nth(2)).toContainText('1 (1 voter)');
  await expect(ana.page.getByRole('table', { name: 'Who put dots where' })).toContainText(
    'Ben <b>front desk</b>',
  );

  // The facilitator removes a guest; the guest's page says so. Closing the link keeps new guests out.
  await po.page.getByRole('button', { name: 'Remove guest Ben <b>front desk</b>' }).click();
  await expect(po.page.getByRole('button', { name: 'Remove guest Ben <b>front desk</b>' })).toHaveCount(0);
  await ben.page.reload();
  await expect(ben.page.getByRole('heading', { name: 'You were removed from this session' })).toBeVisible();
  await po.page.getByRole('button', { name: 'Close guest link' }).click();
  await expect(po.page.getByRole('button', { name: 'Reopen guest link' })).toBeVisible();
  const late = await browser.newContext();
  const latePage = await late.newPage();
  await latePage.goto(link);
  await expect(latePage.getByRole('heading', { name: 'This session is closed to guests' })).toBeVisible();
  await latePage.goto('/join/not-a-real-link');
  await expect(latePage.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
  await latePage.goto(dotRoom);
  await expect(latePage).toHaveURL(/\/login/); // a guest browser reaches nothing of the product
  await late.close();
  await ben.context.close();

  // ---- Round 2: WSJF ---------------------------------------------------------------------------------------
  const wsjfRoom = await createSession(po.page, productId, `WSJF ${unique()}`, { dots: false, wsjf: true });
  const link2 = await po.page.getByLabel('Guest link').inputValue();
  const cai = await joinAsGuest(browser, link2, 'Cai (physio)');
  await ana.page.goto(link2);
  await ana.page.getByLabel('Your name').fill('Ana (clinic lead)');
  await ana.page.getByRole('button', { name: 'Join the session' }).click();
  await ana.page.waitForURL(/\/guest\//);
  // A member following the link while signed in joins with their account and lands in the room.
  await sam.page.goto(link2);
  await sam.page.getByRole('button', { name: 'Join the session' }).click(); // a member joins with one button
  await sam.page.waitForURL(wsjfRoom);
  await expect(sam.page.getByRole('heading', { name: 'Voting' })).toBeVisible();
  const scorers = [po, sam, ana, cai];
  const [x, y, z] = await agendaTitles(po.page);
  await facilitate(po.page, 'Open voting');
  for (const p of scorers) await expect(p.page.getByText('Voting is open')).toBeVisible();
  // Guests score the value side; job size is for the team (the PO here).
  await expect(cai.page.getByLabel('Job size')).toHaveCount(0);
  await score(po.page, x, { value: 1, time: 1, risk: 1, size: 5 });
  await score(po.page, y, { value: 8, time: 5, risk: 3, size: 5 });
  await score(po.page, z, { value: 20, time: 13, risk: 8, size: 5 });
  for (const p of [sam, ana, cai]) {
    await score(p.page, x, { value: 1, time: 2, risk: 1 });
    await score(p.page, y, { value: 8, time: 5, risk: 2 });
    await score(p.page, z, { value: p === sam ? 2 : 20, time: 13, risk: 8 });
  }
  await expect(po.page.getByText('4 of 4', { exact: true })).toBeVisible();
  for (const p of scorers) await expectNoResults(p);

  await facilitate(po.page, 'Reveal results');
  const seen2 = await Promise.all(scorers.map((p) => resultsText(p.page)));
  await shot(po.page, '4-po-wsjf-results');
  if (process.env.PRIO_SHOTS) {
    // The README's picture: the room from its header to the proposed order.
    const bottom = await po.page
      .locator('.proposal-panel')
      .evaluate((e) => e.getBoundingClientRect().bottom + window.scrollY);
    await po.page.screenshot({
      path: `${process.env.PRIO_SHOTS}/prioritisation-room.png`,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 },
      fullPage: true,
    });
  }
  await shot(cai.page, '5-guest-wsjf-results');
  for (const text of seen2) expect(text).toBe(seen2[0]);
  const wsjfRows = cai.page.locator('.results-table').first().locator('tbody tr');
  await expect(wsjfRows.nth(0)).toContainText(z);
  await expect(wsjfRows.nth(0)).toContainText('Contested'); // Sam scored its value 2, the others 20
  await expect(wsjfRows.nth(1)).toContainText(y);
  await expect(wsjfRows.nth(2)).toContainText(x);
  await expectNoSeriousA11yViolations(po.page);
  await expectNoSeriousA11yViolations(cai.page);

  // The PO applies the WSJF order with a reason: z moves above y and x.
  const proposal = po.page.locator('.proposal-panel');
  await expect(proposal.getByRole('link', { name: 'By WSJF' })).toHaveAttribute('aria-current', 'true');
  await expect(
    proposal.getByRole('row').filter({ has: po.page.getByRole('rowheader', { name: z, exact: true }) }),
  ).toContainText('up 2');
  const reason = `Stakeholders agree the ${unique()} item matters most`;
  await proposal.getByLabel('Why this order').fill(reason);
  await proposal.getByRole('button', { name: 'Apply this order' }).click();
  await expect(
    proposal.getByText(/^Applied: \d+ items moved\. The backlog and the decision log show it\.$/),
  ).toBeVisible();

  await po.page.goto(`/products/${productId}`);
  await expect(po.page.locator('.backlog-row .row-title').first()).toBeVisible();
  const backlog = (await po.page.locator('.backlog-row .row-title').allTextContents()).map((t) => t.trim());
  expect(backlog.indexOf(z)).toBeGreaterThan(-1);
  expect(backlog.indexOf(z)).toBeLessThan(backlog.indexOf(y));
  expect(backlog.indexOf(y)).toBeLessThan(backlog.indexOf(x));
  await po.page.goto(`/products/${productId}/decisions`);
  await expect(po.page.getByText(reason)).toBeVisible();

  // The summary shows the results and the applied order; the results download as CSV and Markdown.
  await po.page.goto(`${wsjfRoom}/summary`);
  await expect(po.page.getByRole('heading', { name: 'Prioritisation results' })).toBeVisible();
  await shot(po.page, '6-summary');
  await expect(po.page.getByText(reason)).toBeVisible();
  // Nothing of a refinement summary (estimates, poker rounds) on a prioritisation summary.
  await expect(po.page.getByRole('heading', { name: 'Items', exact: true })).toHaveCount(0);
  const perItem = await po.page.request.get(`${wsjfRoom}/results.csv`);
  expect(perItem.headers()['content-type']).toContain('text/csv');
  const perItemText = await perItem.text();
  expect(perItemText.split('\r\n')[1]).toContain(`"1","${z}"`);
  const perPerson = await (await po.page.request.get(`${wsjfRoom}/results.csv?per=participant`)).text();
  expect(perPerson).toContain('"Cai (physio)"');
  expect(await (await po.page.request.get(`${wsjfRoom}/results.md`)).text()).toContain('# Results: WSJF');
  // A guest's browser gets nothing of the product, the downloads included.
  const guestDownload = await cai.page.request.get(`${wsjfRoom}/results.csv`, { maxRedirects: 0 });
  expect(guestDownload.status()).toBe(302);

  for (const p of [po, sam, ana, cai]) await p.context.close();
});
