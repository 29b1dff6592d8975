import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { demo, expectNoSeriousA11yViolations, logIn, unique } from './fixtures';

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

async function api(request: APIRequestContext, token: string, method: string, path: string, data?: unknown) {
  const response = await request.fetch(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    data,
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return response.status() === 204 ? null : response.json();
}

/** A fresh product with one done story under review, made through the API (its own data, nothing shared). */
async function reviewUnderWay(request: APIRequestContext) {
  const login = await request.post('/api/v1/tokens', {
    data: { email: demo.owner, password: demo.password },
  });
  expect(login.status()).toBe(201);
  const { token } = await login.json();
  const product = await api(request, token, 'POST', '/products', { name: `Review ${unique()}` });
  const title = `Book a slot ${unique().slice(-4)}`;
  const item = await api(request, token, 'POST', `/products/${product.id}/items`, {
    title,
    estimate: 3,
    description: 'As a patient I want to book <b>online</b> so that I do not phone',
    criteria,
  });
  const sprint = await api(request, token, 'POST', `/products/${product.id}/sprints`, {
    name: 'Sprint 1',
    startDate: '2026-11-02',
    endDate: '2026-11-13',
    goal: 'Patients book online',
  });
  await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId: item.id });
  await api(request, token, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });
  await api(request, token, 'POST', `/sprints/${sprint.id}/items/${item.id}/done`, { done: true });
  const review = await api(request, token, 'POST', `/sprints/${sprint.id}/review`, {});
  return { productId: product.id as string, sessionId: review.sessionId as string, title };
}

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
  const { productId, sessionId, title } = await reviewUnderWay(request);

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
