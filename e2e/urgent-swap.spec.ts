import { expect, type Page, test } from '@playwright/test';
import { api, ownerToken, tokenOf } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, type Person, signedIn, unique } from './fixtures';

// An urgent request during a sprint (issue 17 part 3): a stakeholder sends an urgent request in their browser; the
// product owner, in another, opens its impact from the inbox, gives the estimate, reads what leaves the sprint,
// writes the trade-off and swaps. The sprint page shows the urgent item and not the displaced one; the stakeholder
// who asked for the displaced item reads why in their notifications, in a third browser.

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const card = (page: Page, title: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test('an urgent request enters the running sprint with its impact and trade-off; the displaced item’s stakeholder is told', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Urgent ${unique()}` });
  const productId: string = product.id;
  for (const email of demo.stakeholders.slice(0, 2)) {
    const invite = await api(request, token, 'POST', `/products/${productId}/invites`, {
      role: 'stakeholder',
    });
    await api(request, await tokenOf(request, email), 'POST', `/invites/${invite.token}/accept`);
  }
  // A running sprint with "Card payments" (5) and "Receipt by email" (3), which the second stakeholder asked for.
  const sprint = await api(request, token, 'POST', `/products/${productId}/sprints`, {
    name: 'Sprint 1',
    startDate: day(-1),
    endDate: day(8),
    goal: 'Patients pay online',
  });
  const card1 = await api(request, token, 'POST', `/products/${productId}/items`, {
    title: 'Card payments',
    estimate: 5,
  });
  const asked = await api(
    request,
    await tokenOf(request, demo.stakeholders[1]),
    'POST',
    `/products/${productId}/requests`,
    { title: 'Receipt by email', problem: 'Patients lose paper receipts' },
  );
  const accepted = await api(request, token, 'POST', `/products/${productId}/requests/${asked.id}/triage`, {
    action: 'accept',
    position: 'bottom',
  });
  await api(request, token, 'PATCH', `/items/${accepted.itemId}`, { estimate: 3 });
  for (const itemId of [card1.id, accepted.itemId])
    await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId, reason: 'e2e' });
  await api(request, token, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });
  const requestsPage = `/products/${productId}/requests`;
  const urgentTitle = `Payments fail on Safari ${unique().slice(-4)}`;

  const people: Person[] = [];
  try {
    // 1. The stakeholder sends an urgent request.
    const stakeholder = await signedIn(browser, demo.stakeholders[0]);
    people.push(stakeholder);
    await stakeholder.page.goto(requestsPage);
    const send = stakeholder.page.getByRole('form', { name: 'Send a request' });
    await stakeholder.page.getByText('Send a request', { exact: true }).click();
    await send.getByLabel('Title').fill(urgentTitle);
    await send.getByLabel('The problem').fill('Nobody on an iPhone can pay');
    await send.getByLabel('Urgent').check();
    await send.getByRole('button', { name: 'Send the request' }).click();
    await expect(
      stakeholder.page.getByRole('status').filter({ hasText: `Sent: “${urgentTitle}”` }),
    ).toBeVisible();

    // only the product owner brings a request into the sprint
    await expect(stakeholder.page.getByRole('link', { name: 'Bring into the sprint…' })).toHaveCount(0);

    // 2. The product owner opens its impact from the inbox; it needs an estimate first.
    const owner = await signedIn(browser, demo.owner);
    people.push(owner);
    await owner.page.goto(requestsPage);
    await card(owner.page, urgentTitle).getByRole('link', { name: 'Bring into the sprint…' }).click();
    await expect(owner.page.getByRole('alert')).toContainText('Estimate the request first');
    await owner.page.getByLabel('Estimate (story points)').fill('3');
    await owner.page.getByRole('button', { name: 'Assess the impact' }).click();
    await expect(
      owner.page.getByRole('heading', { name: `Bring “${urgentTitle}” into Sprint 1` }),
    ).toBeVisible();
    const leaving = owner.page.getByRole('table', { name: 'What leaves the sprint' });
    await expect(leaving).toContainText('Receipt by email');
    await expect(leaving).not.toContainText('Card payments');
    await expect(owner.page.getByText('8 → 8 points, against the current load of 8')).toBeVisible();
    await expect(owner.page.getByText('Sprint goal after the swap')).toBeVisible();
    await expectNoSeriousA11yViolations(owner.page);

    // 3. The trade-off is required; then the swap.
    const swap = owner.page.getByRole('form', { name: 'Swap into the sprint' });
    await swap.getByLabel('Trade-off').fill('   ');
    await swap.getByRole('button', { name: 'Swap into the sprint' }).click();
    await expect(swap.getByText(/^Write the trade-off/)).toBeVisible();
    await swap.getByLabel('Trade-off').fill('Nobody on Safari can pay; the receipt email waits a sprint');
    await swap.getByRole('button', { name: 'Swap into the sprint' }).click();
    const done = owner.page.getByRole('status').filter({ hasText: 'Swapped:' });
    await expect(done).toContainText(
      `“${urgentTitle}” is in Sprint 1; 1 item (3 points) went back to the top`,
    );
    await done.getByRole('link', { name: 'Open Sprint 1' }).click();
    const inSprint = owner.page.getByRole('table', { name: /In this sprint/ });
    await expect(inSprint).toContainText(urgentTitle);
    await expect(inSprint).toContainText('Card payments');
    await expect(inSprint).not.toContainText('Receipt by email');

    // Once in, the inbox no longer offers it.
    await owner.page.goto(requestsPage);
    await expect(card(owner.page, urgentTitle)).toContainText('Accepted');
    await expect(
      card(owner.page, urgentTitle).getByRole('link', { name: 'Bring into the sprint…' }),
    ).toHaveCount(0);

    // The decision log says it, with the trade-off.
    await owner.page.goto(`/products/${productId}/decisions`);
    await expect(
      owner.page.getByText(
        new RegExp(`brought the urgent request ‘${urgentTitle}’ \\(3 points\\) into ‘Sprint 1’`),
      ),
    ).toBeVisible();

    // 4. The stakeholder who asked for the receipt email reads why it left.
    const asker = await signedIn(browser, demo.stakeholders[1]);
    people.push(asker);
    await asker.page.goto('/notifications');
    await expect(asker.page.getByRole('list', { name: 'Your notifications, newest first' })).toContainText(
      `“Receipt by email” left Sprint 1 to make room for the urgent request “${urgentTitle}”`,
    );
  } finally {
    for (const p of people) await p.context.close();
  }
});
