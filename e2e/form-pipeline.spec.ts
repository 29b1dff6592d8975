import { expect, type Page, test } from '@playwright/test';
import { createProduct, signUp, unique } from './fixtures';

// The one form pipeline (decision 0035) on forms no other spec submits with mistakes: each refusal is shown beside
// its field (aria-invalid, described by the message), with and without JavaScript, and the typed values stay.

async function planSprint(page: Page, fields: { name: string; start: string; end: string }) {
  await page.getByLabel('Name', { exact: true }).fill(fields.name);
  await page.getByLabel('First day').fill(fields.start);
  await page.getByLabel('Last day').fill(fields.end);
  await page.getByRole('button', { name: 'Plan sprint' }).click();
}

test('planning a sprint: a missing name and dates out of order are explained beside their fields', async ({
  page,
}) => {
  // A sign-up, a product and three posts: on a busy two-core machine more than the default 30 s.
  test.setTimeout(90_000);
  await signUp(page);
  const productId = await createProduct(page, `Forms ${unique()}`);
  await page.goto(`/products/${productId}/sprints`);

  await planSprint(page, { name: '', start: '2026-03-02', end: '2026-03-13' });
  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Give the sprint a name');

  await planSprint(page, { name: 'Sprint One', start: '2026-03-13', end: '2026-03-02' });
  const end = page.getByLabel('Last day');
  await expect(end).toHaveAccessibleDescription('The sprint ends on or after its first day');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');

  await planSprint(page, { name: 'Sprint One', start: '2026-03-02', end: '2026-03-13' });
  await page.waitForURL(/\/sprints\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Sprint One' })).toBeVisible();
});

test('without JavaScript, a refused form comes back with its errors beside the fields and its values kept', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByLabel('Name', { exact: true }).fill('No Script');
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/signup/);
    const email = page.getByLabel('Email', { exact: true });
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription('Email must be a valid address');
    await expect(email).toHaveValue('not-an-email');
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('No Script');
    // A password is never sent back to the page.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
      /Password must be at least 10 characters/,
    );
  } finally {
    await context.close();
  }
});
