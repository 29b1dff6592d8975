import { expect, test } from '@playwright/test';
import { api, ownerToken } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, logIn, unique } from './fixtures';

// Technical debt with a fixed share (issue 18): the product owner sets 20 % in Settings, sees the debt planned in a
// sprint against it (with the debt item's impact, to argue for it), and the impact on the item page. The product
// and its sprint are the spec's own, made through the API.

test('the product owner sets a technical-debt share and plans against it', async ({ page, request }) => {
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Debt share ${unique()}` });
  const productId: string = product.id;
  const impact = 'Adds 2 days to every feature in checkout';
  const items = [
    { title: 'Untangle the checkout module', type: 'tech_debt', estimate: 5, debtImpact: impact },
    { title: 'Pay by invoice', type: 'story', estimate: 20 },
    { title: 'Save a basket for later', type: 'story', estimate: 15 },
  ];
  const sprint = await api(request, token, 'POST', `/products/${productId}/sprints`, {
    name: 'Sprint 1',
    startDate: '2026-11-02',
    endDate: '2026-11-13',
    goal: 'Customers pay the way they want',
  });
  const ids: string[] = [];
  for (const item of items) {
    const created = await api(request, token, 'POST', `/products/${productId}/items`, item);
    ids.push(created.id);
    await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId: created.id });
  }

  await logIn(page, demo.owner, demo.password);
  await page.goto(`/products/${productId}/settings`);
  const form = page.getByRole('form', { name: 'Technical debt share' });
  await form.getByLabel('Share of each sprint (%)').fill('150');
  await form.getByRole('button', { name: 'Save the share' }).click();
  await expect(form.getByText('The share cannot be above 100 %')).toBeVisible();
  await form.getByLabel('Share of each sprint (%)').fill('20');
  await form.getByRole('button', { name: 'Save the share' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Technical debt share set to 20 %.' }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/products/${productId}/sprints/${sprint.id}`);
  const line = page.getByTestId('debt-share-line');
  await expect(line).toContainText('Technical debt: 5 of 40 points planned (13 %), share 20 % → 8 points');
  await expect(line).toContainText('Under the share');
  const impacts = page.getByRole('list', { name: 'What the debt in this sprint costs' });
  await expect(impacts).toContainText(`Untangle the checkout module (5 points): ${impact}`);

  await impacts.getByRole('link', { name: 'Untangle the checkout module' }).click();
  await page.waitForURL(new RegExp(`/items/${ids[0]}`));
  await expect(page.getByLabel('Debt impact')).toHaveValue(impact);
});
