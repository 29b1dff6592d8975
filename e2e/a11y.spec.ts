import { expect, test } from '@playwright/test';
import { productWith } from './api-fixtures';
import {
  demo,
  expectNoSeriousA11yViolations,
  logIn,
  openDemoProduct,
  openMoreTab,
  openProduct,
  tabTo,
  unique,
} from './fixtures';
import { jiraSite, jiraStandin } from './jira-fixtures';

// axe-core on every page of the foundation, in the states people see them (empty, filled, with errors), and a
// keyboard-only walk from the login form to a product.

test('signed-out pages: start, log in, sign up (also with errors shown)', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The same form with its field errors shown.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);
});

test('product owner pages: products, backlog, members, invites, API tokens', { tag: '@demo' }, async ({
  page,
}) => {
  // Six axe runs: on a busy two-core machine, beside other tests, they can take more than a minute.
  test.setTimeout(120_000);
  await logIn(page, demo.owner, demo.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const productId = await openDemoProduct(page);
  await expect(page.getByRole('list', { name: 'Backlog in priority order' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/products/${productId}/members`);
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/products/${productId}/invites`);
  await expect(page.getByRole('heading', { name: 'Invite people' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // With a new link shown and listed.
  await page.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByLabel('Invite link for a team member')).toHaveValue(/\/invites\//);
  await expectNoSeriousA11yViolations(page);

  await page.goto('/settings/tokens');
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // With a new token shown and listed.
  const name = `a11y ${unique()}`;
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByLabel(`Token “${name}”`)).toHaveValue(/^rfy_/);
  await expectNoSeriousA11yViolations(page);
});

test('the Jira page: not connected (with a refused token), connected, and after an import', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { account, project } = await jiraSite([{ summary: 'A story from Jira', points: 3 }]);
  const { productId, token } = await productWith(request, []);
  await logIn(page, demo.owner, demo.password);
  const product = await (
    await request.get(`/api/v1/products/${productId}`, { headers: { authorization: `Bearer ${token}` } })
  ).json();
  await openProduct(page, productId, product.name);
  await openMoreTab(page, 'Jira');
  await expect(page.getByText('Not connected yet: connect a Jira site to import issues.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The connect form with a refusal at the token field.
  const form = page.getByRole('form', { name: 'Jira credentials' });
  await form.getByLabel('Site address').fill(jiraStandin.url);
  await form.getByLabel('Account email').fill(account.email);
  await form.getByLabel('API token').fill('not-the-token');
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(form.getByLabel('API token')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);

  // Connected: the connection, the sync status, the import form and the field map.
  await form.getByLabel('API token').fill(account.apiToken);
  await form.getByRole('button', { name: 'Connect', exact: true }).press('Enter');
  // The form the keyboard was in is gone: the focus is on what happened, not dropped to the top of the page.
  await expect(page.getByText(`Connected as ${account.displayName}.`)).toBeFocused();
  await expectNoSeriousA11yViolations(page);

  // After an import: the recent jobs with their progress.
  const importForm = page.getByRole('form', { name: 'Import issues' });
  await importForm.getByLabel('By board').check();
  await importForm.getByLabel('Board number').fill(String(project.boardId));
  await importForm.getByRole('button', { name: 'Import' }).click();
  const status = page.getByRole('region', { name: 'Sync status' });
  await expect(status.getByRole('listitem').filter({ hasText: 'Import' }).first()).toContainText('Done', {
    timeout: 30_000,
  });
  await expectNoSeriousA11yViolations(page);
});

test('the 403 page a stakeholder gets for an owner-only page', { tag: '@demo' }, async ({ page }) => {
  await logIn(page, demo.stakeholders[0], demo.password);
  const productId = await openDemoProduct(page);
  const response = await page.goto(`/products/${productId}/invites`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this' })).toBeVisible();
  await expect(page).toHaveTitle('You do not have access to this · Refinery');
  await expectNoSeriousA11yViolations(page);
});

test('keyboard only: log in and open a product', { tag: '@demo' }, async ({ page }) => {
  await page.goto('/login');
  await page.waitForLoadState('networkidle');

  // The first Tab stop is the skip link, and it moves the focus past the header.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();

  const email = page.getByLabel('Email', { exact: true });
  await tabTo(page, email);
  await page.keyboard.type(demo.owner);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(demo.password);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL('/products');
  await expect(page.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();

  const productLink = page.getByRole('link', { name: demo.productName });
  await tabTo(page, productLink);
  await expect(productLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: demo.productName })).toBeVisible();

  // The product's tabs are reachable too, the ones under "More" once it is opened.
  const more = page.getByRole('navigation', { name: 'Product' }).locator('summary');
  await tabTo(page, more);
  await page.keyboard.press('Enter');
  const membersTab = page.getByRole('link', { name: /^Members \(\d+\)$/ });
  await tabTo(page, membersTab);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/members$/);
  await expect(page.getByRole('table')).toBeVisible();
});
