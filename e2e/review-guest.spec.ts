import { expect, type Page, test } from '@playwright/test';
import { reviewUnderWay } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, logIn } from './fixtures';

// Issue 13, item 4: a guest follows the sprint review. The product owner shares the review room's guest link
// (absolute, with a copy button); a guest in a fresh browser sees each done item's description and every checklist
// line, and a tick the product owner makes appears in the guest's room without a reload. Text is shown as text.

const criteria = `Feature: Booking
  Scenario: Book a free slot
    Given a free slot
    When I book it
    Then it is mine

  Scenario: A taken slot
    Given a slot someone else booked
    When I book it
    Then I am told it is taken`;

const badgeOf = (page: Page, title: string, line: string) =>
  page
    .getByRole('list', { name: `Acceptance criteria and Definition of Done: ${title}` })
    .getByRole('listitem')
    .filter({ hasText: line })
    .locator('.badge')
    .first();

test('a guest sees the review’s descriptions, lines and ticks live; the room shares an absolute guest link', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const { productId, sessionId, title } = await reviewUnderWay(request, {
    description: 'As a patient I want to book <b>online</b> so that I do not phone',
    criteria,
  });

  const poContext = await browser.newContext();
  const po = await poContext.newPage();
  await logIn(po, demo.owner, demo.password);
  await po.goto(`/products/${productId}/sessions/${sessionId}`);
  await po.getByRole('button', { name: 'Join', exact: true }).click();
  // The guest link in the room: an absolute URL, with a copy button reached by keyboard.
  const linkField = po.getByLabel('Guest link', { exact: true });
  const link = await linkField.inputValue();
  expect(link).toMatch(/^https?:\/\/[^/]+\/join\/[\w-]+$/);
  await linkField.focus();
  await po.keyboard.press('Tab');
  await expect(po.getByRole('button', { name: 'Copy', exact: true })).toBeFocused();
  await po.keyboard.press('Enter');
  await expect(po.getByText('Copied to the clipboard.')).toBeVisible();
  await expectNoSeriousA11yViolations(po);

  // The guest, in a fresh browser without an account.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await guest.getByLabel('Your name').fill('Ana (clinic)');
  await guest.getByRole('button', { name: 'Join the session' }).click();
  await guest.waitForURL(/\/guest\/[0-9a-f-]{36}\/room$/);
  const item = guest.getByRole('region', { name: new RegExp(`^${title} · `) });
  // The description as text: the markup in it is shown, never rendered.
  await expect(
    item.getByText('As a patient I want to book <b>online</b> so that I do not phone'),
  ).toBeVisible();
  await expect(guest.locator('main b')).toHaveCount(0);
  await expect(badgeOf(guest, title, 'Book a free slot')).toHaveText('Not checked');
  await expect(badgeOf(guest, title, 'A taken slot')).toHaveText('Not checked');
  // Read-only for the guest: no tick buttons.
  await expect(item.getByRole('button', { name: /^(Met|Not met): / })).toHaveCount(0);
  await expectNoSeriousA11yViolations(guest);

  // The PO ticks by keyboard; the guest's room follows without a reload.
  await guest.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  const poItem = po.getByRole('region', { name: new RegExp(`^${title} · `) });
  const met = poItem.getByRole('button', { name: /^Met: .*Book a free slot/ });
  await met.focus();
  await po.keyboard.press('Enter');
  await expect(met).toHaveAttribute('aria-pressed', 'true');
  await expect(badgeOf(guest, title, 'Book a free slot')).toHaveText('Met');
  await poItem.getByRole('button', { name: /^Not met: .*A taken slot/ }).click();
  await expect(badgeOf(guest, title, 'A taken slot')).toHaveText('Not met');
  expect(await guest.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expectNoSeriousA11yViolations(guest);
  await guestContext.close();
  await poContext.close();
});
