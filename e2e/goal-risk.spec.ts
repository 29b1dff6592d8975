import { expect, test } from '@playwright/test';
import { api, ownerToken, tokenOf } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, signedIn, unique } from './fixtures';

// The sprint goal at risk, said early (issue 18): a sprint four days in with nothing done is flagged on the sprint
// page and on the dashboard, for the product owner and a stakeholder in their own browsers; the product owner
// records a response and the stakeholder reads it. The product and its sprint are the spec's own (API).

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const shortDay = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

test('the product owner and a stakeholder see the goal at risk; the response reaches the stakeholder', async ({
  browser,
  request,
}) => {
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Goal risk ${unique()}` });
  const productId: string = product.id;
  const invite = await api(request, token, 'POST', `/products/${productId}/invites`, { role: 'stakeholder' });
  await api(request, await tokenOf(request, demo.stakeholders[0]), 'POST', `/invites/${invite.token}/accept`);
  const lastDay = day(5);
  const sprint = await api(request, token, 'POST', `/products/${productId}/sprints`, {
    name: 'Sprint 1',
    startDate: day(-4),
    endDate: lastDay,
    goal: 'Patients pay online',
  });
  for (const [title, estimate] of [
    ['Pay by card', 8],
    ['Address form', 13],
    ['Order summary', 13],
  ] as const) {
    const item = await api(request, token, 'POST', `/products/${productId}/items`, { title, estimate });
    await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId: item.id, reason: 'e2e' });
  }
  await api(request, token, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });

  const said = `At risk: about 34 of 34 points will not be done by ${shortDay(lastDay)} at the current pace`;
  const owner = await signedIn(browser, demo.owner);
  const stakeholder = await signedIn(browser, demo.stakeholders[0]);
  try {
    // The product owner: the banner on the sprint page, with the response form.
    await owner.page.goto(`/products/${productId}/sprints/${sprint.id}`);
    const banner = owner.page.getByRole('region', { name: 'Goal projection', exact: true });
    await expect(banner.getByRole('status')).toContainText(said);
    await expect(banner).toContainText('No response from the product owner yet.');
    await expectNoSeriousA11yViolations(owner.page);

    // The stakeholder: the same on the dashboard, and no response form on the sprint page.
    await stakeholder.page.goto(`/products/${productId}/dashboard`);
    const board = stakeholder.page.getByRole('region', { name: 'Goal projection', exact: true });
    await expect(board.getByRole('status')).toContainText(said);
    await stakeholder.page.goto(`/products/${productId}/sprints/${sprint.id}`);
    await expect(
      stakeholder.page.getByRole('region', { name: 'Goal projection', exact: true }).getByRole('status'),
    ).toContainText(said);
    await expect(stakeholder.page.getByRole('button', { name: 'Record the response' })).toHaveCount(0);

    // The product owner cuts scope, with a note.
    const note = `Order summary moves to the next sprint ${unique().slice(-4)}`;
    const form = banner.getByRole('form', { name: 'Respond to the risk' });
    await form.getByRole('radio', { name: 'Cut scope' }).check();
    await form.getByLabel('Note for the team and the stakeholders').fill(note);
    await form.getByRole('button', { name: 'Record the response' }).click();
    await expect(banner).toContainText(`The product owner’s response: Cut scope — ${note}`);
    const history = owner.page.getByRole('list', { name: 'Goal risk history' });
    await expect(history.getByRole('listitem')).toHaveCount(2);
    await expect(history.getByRole('listitem').last()).toContainText(note);

    // The stakeholder reads it on the dashboard.
    await stakeholder.page.goto(`/products/${productId}/dashboard`);
    await expect(
      stakeholder.page.getByRole('region', { name: 'Goal projection', exact: true }),
    ).toContainText(`The product owner’s response: Cut scope — ${note}`);
    const seen = stakeholder.page.getByRole('list', { name: 'Goal risk history' });
    await expect(seen.getByRole('listitem').first()).toContainText('Flagged at risk');
    await expect(seen.getByRole('listitem').last()).toContainText(note);
    await expectNoSeriousA11yViolations(stakeholder.page);
  } finally {
    await owner.context.close();
    await stakeholder.context.close();
  }
});
