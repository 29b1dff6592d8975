import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  createProduct,
  demo,
  expectNoSeriousA11yViolations,
  logIn,
  openDemoProduct,
  openProduct,
  unique,
} from './fixtures';
import { type DemoCopy, demoCopy } from './demo-copy';

// The backlog page: ordering by keyboard and by drag (product owner only), live updates in a second browser
// context, the server's refusal of a forced move, Gherkin criteria with a parse error, and axe on every page.

const backlogList = (page: Page) => page.getByRole('list', { name: 'Backlog in priority order' });
/** The titles of the rows on screen: the list is virtualised, so only the first screenful from the top. */
const titles = async (page: Page, count = 10) =>
  (await backlogList(page).locator('.row-title').allInnerTexts()).slice(0, count);
const liveIndicator = (page: Page) => page.locator('.live-status');

/** Logged in on the backlog of a copy of the demo product, or of the demo product itself when none is given. */
async function signedIn(browser: Browser, email: string, copy?: DemoCopy) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  const productId = copy ? copy.productId : await openDemoProduct(page);
  if (copy) await openProduct(page, copy.productId, copy.name);
  await expect(backlogList(page)).toBeVisible();
  return { context, page, productId };
}

test('the product owner reorders by keyboard and by drag; a stakeholder sees each new order live, without reload', async ({
  browser,
  request,
}) => {
  const copy = await demoCopy(request);
  const owner = await signedIn(browser, demo.owner, copy);
  const watcher = await signedIn(browser, demo.stakeholders[0], copy);
  const a = owner.page;
  const b = watcher.page;
  await expect(liveIndicator(a)).toHaveText(/: Live$/);
  await expect(liveIndicator(b)).toHaveText(/: Live$/);
  // A marker on the stakeholder's window: a reload would remove it.
  await b.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });

  // Keyboard: the third item moves up one place.
  const before = await titles(a);
  expect(await titles(b)).toEqual(before);
  const third = before[2];
  const total = Number(
    ((await a.locator('#backlog-title + p').textContent()) ?? '').match(/^(\d+) items/)?.[1],
  );
  expect(total).toBeGreaterThan(20);
  await backlogList(a).getByRole('link', { name: third, exact: true }).focus();
  await a.keyboard.press('Alt+ArrowUp');
  await expect(a.locator('.move-status')).toHaveText(`Moved “${third}” to position 2.`);
  // The focus stays on the moved item, so it can be moved again.
  await expect(backlogList(a).getByRole('link', { name: third, exact: true })).toBeFocused();
  const afterKeyboard = [before[0], third, before[1], ...before.slice(3)].slice(0, 10);
  expect(await titles(a)).toEqual(afterKeyboard);
  await expect.poll(() => titles(b), { timeout: 5_000 }).toEqual(afterKeyboard);

  // Keyboard again, to the bottom and back to the top.
  await a.keyboard.press('Alt+End');
  await expect(a.locator('.move-status')).toHaveText(`Moved “${third}” to position ${total}.`);
  await expect
    .poll(() => titles(b, 9), { timeout: 5_000 })
    .toEqual(before.filter((t) => t !== third).slice(0, 9));
  // The moved row, now at the bottom of the virtualised list, has the focus again before the next key.
  await expect(backlogList(a).getByRole('link', { name: third, exact: true })).toBeFocused();
  await a.keyboard.press('Alt+Home');
  await expect(a.locator('.move-status')).toHaveText(`Moved “${third}” to position 1.`);
  await expect.poll(async () => (await titles(b))[0], { timeout: 5_000 }).toBe(third);

  // Drag: the fifth row is dropped on the upper half of the first row, so it lands above it.
  const current = await titles(a);
  const fifth = current[4];
  const rows = backlogList(a).locator('li[data-row-id]');
  await rows.nth(4).dragTo(rows.nth(0), { targetPosition: { x: 300, y: 6 } });
  await expect(a.locator('.move-status')).toHaveText(`Moved “${fifth}” to position 1.`);
  const afterDrag = [fifth, ...current.filter((t) => t !== fifth)].slice(0, 10);
  await expect.poll(() => titles(a)).toEqual(afterDrag);
  await expect.poll(() => titles(b), { timeout: 5_000 }).toEqual(afterDrag);

  // Drop on the lower half of a row: below it.
  const dragged = afterDrag[0];
  await rows.nth(0).dragTo(rows.nth(2), { targetPosition: { x: 300, y: 38 } });
  await expect(a.locator('.move-status')).toHaveText(`Moved “${dragged}” to position 3.`);
  const afterSecondDrag = [afterDrag[1], afterDrag[2], dragged, ...afterDrag.slice(3)].slice(0, 10);
  await expect.poll(() => titles(b), { timeout: 5_000 }).toEqual(afterSecondDrag);

  expect(await b.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await owner.context.close();
  await watcher.context.close();
});

test('a move the server refuses is rolled back with the reason', async ({ browser, baseURL, request }) => {
  const copy = await demoCopy(request);
  const context = await browser.newContext();
  const a = await context.newPage();
  // This page gets no live updates, so it still shows an item that is archived in the meantime.
  await a.routeWebSocket(/\/collab/, () => {});
  await logIn(a, demo.owner, demo.password);
  const { productId } = copy;
  await openProduct(a, productId, copy.name);
  const before = await titles(a);
  const victim = before[3];
  const rows = backlogList(a).locator('li[data-row-id]');
  const victimId = await rows.nth(3).getAttribute('data-row-id');
  const nextId = await rows.nth(4).getAttribute('data-row-id');
  const href = await backlogList(a).getByRole('link', { name: victim, exact: true }).getAttribute('href');

  const other = await context.newPage();
  await other.goto(href!);
  other.on('dialog', (dialog) => dialog.accept());
  await other.getByLabel('Reason for archiving').fill('Superseded by the new booking flow');
  await other.getByRole('button', { name: 'Archive…' }).click();
  await expect(other.getByText('Archived. It is out of the order')).toBeVisible();

  await backlogList(a).getByRole('link', { name: victim, exact: true }).focus();
  await a.keyboard.press('Alt+ArrowUp');
  await expect(a.getByRole('alert').filter({ hasText: 'The move was not saved' })).toContainText('archived');
  // The list is the server's again: the archived item is gone and nothing else moved.
  await expect.poll(() => titles(a, 9)).toEqual(before.filter((t) => t !== victim).slice(0, 9));

  // Put the data back: restore it (at the bottom) and move it to where it was.
  await other.getByRole('button', { name: 'Restore' }).click();
  await expect(other.getByText('Restored at the bottom of the order.')).toBeVisible();
  const back = await a.request.post(`/products/${productId}?index`, {
    headers: { Origin: baseURL! },
    form: { intent: 'move', itemId: victimId!, beforeId: nextId!, reason: 'Restored after a test' },
  });
  expect(back.status()).toBe(200);
  await a.goto(`/products/${productId}`);
  expect(await titles(a)).toEqual(before);
  await context.close();
});

test('stakeholders and team members see the backlog without move controls; a forced move answers 403', {
  tag: '@demo',
}, async ({ browser, baseURL }) => {
  const { context, page, productId } = await signedIn(browser, demo.stakeholders[0]);
  const list = await titles(page, 20);
  expect(list.length).toBeGreaterThan(10);
  await expect(page.getByRole('button', { name: /^Move/ })).toHaveCount(0);
  await expect(page.locator('[draggable="true"]')).toHaveCount(0);
  await expect(page.getByText('Alt+↑')).toHaveCount(0);
  await expect(page.getByText('New item', { exact: true })).toHaveCount(0);

  const lastId = await backlogList(page).locator('li[data-row-id]').last().getAttribute('data-row-id');
  const forced = await page.request.post(`/products/${productId}?index`, {
    headers: { Origin: baseURL! },
    form: { intent: 'move', itemId: lastId!, position: 'top' },
    maxRedirects: 0,
  });
  expect(forced.status()).toBe(403);
  await page.reload();
  expect(await titles(page, 20)).toEqual(list);
  await context.close();

  // A team member edits items but does not order the backlog.
  const team = await signedIn(browser, demo.teamMembers[0]);
  await expect(team.page.getByRole('button', { name: /^Move/ })).toHaveCount(0);
  await expect(team.page.locator('[draggable="true"]')).toHaveCount(0);
  await expect(team.page.getByText('New item', { exact: true })).toBeVisible();
  const teamForced = await team.page.request.post(`/products/${productId}?index`, {
    headers: { Origin: baseURL! },
    form: { intent: 'move', itemId: lastId!, position: 'top' },
    maxRedirects: 0,
  });
  expect(teamForced.status()).toBe(403);
  // Bad input is answered clearly, never with a 500.
  const garbage = await team.page.request.post(`/products/${productId}?index`, {
    headers: { Origin: baseURL! },
    form: { intent: 'move', itemId: 'not-an-id', beforeId: 'x' },
    maxRedirects: 0,
  });
  expect(garbage.status()).toBe(400);
  await team.context.close();
});

test('criteria with a parse error: the line is named as it is typed, the previous criteria are kept', async ({
  page,
  request,
}) => {
  const copy = await demoCopy(request);
  await logIn(page, demo.teamMembers[0], demo.password);
  await openProduct(page, copy.productId, copy.name);
  // Found with the search filter (a GET form): the list is virtualised and the item may be far down.
  await page.getByRole('searchbox', { name: 'Search' }).fill('first assessment online');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/q=first\+assessment\+online/);
  await backlogList(page).getByRole('link', { name: 'Book a first assessment online', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Book a first assessment online' })).toBeVisible();
  // The criteria are edited live (see e2e/live-text.spec.ts); the list below them is what the item has stored.
  const editor = page.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)' });
  await expect(editor).toBeVisible();
  const lines = await editor.locator(':scope > p').count();
  const criteria = page.getByRole('list', { name: /criteri/ });
  const count = await criteria.getByRole('listitem').count();
  expect(count).toBeGreaterThan(1);

  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('  this line is not Gherkin');
  const errors = page.locator('.criteria-errors');
  await expect(errors).toContainText(`Line ${lines + 1}:`);
  await expect(errors).toContainText('this line is not Gherkin');
  await expect(editor).toHaveAttribute('aria-invalid', 'true');

  // Longer than the live document's store debounce: the item keeps its last valid criteria, the text keeps the line.
  await page.waitForTimeout(3_000);
  await page.reload();
  await expect(criteria.getByRole('listitem')).toHaveCount(count);
  await expect(errors).toContainText(`Line ${lines + 1}:`);

  // The line removed again: the criteria parse.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expect(page.locator('.criteria-ok')).toContainText('Valid Gherkin');
  await expect(editor.locator(':scope > p')).toHaveCount(lines);

  // The download is the saved criteria as a .feature file.
  const download = await page.request.get(
    await page
      .getByRole('link', { name: 'Download .feature' })
      .getAttribute('href')
      .then((h) => h!),
  );
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toContain('.feature');
  expect(await download.text()).toContain('Scenario');
});

/** Opens an item page through the backlog's search filter (the list is virtualised; the item may be far down). */
async function openItem(page: Page, productId: string, title: string) {
  await page.goto(`/products/${productId}?q=${encodeURIComponent(title)}`);
  await backlogList(page).getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

test('item page: live WSJF score, the Definition of Ready refusal and a refused dependency cycle change nothing', async ({
  page,
  request,
}) => {
  const { productId } = await demoCopy(request);
  await logIn(page, demo.teamMembers[0], demo.password);

  await openItem(page, productId, 'Clinic sees the no-show rate per week');
  await expect(page.locator('.wsjf-score')).toContainText('3.33');
  await page.getByLabel('Job size').selectOption('5');
  await expect(page.locator('.wsjf-score')).toContainText('= 2');
  await page.getByLabel('Job size').selectOption('3');
  // A team member sees no override field; setting "Ready" with an unmet checklist is refused with the reason.
  await expect(page.getByLabel(/Ready anyway/)).toHaveCount(0);
  await page.getByLabel('Status').selectOption('ready');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#item-status-error')).toContainText(
    'This item is not ready: the Definition of Ready is not met',
  );
  await expect(page.getByLabel('Status')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.item-meta .badge')).toHaveText('New');

  // Compare SMS providers blocks SMS reminder, which blocks Confirm or cancel: the reverse link closes a cycle.
  await openItem(page, productId, 'Compare SMS providers for Portugal and Spain');
  await page.getByLabel('Find a blocking item').fill('Confirm or cancel from the reminder');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: 'Blocked by this: “Confirm or cancel from the reminder”' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'cycle' })).toHaveText(
    'This link would make a cycle: Compare SMS providers for Portugal and Spain → Confirm or cancel from the reminder → SMS reminder 24 hours before the appointment → Compare SMS providers for Portugal and Spain',
  );
  await expect(page.getByText('Nothing blocks this item.')).toBeVisible();
});

test("an item is blocked by an item of the owner's other product, found with “All my products”", async ({
  page,
  request,
}) => {
  const { productId } = await demoCopy(request);
  await logIn(page, demo.owner, demo.password);
  // A second product the owner runs, with the item the clinic's work waits for.
  const platform = `Payments platform ${unique()}`;
  await createProduct(page, platform);
  const blocker = 'Card payments API for partner clinics';
  // An empty backlog shows the New item form open, ready for its first item.
  await expect(page.getByRole('form', { name: 'New backlog item' })).toBeVisible();
  await page.getByLabel('Title').fill(blocker);
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByText(`Added ${blocker} at the bottom.`)).toBeVisible();

  await openItem(page, productId, 'Pay an invoice by card after the session');
  await page.getByLabel('Find a blocking item').fill('Card payments API');
  // By default the search stays in this product: nothing there.
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('No other item matches “Card payments API”.')).toBeVisible();
  await page.getByLabel('Search in').selectOption('all');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/in=all/);
  await expect(page.getByText(`in ${platform}`)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: `Blocked by this: “${blocker}” in ${platform}` }).click();
  const blockedBy = page.getByRole('list', { name: 'Blocked by' });
  await expect(blockedBy.getByRole('link', { name: blocker })).toBeVisible();
  await expect(blockedBy).toContainText('(another product)');
  // The link is in the item's decision log, and the item now waits for an unfinished item.
  await expect(page.getByText(new RegExp(`as blocked by ‘${blocker}’`))).toBeVisible();
  await expect(page.getByText(/blocked by an unfinished item/i).first()).toBeVisible();
});

test('axe: backlog, item, settings and decision pages for the owner and a stakeholder', {
  tag: '@demo',
}, async ({ browser }) => {
  test.setTimeout(180_000);
  const owner = await signedIn(browser, demo.owner);
  const a = owner.page;
  await expectNoSeriousA11yViolations(a);
  // With a row's move menu open and the new-item form shown.
  await backlogList(a).getByRole('button', { name: /^Move/ }).first().click();
  await a.getByText('New item').click();
  await expectNoSeriousA11yViolations(a);
  await a.goto(`/products/${owner.productId}?group=epic&type=story`);
  await expect(backlogList(a)).toBeVisible();
  await expectNoSeriousA11yViolations(a);

  await openItem(a, owner.productId, 'SMS reminder 24 hours before the appointment');
  await expectNoSeriousA11yViolations(a);
  await a.goto(`/products/${owner.productId}/settings`);
  await expect(a.getByRole('heading', { name: 'Definition of Ready' })).toBeVisible();
  await expectNoSeriousA11yViolations(a);
  await a.goto(`/products/${owner.productId}/decisions`);
  await expect(a.getByRole('list', { name: 'Decisions, newest first' })).toBeVisible();
  await expectNoSeriousA11yViolations(a);
  await owner.context.close();

  const watcher = await signedIn(browser, demo.stakeholders[0]);
  const b = watcher.page;
  await expectNoSeriousA11yViolations(b);
  await openItem(b, watcher.productId, 'SMS reminder 24 hours before the appointment');
  await expect(b.getByRole('heading', { level: 2, name: 'Story' })).toBeVisible();
  await expectNoSeriousA11yViolations(b);
  await watcher.context.close();
});
