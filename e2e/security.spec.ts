import { expect, type Page, test } from '@playwright/test';
import { createProduct, demo, logIn, newUser, openDemoProduct, signUp } from './fixtures';

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

test('pages are served with a strict Content-Security-Policy and nosniff', async ({ request }) => {
  for (const path of ['/', '/login', '/products']) {
    const response = await request.get(path);
    expect(response.status(), path).toBeLessThan(400);
    const headers = response.headers();
    const csp = headers['content-security-policy'];
    expect(csp, `CSP on ${path}`).toBeTruthy();
    const policy = directives(csp);
    expect(policy.get('frame-ancestors'), 'frame-ancestors').toEqual(["'none'"]);
    const scriptSrc = policy.get('script-src') ?? policy.get('default-src') ?? [];
    expect(scriptSrc.length, 'script-src').toBeGreaterThan(0);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(scriptSrc).not.toContain('*');
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(headers['x-content-type-options']).toBe('nosniff');
  }
  // The nonce is new on every response.
  const [a, b] = await Promise.all([request.get('/login'), request.get('/login')]);
  const nonce = (r: typeof a) => r.headers()['content-security-policy'].match(/'nonce-([^']+)'/)?.[1];
  expect(nonce(a)).toBeTruthy();
  expect(nonce(a)).not.toBe(nonce(b));
});

/** Collects console errors, page errors and CSP violation events for everything the page loads from now on. */
async function watchForProblems(page: Page) {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void })
        .__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return problems;
}

/** True once Remix has hydrated: the app's scripts ran under the policy. */
async function expectHydrated(page: Page) {
  await page.waitForFunction(() => '__remixRouter' in window && document.readyState === 'complete');
}

test('pages load and hydrate without CSP violations or console errors', { tag: '@demo' }, async ({
  page,
}) => {
  const problems = await watchForProblems(page);

  for (const path of ['/', '/login', '/signup']) {
    await page.goto(path);
    await expectHydrated(page);
  }
  await logIn(page, demo.owner, demo.password);
  await expectHydrated(page);
  const productId = await openDemoProduct(page);
  await expectHydrated(page);
  for (const path of [
    `/products/${productId}/members`,
    `/products/${productId}/invites`,
    '/settings/tokens',
  ]) {
    await page.goto(path);
    await expectHydrated(page);
  }
  // A client-side navigation (no full page load) works too.
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your products' })).toBeVisible();

  expect(problems).toEqual([]);
});

test('mutating requests from another origin are refused with 403', async ({ page, baseURL }) => {
  await signUp(page, newUser('csrf'));
  // page.request shares the browser's cookies: these requests carry a valid session, as a forged form would.
  const evil = { Origin: 'http://evil.example' };

  const logout = await page.request.post('/logout', { headers: evil, form: {}, maxRedirects: 0 });
  expect(logout.status()).toBe(403);
  expect(logout.headers()['content-type']).toMatch(/^application\/problem\+json/);

  const create = await page.request.post('/products', {
    headers: evil,
    form: { name: 'Planted by evil.example' },
    maxRedirects: 0,
  });
  expect(create.status()).toBe(403);

  // A browser's cross-site request without an Origin header is refused as well.
  const noOrigin = await page.request.post('/products', {
    headers: { 'Sec-Fetch-Site': 'cross-site' },
    form: { name: 'Planted without an origin' },
    maxRedirects: 0,
  });
  expect(noOrigin.status()).toBe(403);

  // Nothing happened: still signed in, and no product was created.
  await page.goto('/products');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page.getByRole('region', { name: /Start with a product$/ })).toBeVisible();
  await expect(page.getByText(/Planted/)).toHaveCount(0);

  // The same request from our own origin is accepted (so the 403 above was the origin check).
  const own = await page.request.post('/logout', {
    headers: { Origin: new URL(baseURL ?? '').origin },
    form: {},
    maxRedirects: 0,
  });
  expect(own.status()).toBe(302);
});

test('a product name with HTML in it is shown as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  await signUp(page, newUser('xss'));
  const name = '<img src=x onerror=alert(1)>';
  const productId = await createProduct(page, name, '<script>alert(2)</script>');

  // The heading's text is the literal name; no element was made from it.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByText('<script>alert(2)</script>')).toBeVisible();
  await expect(page.locator('main img')).toHaveCount(0);

  await page.goto('/products');
  await expect(page.getByRole('link', { name })).toHaveAttribute('href', `/products/${productId}`);
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page).toHaveTitle(/Your products/);

  await page.goto(`/products/${productId}/members`);
  await expect(page).toHaveTitle(`${name} · Refinery`);
  expect(dialogs).toBe(0);
});
