import { type Browser, expect, type Page, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn, unique } from './fixtures';

// Issue 13, item 3: scores are saved as they are picked. The product owner runs a WSJF / business value / Kano
// session; a stakeholder (with the mouse) and a guest (with the keyboard only) pick scores and never press a Save
// button; each item says "Saved"; the close step warns how many have not scored every item; at the reveal every
// picked score counts.

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  return page;
}

const scores = (page: Page, title: string) => page.getByRole('form', { name: `Scores for “${title}”` });

test('scores picked without any Save are stored, shown as saved, and counted at the reveal', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const { productId } = await demoCopy(request);
  const po = await signedIn(browser, demo.owner);
  const sam = await signedIn(browser, demo.stakeholders[1]);

  await po.goto(`/products/${productId}/sessions`);
  const create = po.getByRole('form', { name: 'New prioritisation session' });
  await create.getByLabel('Title').fill(`Autosave ${unique()}`);
  await create.getByLabel('Dot voting').setChecked(false);
  await create.getByLabel('WSJF scoring').setChecked(true);
  await create.getByLabel('Business value').setChecked(true);
  await create.getByLabel('Kano questionnaire').setChecked(true);
  await create.getByRole('button', { name: 'Create prioritisation session' }).click();
  await po.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const room = po.url();
  await po.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(po.getByRole('heading', { name: 'Voting' })).toBeVisible();
  const link = await po.getByLabel('Guest link').inputValue();
  const titles = await po.locator('.prio-item h4').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(2);
  const [a, b] = titles;

  // The guest joins in a fresh browser, without an account.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await guest.getByLabel('Your name').fill('Gus (guest)');
  await guest.getByRole('button', { name: 'Join the session' }).click();
  await guest.waitForURL(/\/guest\/[0-9a-f-]{36}\/room$/);
  await sam.goto(room);
  await sam.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(po.getByText('0 of 3', { exact: true })).toBeVisible();

  await po.getByRole('button', { name: 'Open voting', exact: true }).click();
  for (const p of [sam, guest]) await expect(p.getByText('Voting is open')).toBeVisible();
  // There is no Save button to forget.
  await expect(sam.getByRole('button', { name: /^Save scores/ })).toHaveCount(0);
  await expect(scores(sam, a).getByRole('status')).toHaveText('No score yet');

  // The stakeholder picks with the mouse: a score on every item, partial parts on the first.
  for (const title of titles) {
    const form = scores(sam, title);
    await form.getByLabel('Business value (1 to 10)').selectOption(title === a ? '7' : '2');
    await expect(form.getByRole('status')).toHaveText(/^Saved/);
  }
  const samA = scores(sam, a);
  await samA.getByLabel('User-business value').selectOption('8');
  await samA.getByLabel('If the product has it, how do you feel?').selectOption({ label: 'I like it' });
  await expect(samA.getByRole('status')).toHaveText(/^Saved/);

  // The guest uses the keyboard only: Tab to a select, arrow keys to pick; one item, not the others.
  const guestA = scores(guest, a);
  await guestA.getByLabel('Business value (1 to 10)').focus();
  for (let i = 0; i < 3; i++) await guest.keyboard.press('ArrowDown');
  await expect(guestA.getByLabel('Business value (1 to 10)')).toHaveValue('3');
  await guest.keyboard.press('Tab'); // leaving the select sends at once
  await expect(guestA.getByRole('status')).toHaveText(/^Saved/);
  await expectNoSeriousA11yViolations(guest);

  // The facilitator sees who has scored live, and the close step says who is missing items (the PO and the guest).
  await expect(po.getByText('2 of 3', { exact: true })).toBeVisible();
  await po.getByRole('button', { name: 'Close voting', exact: true }).click();
  const confirm = po.getByRole('button', { name: 'Close voting now' });
  await expect(confirm).toBeFocused();
  await expect(
    po.getByText('2 of 3 participants have not submitted every item yet.', { exact: false }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(po);
  // Keyboard: back out, then close.
  await po.keyboard.press('Tab');
  await expect(po.getByRole('button', { name: 'Keep voting open' })).toBeFocused();
  await po.keyboard.press('Enter');
  await expect(po.getByRole('button', { name: 'Close voting', exact: true })).toBeFocused();
  await po.keyboard.press('Enter');
  await po.getByRole('button', { name: 'Close voting now' }).press('Enter');
  await expect(guest.getByText('Voting is closed')).toBeVisible();

  await po.getByRole('button', { name: 'Reveal results', exact: true }).click();
  const results = po.locator('.results-panel');
  await expect(results.getByRole('heading', { name: 'Results' })).toBeVisible();
  // Business value on the first item: the stakeholder's 7 and the guest's 3, both counted.
  const rowA = results.locator('tbody tr').filter({ has: po.getByRole('rowheader', { name: a }) });
  await expect(rowA).toContainText('mean 5');
  await expect(rowA).toContainText('spread 3–7');
  const rowB = results.locator('tbody tr').filter({ has: po.getByRole('rowheader', { name: b }) });
  await expect(rowB).toContainText('mean 2');
  await expect(guest.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expectNoSeriousA11yViolations(guest);
  await guestContext.close();
});
