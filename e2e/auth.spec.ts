import { expect, test } from '@playwright/test';
import { demo, goodPassword, logIn, newUser, signUp, submitSignUp } from './fixtures';

test.describe('sign up', () => {
  test('a weak password and a missing name are explained next to their fields', async ({ page }) => {
    await page.goto('/signup');
    await submitSignUp(page, { name: '', email: `weak-${Date.now()}@example.test`, password: 'short' });

    await expect(page).toHaveURL(/\/signup/);
    const password = page.getByLabel('Password', { exact: true });
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/Password must be at least 10 characters/);
    const name = page.getByLabel('Name', { exact: true });
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/Name is required/);
    await expect(page.getByLabel('Email', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    // Still signed out.
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);

    // A long but repetitive password is refused too, with its own reason.
    await submitSignUp(page, {
      name: 'Repeat Person',
      email: `repeat-${Date.now()}@example.test`,
      password: 'aaaaaaaaaaaa',
    });
    await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/too repetitive/);
  });

  test('an email that already has an account is refused at the email field', async ({ page, browser }) => {
    const first = await signUp(page, newUser('taken'));

    const other = await browser.newContext();
    try {
      const second = await other.newPage();
      await second.goto('/signup');
      // Same address in another case: emails are compared case-insensitively.
      await submitSignUp(second, {
        name: 'Someone Else',
        email: first.email.toUpperCase(),
        password: goodPassword,
      });
      await expect(second).toHaveURL(/\/signup/);
      const email = second.getByLabel('Email', { exact: true });
      await expect(email).toHaveAttribute('aria-invalid', 'true');
      await expect(email).toHaveAccessibleDescription(/An account with this email already exists/);
      await expect(second.getByRole('button', { name: 'Log out' })).toHaveCount(0);
    } finally {
      await other.close();
    }
  });
});

test.describe('log in and out', () => {
  test('a wrong password shows a clear error and does not sign in', async ({ page, browser }) => {
    const user = await signUp(page, newUser('wrongpw'));
    const other = await browser.newContext();
    try {
      const fresh = await other.newPage();
      await fresh.goto('/login');
      await fresh.getByLabel('Email', { exact: true }).fill(user.email);
      await fresh.getByLabel('Password', { exact: true }).fill('not-the-right-password');
      await fresh.getByRole('button', { name: 'Log in' }).click();
      await expect(fresh.getByRole('alert')).toHaveText('Email or password is wrong');
      await expect(fresh).toHaveURL(/\/login/);
      await expect(fresh.getByRole('button', { name: 'Log out' })).toHaveCount(0);

      // The right password then works.
      await fresh.getByLabel('Password', { exact: true }).fill(user.password);
      await fresh.getByRole('button', { name: 'Log in' }).click();
      await expect(fresh).toHaveURL('/products');
      await expect(fresh.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();
    } finally {
      await other.close();
    }
  });

  test('log out ends the session on the server', async ({ page, context }) => {
    await signUp(page, newUser('logout'));
    await page.goto('/products');
    await expect(page.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();
    const [session] = (await context.cookies()).filter((c) => c.name === 'refinery_session');
    expect(session, 'a session cookie after sign-up').toBeTruthy();
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();

    // Back, then reload: the products page asks for a log-in again.
    await page.goBack();
    await page.reload();
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fproducts/);
    await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();

    // Putting the old cookie back does not help: the session is gone on the server.
    await context.addCookies([session]);
    const response = await page.goto('/products');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fproducts/);
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
  });

  test('a forged or tampered session cookie just means signed out', async ({ page, context, baseURL }) => {
    const url = baseURL ?? '';
    const user = await signUp(page, newUser('forged'));
    const [real] = (await context.cookies()).filter((c) => c.name === 'refinery_session');
    await context.clearCookies();

    const forgeries = [
      'forged-session-id',
      // The real value with its signature changed.
      `${real.value.slice(0, -3)}${real.value.endsWith('abc') ? 'xyz' : 'abc'}`,
      // Something that is not even the cookie's encoding.
      '%E0%A4%A',
      'x'.repeat(3000),
    ];
    for (const value of forgeries) {
      await context.clearCookies();
      await context.addCookies([{ name: 'refinery_session', value, url }]);
      for (const path of ['/', '/products', '/settings/tokens']) {
        const response = await page.goto(path);
        expect(response?.status(), `${path} with cookie ${value.slice(0, 20)}`).toBeLessThan(400);
        await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
      }
      await expect(page).toHaveURL(/\/login\?redirectTo=/);
    }

    // Signing in again works with the forged cookie still in the jar.
    await logIn(page, user.email, user.password);
    await expect(page).toHaveURL('/products');
  });
});

test('the demo product owner logs in and sees the demo product with its backlog', { tag: '@demo' }, async ({
  page,
}) => {
  await logIn(page, demo.owner, demo.password);
  await expect(page).toHaveURL('/products');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: demo.productName }) });
  await expect(card.getByText('Product owner', { exact: true })).toBeVisible();

  await card.getByRole('link', { name: demo.productName }).click();
  await expect(page.getByRole('heading', { level: 1, name: demo.productName })).toBeVisible();
  await expect(page.getByText('Your role: Product owner')).toBeVisible();
  await page.getByRole('navigation', { name: 'Product' }).locator('summary').click();
  await expect(page.getByRole('link', { name: 'Members (5)' })).toBeVisible();

  // The list is virtualised: only the rows on screen are in the page; each says how many there are in all.
  const items = page.getByRole('list', { name: 'Backlog in priority order' }).getByRole('listitem');
  await expect(items.first()).toBeVisible();
  const count = Number(await items.first().getAttribute('aria-setsize'));
  expect(count).toBeGreaterThanOrEqual(25);
  await expect(page.getByText(new RegExp(`^${count} items · \\d+ points estimated$`))).toBeVisible();
  // Ordered: the first item is ranked 1, and every item has a type and a status.
  await expect(items.first()).toContainText('Position 1');
  await expect(items.first().locator('.type')).toHaveText(/\S/);
  await expect(items.first().locator('.status')).toHaveText(/\S/);
});
