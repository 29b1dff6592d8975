import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';

/** The demo data the e2e server starts with (DEMO_DATA=true on an empty database). */
export const demo = {
  productName: 'Harbor Physio Online Booking',
  password: 'refinery-demo',
  owner: 'olivia@demo.refinery.test',
  teamMembers: ['tom@demo.refinery.test', 'quinn@demo.refinery.test'],
  stakeholders: ['sam@demo.refinery.test', 'priya@demo.refinery.test'],
} as const;

/** A password the sign-up policy accepts (10+ characters, varied, not a common one). */
export const goodPassword = 'tidal-harbor-lantern-42';

export interface NewUser {
  name: string;
  email: string;
  password: string;
}

/** A short random suffix; with the time, it keeps names unique across tests and reruns. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

export function newUser(prefix = 'user'): NewUser {
  return {
    name: `${prefix[0]?.toUpperCase()}${prefix.slice(1)} ${unique().slice(-4)}`,
    email: uniqueEmail(prefix),
    password: goodPassword,
  };
}

/** Fills and submits the sign-up form on the current page (which must be /signup). */
export async function submitSignUp(page: Page, user: NewUser) {
  await page.getByLabel('Name', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Signs up a new user from /signup and waits until the app has signed them in (left the sign-up page). */
export async function signUp(page: Page, user: NewUser = newUser()): Promise<NewUser> {
  await page.goto('/signup');
  await submitSignUp(page, user);
  await expect(page).not.toHaveURL(/\/signup/);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  return user;
}

/** Logs in from /login and waits until the app has signed the user in. */
export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

/** Creates a product from /products; returns its id (the app redirects to /products/<id>). */
export async function createProduct(page: Page, name: string, description = ''): Promise<string> {
  await page.goto('/products');
  await page.getByLabel('Product name').fill(name);
  if (description) await page.getByLabel('Description (optional)').fill(description);
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.waitForURL(/\/products\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return productIdFrom(page.url());
}

export function productIdFrom(url: string): string {
  const match = new URL(url).pathname.match(/^\/products\/([^/]+)/);
  if (!match) throw new Error(`not a product URL: ${url}`);
  return match[1];
}

/** One person in a browser of their own. */
export interface Person {
  context: BrowserContext;
  page: Page;
}

/**
 * A demo person (all have the demo password) logged in in a new browser context; `viewport` sizes its window and
 * `initScript` runs in every page before the app's own scripts.
 */
export async function signedIn(
  browser: Browser,
  email: string,
  options: { viewport?: { width: number; height: number }; initScript?: string } = {},
): Promise<Person> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  return { context, page };
}

/** Opens a product's backlog page by its id and waits for its heading. */
export async function openProduct(page: Page, productId: string, name: string) {
  await page.goto(`/products/${productId}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Adds an item at the bottom of the open product's backlog with the backlog page's "New backlog item" form. */
export async function addItemOnBacklog(page: Page, title: string) {
  const details = page.locator('details.new-item');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator('summary').click();
  await page.getByRole('form', { name: 'New backlog item' }).getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByText(`Added ${title} at the bottom.`)).toBeVisible();
}

/** The demo product's id, found through its link on /products (the caller must be a member). */
export async function openDemoProduct(page: Page): Promise<string> {
  await page.goto('/products');
  await page.getByRole('link', { name: demo.productName }).click();
  await page.waitForURL(/\/products\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1, name: demo.productName })).toBeVisible();
  return productIdFrom(page.url());
}

/** Presses Tab until the target has the focus (a keyboard-only path); fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 25) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`could not reach ${target} with ${max} presses of Tab`);
}

/**
 * Opens a product page that sits under the product navigation's "More" menu (Metrics, Members (n), Settings…)
 * the way a person does: open "More", then follow the link.
 */
export async function openMoreTab(page: Page, name: string | RegExp) {
  const nav = page.getByRole('navigation', { name: 'Product' });
  const link = nav.getByRole('link', { name, exact: typeof name === 'string' ? true : undefined });
  if (!(await link.isVisible())) await nav.locator('summary').click();
  await link.click();
}

/**
 * Runs axe-core on the page as it is now and fails on any violation of impact serious or critical, listing each
 * one with the elements it found, so the failure says what to fix.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}) {
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
  if (serious.length > 0) console.error(`Accessibility violations on ${page.url()}:\n${report}`);
  expect(serious, `serious or critical axe violations on ${page.url()}:\n${report}`).toEqual([]);
}

/**
 * Creates a refinement session from the product's Sessions page with the given title; `prepare` may change the
 * rest of the form (agenda, facilitator) before it is sent. Returns the room's path, where `page` now is.
 */
export async function newRefinementSession(
  page: Page,
  productId: string,
  title: string,
  prepare: (form: Locator) => Promise<void> = async () => {},
): Promise<string> {
  await page.goto(`/products/${productId}/sessions`);
  const form = page.getByRole('form', { name: 'New refinement session' });
  await form.getByLabel('Title', { exact: true }).fill(title);
  await prepare(form);
  await form.getByRole('button', { name: 'Create session and open the room' }).click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

/** Everyone opens the room (unless already in it) and presses Join; `then` checks each one's room after. */
export async function joinRoom(people: Person[], room: string, then: (page: Page) => Promise<void>) {
  for (const { page } of people) {
    if (new URL(page.url()).pathname !== room) await page.goto(room);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await then(page);
  }
}
