import { expect, test } from '@playwright/test';
import { api } from './api-fixtures';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn } from './fixtures';

// Issue 18: how much the order moved each week, with the reasons from the decision log, shown to a stakeholder.

test('a stakeholder sees this week’s reshuffle on the metrics page, with the reasons for each move', async ({
  page,
  request,
}) => {
  const { productId, token } = await demoCopy(request, { backlog: false });
  const ids: string[] = [];
  for (let n = 1; n <= 12; n++)
    ids.push((await api(request, token, 'POST', `/products/${productId}/items`, { title: `Story ${n}` })).id);
  // Story 12 goes from place 12 to the top: eleven places, a radical reshuffle; Story 3 goes down without a reason.
  await api(request, token, 'POST', `/items/${ids[11]}/move`, {
    position: 'top',
    reason: 'The insurer moved its deadline up',
  });
  await api(request, token, 'POST', `/items/${ids[2]}/move`, { position: 'bottom' });

  await logIn(page, demo.stakeholders[0], demo.password);
  await page.goto(`/products/${productId}/metrics`);
  const section = page.getByRole('region', { name: 'Backlog stability' });
  await expect(section).toBeVisible();
  const table = section.getByRole('table', { name: /Backlog order changes per week/ });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(1);
  const week = rows.first();
  await expect(week.getByRole('rowheader')).toContainText(/Week of \d{1,2} \w{3} \d{4}/);
  await expect(week.getByText('Reshuffle', { exact: true })).toBeVisible();
  await expect(week.getByRole('cell').nth(0)).toHaveText('2');
  await expect(week.getByRole('cell').nth(1)).toHaveText('11 places');

  await week.getByText('2 moves, 19 places in all').click();
  const moves = week.getByRole('listitem');
  await expect(moves.nth(0)).toContainText('Story 12');
  await expect(moves.nth(0)).toContainText('12 → 1');
  await expect(moves.nth(0)).toContainText('The insurer moved its deadline up');
  await expect(moves.nth(1)).toContainText('Story 3');
  await expect(moves.nth(1)).toContainText('no reason given');
  await expect(moves.nth(0).getByRole('link', { name: 'Story 12' })).toHaveAttribute(
    'href',
    `/products/${productId}/items/${ids[11]}`,
  );
  await expectNoSeriousA11yViolations(page);
});
