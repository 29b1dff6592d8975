import { expect, type Page, test } from '@playwright/test';
import { createProduct, demo, logIn, unique } from './fixtures';

// A backlog larger than the page's first screen (200 rows): the list fetches the rest after the page, the whole
// order can be scrolled and an item far down moved by keyboard and by its Move menu, and a second view follows live.

const count = 450;
const backlogList = (page: Page) => page.getByRole('list', { name: 'Backlog in priority order' });
const titles = async (page: Page, n = 5) =>
  (await backlogList(page).locator('.row-title').allInnerTexts()).slice(0, n);
/** Scrolls the list to the bottom, or to the row at a 0-based index (rows are 44 px high). */
const scrollList = (page: Page, to: 'bottom' | number) =>
  page.locator('.backlog-scroll').evaluate((el, where) => {
    el.scrollTop = where === 'bottom' ? el.scrollHeight : where * 44;
  }, to);

test('a backlog of 450 items: the rows after the first screen arrive, and an item far down can be moved', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await logIn(page, demo.owner, demo.password);
  const productId = await createProduct(page, `Large backlog ${unique()}`);
  const csv = [
    'Summary,Issue Type,Story Points',
    ...Array.from({ length: count }, (_, i) => `Large item ${i + 1},Story,${(i % 5) + 1}`),
  ].join('\n');
  await page.goto(`/products/${productId}/import`);
  await page.getByLabel('Or paste CSV text').fill(csv);
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('button', { name: `Import ${count} items` }).click();
  await page.waitForURL(
    (url) => url.pathname === `/products/${productId}` && url.searchParams.get('imported') === String(count),
  );

  // A second view of the same backlog, to see the moves arrive live.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await logIn(watcher, demo.owner, demo.password);
  await watcher.goto(`/products/${productId}`);
  await expect(watcher.locator('.live-status')).toHaveText(/: Live$/);

  await page.goto(`/products/${productId}`);
  await expect(page.locator('#backlog-title + p')).toHaveText(
    `${count} items · ${(count / 5) * 15} points estimated`,
  );
  await expect(page.locator('.live-status')).toHaveText(/: Live$/);
  expect(await titles(page, 3)).toEqual(['Large item 1', 'Large item 2', 'Large item 3']);

  // The bottom of the order is reachable: it came after the page, from the rows endpoint.
  const last = backlogList(page).getByRole('link', { name: `Large item ${count}`, exact: true });
  await expect
    .poll(async () => {
      await scrollList(page, 'bottom');
      return last.isVisible();
    })
    .toBe(true);
  await expect(page.locator(`li[data-row-id]:has-text("Large item ${count}") .rank`)).toHaveText(
    `Position ${count}`,
  );
  await expect(page.locator(`li[data-row-id]:has-text("Large item ${count}")`)).toHaveAttribute(
    'aria-setsize',
    String(count),
  );

  // Keyboard: the last item to the top.
  await last.focus();
  await page.keyboard.press('Alt+Home');
  await expect(page.locator('.move-status')).toHaveText(`Moved “Large item ${count}” to position 1.`);
  await expect(last).toBeFocused();
  await expect.poll(() => titles(page, 3)).toEqual([`Large item ${count}`, 'Large item 1', 'Large item 2']);
  await expect
    .poll(() => titles(watcher, 3), { timeout: 10_000 })
    .toEqual([`Large item ${count}`, 'Large item 1', 'Large item 2']);

  // The Move menu of an item below the first screen: to the top as well.
  const far = backlogList(page).getByRole('link', { name: 'Large item 420', exact: true });
  await expect
    .poll(async () => {
      await scrollList(page, 418);
      return far.isVisible();
    })
    .toBe(true);
  await page.getByRole('button', { name: 'Move “Large item 420”' }).click();
  await page.getByRole('button', { name: 'To top' }).click();
  await expect(page.locator('.move-status')).toHaveText('Moved “Large item 420” to position 1.');
  await expect.poll(() => titles(page, 3)).toEqual(['Large item 420', `Large item ${count}`, 'Large item 1']);
  await expect
    .poll(() => titles(watcher, 3), { timeout: 10_000 })
    .toEqual(['Large item 420', `Large item ${count}`, 'Large item 1']);

  // Alt+End sends it back to the very bottom of the whole order, not of the first screen.
  await backlogList(page).getByRole('link', { name: 'Large item 420', exact: true }).focus();
  await page.keyboard.press('Alt+End');
  await expect(page.locator('.move-status')).toHaveText(`Moved “Large item 420” to position ${count}.`);

  // What the server kept, after a reload.
  await page.reload();
  expect(await titles(page, 2)).toEqual([`Large item ${count}`, 'Large item 1']);
  await expect
    .poll(async () => {
      await scrollList(page, 'bottom');
      return (await backlogList(page).locator('.row-title').allInnerTexts()).at(-1);
    })
    .toBe('Large item 420');
  await watcherContext.close();
});
