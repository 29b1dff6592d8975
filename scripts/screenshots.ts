// `npm run screenshots`: refreshes docs/screenshots/ from the running app. It needs a production build (`npm run
// build`) and Debian's chromium; it starts its own server on a free port with an empty database and demo data,
// drives it as the demo product owner, saves the pictures and stops the server.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { serverBundle } from './prepare.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs/screenshots');
const demo = {
  email: 'olivia@demo.refinery.test',
  password: 'refinery-demo',
  product: 'Harbor Physio Online Booking',
  team: ['tom@demo.refinery.test', 'quinn@demo.refinery.test'],
  stakeholders: ['sam@demo.refinery.test', 'priya@demo.refinery.test'],
};

/** Starts the server the e2e tests use (e2e/start-server.mjs) on a free port; resolves with its URL. */
function startServer(): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'e2e/start-server.mjs')], {
      cwd: root,
      env: { ...process.env, E2E_PORT: '0', E2E_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the server did not start within 60 s:\n${output}`));
    }, 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Refinery is running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve({ url: match[1], child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}) before it was ready:\n${output}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => '__remixRouter' in window);
  await page.evaluate(() => document.fonts.ready);
}

async function save(page: Page, name: string) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file });
  console.error(`saved ${path.relative(root, file)}`);
}

/** One JSON API call as `token` (null: none); throws with the answer on an error status. */
async function call(base: string, token: string | null, method: string, route: string, body?: unknown) {
  const response = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const tokenOf = async (base: string, email: string): Promise<string> =>
  (await call(base, null, 'POST', '/tokens', { email, password: demo.password })).token;

/**
 * The two meeting rooms as people use them, set up through the API on the demo product: a refinement just after a
 * poker reveal (three estimators), and a prioritisation after the reveal (WSJF scored by two stakeholders and the
 * team's job sizes). The product owner's browser shows each room.
 */
async function rooms(base: string, page: Page) {
  const [po, tom, quinn, sam, priya] = await Promise.all(
    [demo.email, ...demo.team, ...demo.stakeholders].map((email) => tokenOf(base, email)),
  );
  const products = await call(base, po, 'GET', '/products');
  const product = (products.products ?? products).find((p: { name: string }) => p.name === demo.product);
  const listed = await call(base, po, 'GET', `/products/${product.id}/items`);
  // Stories still to refine and order: not in a sprint, not done, not epics.
  const open = (listed.items ?? listed).filter(
    (i: { status: string; type: string }) =>
      ['new', 'refined', 'ready'].includes(i.status) && i.type !== 'epic',
  );

  const refinement = await call(base, po, 'POST', `/products/${product.id}/sessions`, {
    title: 'Backlog refinement: booking flow',
    kind: 'refinement',
    agenda: open.slice(0, 4).map((i: { id: string }) => i.id),
  });
  const room = `/products/${product.id}/sessions/${refinement.id}`;
  for (const token of [po, tom, quinn])
    await call(base, token, 'POST', `/sessions/${refinement.id}/join`, {});
  await call(base, po, 'POST', `/sessions/${refinement.id}/current-item`, { itemId: open[0].id });
  await call(base, po, 'POST', `/sessions/${refinement.id}/rounds`, {});
  for (const [token, value] of [
    [po, '5'],
    [tom, '5'],
    [quinn, '8'],
  ])
    await call(base, token, 'POST', `/sessions/${refinement.id}/estimates`, { value });
  await call(base, po, 'POST', `/sessions/${refinement.id}/reveal`, {});
  await page.goto(room);
  await page.getByRole('list', { name: 'Cards played in round 1' }).waitFor();
  await page.locator('.live-status').filter({ hasText: /Live$/ }).first().waitFor();
  await settle(page);
  // The reveal, with the room's header above it for context.
  await page.getByRole('region', { name: 'Planning poker' }).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -24);
  });
  await save(page, 'session-room.png');

  const items = open.slice(0, 4).map((i: { id: string }) => i.id);
  const prioritisation = await call(base, po, 'POST', `/products/${product.id}/sessions`, {
    title: 'Quarterly prioritisation with stakeholders',
    kind: 'prioritisation',
    agenda: items,
    methods: ['wsjf'],
  });
  const pid = prioritisation.id;
  for (const token of [po, tom, sam, priya]) await call(base, token, 'POST', `/sessions/${pid}/join`, {});
  await call(base, po, 'POST', `/sessions/${pid}/voting/open`, {});
  // Later items score higher and are smaller, so the proposal reorders the backlog; the two stakeholders
  // disagree on some parts.
  const parts = [3, 5, 8, 13];
  for (const [n, itemId] of items.entries()) {
    for (const [k, token] of [sam, priya].entries())
      await call(base, token, 'POST', `/sessions/${pid}/scores`, {
        itemId,
        userBusinessValue: parts[(n + k) % 4],
        timeCriticality: parts[n],
        riskReduction: parts[Math.max(0, n - 2 * k)],
      });
    await call(base, tom, 'POST', `/sessions/${pid}/scores`, { itemId, jobSize: [13, 8, 5, 3][n % 4] });
  }
  await call(base, po, 'POST', `/sessions/${pid}/voting/reveal`, {});
  await page.goto(`/products/${product.id}/sessions/${pid}`);
  await page.getByText('The results are revealed.').waitFor();
  await page.locator('.live-status').filter({ hasText: /Live$/ }).first().waitFor();
  await settle(page);
  await page.getByRole('heading', { name: 'Results', exact: true }).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -24);
  });
  await save(page, 'prioritisation-room.png');
}

/**
 * The product owner's loops between the meetings, on the demo product: the requests inbox after stakeholders asked
 * (one declined with its reason), votes opened before a meeting with the window's call to vote, and a stakeholder's
 * notifications.
 */
async function loops(base: string, page: Page, stakeholderPage: Page) {
  const [po, sam, priya] = await Promise.all(
    [demo.email, ...demo.stakeholders].map((email) => tokenOf(base, email)),
  );
  const products = await call(base, po, 'GET', '/products');
  const product = (products.products ?? products).find((p: { name: string }) => p.name === demo.product);
  const ask = (token: string, body: Record<string, unknown>) =>
    call(base, token, 'POST', `/products/${product.id}/requests`, body);
  const sms = await ask(sam, {
    title: 'Reminders by text message',
    problem: 'Patients miss appointments booked weeks ahead; the clinic phones each of them the day before.',
    whoHasIt: 'Front desk at both clinics',
    expectedValue: 'Fewer no-shows (about 1 in 12 today)',
    deadline: null,
    urgent: false,
  });
  await ask(priya, {
    title: 'Book for a family member',
    problem: 'Parents book for their children by phone because the site books only for the account holder.',
    whoHasIt: 'Parents of young patients',
    expectedValue: 'A third of phone bookings moved online',
    deadline: null,
    urgent: false,
  });
  const fax = await ask(priya, {
    title: 'Send referrals by fax',
    problem: 'Two referring GPs still want a fax.',
    deadline: null,
    urgent: false,
  });
  await call(base, po, 'POST', `/products/${product.id}/requests/${fax.id}/triage`, {
    action: 'decline',
    reason: 'Both practices accept secure e-mail since November; a fax line would cost more than it saves.',
  });
  await call(base, po, 'POST', `/products/${product.id}/requests/${sms.id}/triage`, {
    action: 'accept',
    position: 'top',
  });
  await page.goto(`/products/${product.id}/requests`);
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
  await settle(page);
  await save(page, 'requests.png');

  const listed = await call(base, po, 'GET', `/products/${product.id}/items`);
  const open = (listed.items ?? listed).filter(
    (i: { status: string; type: string }) =>
      ['new', 'refined', 'ready'].includes(i.status) && i.type !== 'epic',
  );
  const early = await call(base, po, 'POST', `/products/${product.id}/sessions`, {
    title: 'Spring priorities (votes before the meeting)',
    kind: 'prioritisation',
    agenda: open.slice(0, 4).map((i: { id: string }) => i.id),
    methods: ['dots'],
  });
  await call(base, po, 'PUT', `/products/${product.id}/sessions/${early.id}/async-window`, {
    action: 'open',
    closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  });
  await stakeholderPage.goto(`/products/${product.id}/sessions/${early.id}`);
  await stakeholderPage
    .getByText(/Voting closes in/)
    .first()
    .waitFor();
  await stakeholderPage.locator('.live-status').filter({ hasText: /Live$/ }).first().waitFor();
  await settle(stakeholderPage);
  await save(stakeholderPage, 'votes-before-the-meeting.png');

  await stakeholderPage.goto('/notifications');
  await stakeholderPage.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
  await settle(stakeholderPage);
  await save(stakeholderPage, 'notifications.png');
}

/**
 * Sprint health on a product of its own (the demo's running sprint is on track): a sprint four days in with nothing
 * done, so its goal is flagged at risk, and a technical-debt share with one debt item planned.
 */
async function sprintHealth(base: string, page: Page) {
  const po = await tokenOf(base, demo.email);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const product = await call(base, po, 'POST', '/products', {
    name: 'Harbor Physio Payments',
    description: 'Online payment for treatments at the clinics.',
  });
  await call(base, po, 'PUT', `/products/${product.id}/debt-share`, { share: 20 });
  const sprint = await call(base, po, 'POST', `/products/${product.id}/sprints`, {
    name: 'Sprint 1',
    startDate: day(-4),
    endDate: day(5),
    goal: 'Patients pay for a treatment online when they book it',
    capacity: 30,
  });
  for (const [title, estimate, type] of [
    ['Pay by card when booking', 8, 'story'],
    ['Receipt by e-mail', 5, 'story'],
    ['Refund a cancelled booking', 8, 'story'],
    ['Replace the hand-rolled price rounding', 5, 'tech_debt'],
  ] as const) {
    const item = await call(base, po, 'POST', `/products/${product.id}/items`, { title, estimate, type });
    await call(base, po, 'POST', `/sprints/${sprint.id}/items`, {
      itemId: item.id,
      reason: 'Planned together',
    });
  }
  await call(base, po, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });
  await page.goto(`/products/${product.id}/sprints/${sprint.id}`);
  await page.getByRole('region', { name: 'Goal projection', exact: true }).getByRole('status').waitFor();
  await settle(page);
  await save(page, 'goal-at-risk.png');

  // The same sprint's planning: the debt share planned against the product's 20 %.
  await page
    .getByRole('region', { name: /debt/i })
    .first()
    .evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -120);
    });
  await save(page, 'debt-share.png');

  // An urgent request during the sprint: its impact before the product owner swaps it in.
  const [sam] = await Promise.all([tokenOf(base, demo.stakeholders[0])]);
  const invite = await call(base, po, 'POST', `/products/${product.id}/invites`, { role: 'stakeholder' });
  await call(base, sam, 'POST', `/invites/${invite.token}/accept`);
  const urgent = await call(base, sam, 'POST', `/products/${product.id}/requests`, {
    title: 'Card payments fail for one bank',
    problem: 'Patients of one regional bank cannot pay by card since Monday; the clinics take cash instead.',
    whoHasIt: 'About 200 patients a week at the two coastal clinics',
    expectedValue: 'Card payments for everyone again',
    deadline: null,
    urgent: true,
  });
  await page.goto(`/products/${product.id}/requests/${urgent.id}/urgent?points=8`);
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  await settle(page);
  await save(page, 'urgent-request.png');

  // A webhook to a team's chat relay (a receiver in this script, on this machine), and its delivery log.
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const port = (receiver.address() as AddressInfo).port;
    const hook = await call(base, po, 'POST', `/products/${product.id}/webhooks`, {
      url: `http://127.0.0.1:${port}/chat-relay`,
    });
    await call(base, po, 'POST', `/products/${product.id}/webhooks/${hook.webhook.id}/ping`, {});
    await call(base, po, 'PUT', `/products/${product.id}/debt-share`, { share: 15 });
    await page.goto(`/products/${product.id}/webhooks/${hook.webhook.id}`);
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    // The sender works in the background: reload until both deliveries are in.
    for (let i = 0; i < 50 && (await page.getByText('Delivered').count()) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await page.reload();
    }
    await settle(page);
    await save(page, 'webhook-deliveries.png');
  } finally {
    receiver.close();
  }

  // How much the demo backlog's order moved, week by week, with the reasons (the metrics page).
  const products = await call(base, po, 'GET', '/products');
  const demoProduct = (products.products ?? products).find((p: { name: string }) => p.name === demo.product);
  await page.goto(`/products/${demoProduct.id}/metrics`);
  const stability = page.getByTestId('backlog-stability');
  await stability.waitFor();
  await settle(page);
  await stability.evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -24);
  });
  await save(page, 'backlog-stability.png');
}

async function main() {
  if (!existsSync(serverBundle)) {
    console.error('No production build: run `npm run build` first.');
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  const { url, child } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const desktop = { baseURL: url, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
  try {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();

    // What a newcomer sees first: the start page, and a new product's empty backlog.
    await page.goto('/');
    await settle(page);
    await save(page, 'home.png');
    const newcomer = await browser.newContext(desktop);
    const first = await newcomer.newPage();
    await first.goto('/signup');
    await first.getByLabel('Name', { exact: true }).fill('Nina Newcomer');
    await first.getByLabel('Email', { exact: true }).fill(`nina-${Date.now()}@example.test`);
    await first.getByLabel('Password', { exact: true }).fill('tidal-harbor-lantern-42');
    await first.getByRole('button', { name: 'Create account' }).click();
    await first.waitForURL('**/products');
    await first.getByLabel('Product name').fill('Clinic booking');
    await first.getByRole('button', { name: 'Create product' }).click();
    await first.waitForURL(/\/products\/[^/]+$/);
    await first.getByRole('region', { name: 'Start the backlog' }).waitFor();
    await first.locator('.live-live').waitFor();
    await settle(first);
    await save(first, 'first-run-backlog.png');
    await newcomer.close();

    await page.goto('/login');
    await page.getByLabel('Email', { exact: true }).fill(demo.email);
    await page.getByLabel('Password', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/products');
    await page.getByRole('link', { name: demo.product }).click();
    await page.waitForURL(/\/products\/[^/]+$/);
    await page.getByRole('list', { name: 'Backlog in priority order' }).waitFor();
    await settle(page);
    await save(page, 'backlog.png');

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.locator('.chart .recharts-wrapper svg').first().waitFor();
    await settle(page);
    await save(page, 'dashboard.png');

    // Members is under the product navigation's "More".
    await page.getByRole('navigation', { name: 'Product' }).locator('summary').click();
    await page.getByRole('link', { name: /^Members/ }).click();
    await page.getByRole('link', { name: 'Invite people' }).click();
    await page.waitForURL(/\/invites$/);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Stakeholder' });
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.getByLabel('Invite link for a stakeholder').waitFor();
    await settle(page);
    await save(page, 'invite.png');

    await rooms(url, page);

    const stakeholder = await browser.newContext(desktop);
    const samPage = await stakeholder.newPage();
    await samPage.goto('/login');
    await samPage.getByLabel('Email', { exact: true }).fill(demo.stakeholders[0]);
    await samPage.getByLabel('Password', { exact: true }).fill(demo.password);
    await samPage.getByRole('button', { name: 'Log in' }).click();
    await samPage.waitForURL('**/products');
    await loops(url, page, samPage);
    await sprintHealth(url, page);
    await stakeholder.close();
  } finally {
    await browser.close();
    await stopServer(child);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
