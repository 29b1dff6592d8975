import { expect, type Page, test } from '@playwright/test';
import { api, ownerToken, productWith, tokenOf } from './api-fixtures';
import {
  demo,
  expectNoSeriousA11yViolations,
  logIn,
  newRefinementSession,
  openMoreTab,
  openProduct,
  signedIn,
  unique,
} from './fixtures';
import { addMember, backlogWithKeys, jiraAdmin, jiraSite, jiraStandin } from './jira-fixtures';

// Issue 16, the two-way Jira sync, in the browser against the Jira stand-in Playwright starts beside the app
// (playwright.config.ts, e2e/jira-fixtures.ts). The product owner connects a product of their own on its Jira page
// (a wrong token first: the page names the problem), imports a board and sees the status panel report the import
// done and the issues in the backlog in Jira's rank order with their keys. Then the meetings' decisions land in
// Jira: a refinement's committed poker estimate becomes the issue's story points, a move in the backlog moves the
// issue in Jira's rank, and a sprint review's reject moves the issue to the mapped status with a comment naming the
// unmet line and what is needed. Last, a change made in Jira reaches a stakeholder's open backlog view by webhook,
// without a reload. Every wait is for a condition: the stand-in's state is polled with expect.poll.

const criteria = `Feature: Deposits
  Scenario: Pay the deposit
    Given a free slot
    When I book it and pay the deposit
    Then the slot is mine

  Scenario: Deposit refused by the bank
    Given a card the bank refuses
    When I pay the deposit
    Then I am told to try another card`;

const issues = [
  {
    summary: 'Pay a deposit when booking',
    description: 'Patients pay 20 % up front.',
    acceptanceCriteria: criteria,
  },
  { summary: 'Cancel a booking online', points: 3 },
  { summary: 'Remind patients by text message' },
  { summary: 'Show each clinic’s opening hours', points: 2 },
];
const summaries = issues.map((i) => i.summary);

const backlogList = (page: Page) => page.getByRole('list', { name: 'Backlog in priority order' });
const backlogTitles = (page: Page) => backlogList(page).locator('.row-title').allInnerTexts();
const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
const connectForm = (page: Page) => page.getByRole('form', { name: 'Jira credentials' });
const statusPanel = (page: Page) => page.getByRole('region', { name: 'Sync status' });

async function openJiraPage(page: Page, productId: string, productName: string) {
  await openProduct(page, productId, productName);
  await openMoreTab(page, 'Jira');
  await expect(page.getByRole('heading', { level: 2, name: 'Jira' })).toBeVisible();
}

test('connect, import a board, and keep Jira in step with refinement, backlog order, review and live edits', async ({
  browser,
  request,
}) => {
  // About 25 s alone; room for a busy machine running other specs beside it.
  test.setTimeout(180_000);
  const { account, project, keyOf } = await jiraSite(issues);
  const keys = summaries.map(keyOf);
  const { productId, token } = await productWith(request, []);
  const { name: productName } = await api(request, token, 'GET', `/products/${productId}`);
  const owner = await signedIn(browser, demo.owner);
  const page = owner.page;

  await test.step('connect: a wrong token is named at its field, the right one connects', async () => {
    await openJiraPage(page, productId, productName);
    await expect(page.getByText('Not connected yet: connect a Jira site to import issues.')).toBeVisible();
    const form = connectForm(page);
    await form.getByLabel('Jira Cloud', { exact: true }).check();
    await form.getByLabel('Site address').fill(jiraStandin.url);
    await form.getByLabel('Account email').fill(account.email);
    await form.getByLabel('API token').fill(`${account.apiToken}-wrong`);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const tokenField = form.getByLabel('API token');
    await expect(tokenField).toHaveAttribute('aria-invalid', 'true');
    await expect(
      form.getByText(/Jira did not accept the token \(401\).*Check the email and the token\./),
    ).toBeVisible();

    await tokenField.fill(account.apiToken);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByText(`Jira answered: the token signs in as ${account.displayName}`)).toBeVisible();
    await expect(form.getByText('May register a webhook: changes in Jira arrive at once.')).toBeVisible();
    await expect(tokenField).not.toHaveAttribute('aria-invalid', 'true');

    await tokenField.fill(account.apiToken);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByText(`Connected as ${account.displayName}.`)).toBeVisible();
    await expect(page.getByText(`Connected to ${jiraStandin.url} as ${account.displayName}`)).toBeVisible();
  });

  await test.step('import the board: the status panel reports it done, the backlog has Jira’s order and keys', async () => {
    const importForm = page.getByRole('form', { name: 'Import issues' });
    await importForm.getByLabel('By board').check();
    await importForm.getByLabel('Board number').fill(String(project.boardId));
    await importForm.getByRole('button', { name: 'Import' }).click();
    await expect(
      importForm.getByText('Import started: the issues arrive in the backlog page by page.'),
    ).toBeVisible();
    // The panel follows the running import by itself (no reload) until it is done.
    const panel = statusPanel(page);
    const job = panel.getByRole('listitem').filter({ hasText: 'Import' }).first();
    await expect(job).toContainText('Done', { timeout: 30_000 });
    await expect(job).toContainText(`${issues.length} of ${issues.length} issues read`);
    await expect(job).toContainText(`${issues.length} created`);
    await expect(panel.getByRole('status')).toHaveText('Nothing running now.');
    await expect(panel.getByRole('definition').filter({ hasText: 'backlog items linked' })).toContainText(
      String(issues.length),
    );
    await expect(panel).toContainText(`Board ${project.boardId}`);
    // Registered at the import, the account being a Jira administrator.
    await expect(panel).toContainText('A webhook is registered');
    await expectNoSeriousA11yViolations(page);

    await openProduct(page, productId, productName);
    await expect.poll(() => backlogTitles(page)).toEqual(summaries);
    const linked = await backlogWithKeys(request, token, productId);
    expect(linked.map((i) => [i.title, i.key])).toEqual(summaries.map((s, i) => [s, keys[i]]));
  });

  await test.step('a refinement’s committed poker estimate becomes the issue’s story points in Jira', async () => {
    const room = await newRefinementSession(page, productId, `Deposits ${unique().slice(-4)}`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(poker(page)).toContainText('No round yet');
    const current = (await page.locator('#current-title').textContent())?.trim() ?? '';
    expect(current).toBe(summaries[0]);
    await page.getByRole('button', { name: 'Start round' }).click();
    await poker(page)
      .getByRole('toolbar', { name: /Your card/ })
      .getByRole('button', { name: '5', exact: true })
      .click();
    await expect(poker(page)).toContainText('You voted 5');
    await page.getByRole('button', { name: 'Reveal cards' }).click();
    await expect(page.getByLabel('Estimate to commit (points)')).toHaveValue('5');
    await page.getByRole('button', { name: 'Commit estimate' }).click();
    await expect(poker(page)).toContainText('Committed: 5 points');
    expect(new URL(page.url()).pathname).toBe(room);
    await expect
      .poll(async () => (await jiraAdmin.getIssue(keyOf(current)))?.points, { timeout: 15_000 })
      .toBe(5);
  });

  await test.step('a move in the backlog moves the issue in Jira’s rank', async () => {
    await openProduct(page, productId, productName);
    const moved = summaries[2];
    await backlogList(page).getByRole('link', { name: moved, exact: true }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(page.locator('.move-status')).toHaveText(`Moved “${moved}” to position 2.`);
    expect(await backlogTitles(page)).toEqual([summaries[0], summaries[2], summaries[1], summaries[3]]);
    await expect
      .poll(async () => (await jiraAdmin.listIssues(project.key)).map((i) => i.key), { timeout: 15_000 })
      .toEqual([keys[0], keys[2], keys[1], keys[3]]);
  });

  await test.step('a sprint review’s reject moves the issue to the mapped status, with what is needed', async () => {
    await openJiraPage(page, productId, productName);
    const settings = page.getByRole('form', { name: 'Fields and review decisions' });
    await settings.getByLabel('Status for a rejected item').fill('Rejected');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(settings.getByText('Saved.')).toBeVisible();
    await expect(settings.getByLabel('Status for a rejected item')).toHaveValue('Rejected');

    // The sprint, with the estimated story done, is set up through the API; the review itself runs in the UI.
    const title = summaries[0];
    const { id: itemId } = (await backlogWithKeys(request, token, productId)).find((i) => i.title === title)!;
    const sprint = await api(request, token, 'POST', `/products/${productId}/sprints`, {
      name: 'Sprint 1',
      startDate: '2026-11-02',
      endDate: '2026-11-13',
      goal: 'Patients book and pay online',
    });
    await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId });
    await api(request, token, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });
    await api(request, token, 'POST', `/sprints/${sprint.id}/items/${itemId}/done`, { done: true });
    const review = await api(request, token, 'POST', `/sprints/${sprint.id}/review`, {});

    await page.goto(`/products/${productId}/sessions/${review.sessionId}`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    const story = page.getByRole('region', { name: new RegExp(`^${title} · `) });
    const unmet = story.getByRole('button', { name: /^Not met: .*Deposit refused by the bank/ });
    const label = ((await unmet.getAttribute('aria-label')) ?? '').replace(/^Not met: /, '');
    await unmet.click();
    await expect(unmet).toHaveAttribute('aria-pressed', 'true');
    await story.getByRole('button', { name: 'Reject…' }).click();
    const needed = 'Name the bank’s reason and offer another card';
    await story.getByLabel(`What is needed for “${label}”?`).fill(needed);
    await story.getByRole('button', { name: 'Reject and return to the backlog' }).click();
    await expect(story.getByRole('heading', { level: 3 })).toContainText('Rejected');

    const key = keyOf(title);
    await expect
      .poll(async () => (await jiraAdmin.getIssue(key))?.status, { timeout: 15_000 })
      .toBe('Rejected');
    await expect
      .poll(async () => (await jiraAdmin.getIssue(key))?.comments.at(-1)?.body ?? '', { timeout: 15_000 })
      .toContain(`Not met: ${label} — needed: ${needed}`);
    const comment = (await jiraAdmin.getIssue(key))?.comments.at(-1)?.body ?? '';
    expect(comment).toContain('Rejected at the sprint review.');
  });

  await test.step('a change in Jira reaches an open backlog view by webhook, without a reload', async () => {
    const sam = demo.stakeholders[0];
    await addMember(
      request,
      await ownerToken(request),
      productId,
      await tokenOf(request, sam),
      'stakeholder',
    );
    const watcher = await signedIn(browser, sam);
    await openProduct(watcher.page, productId, productName);
    await expect(watcher.page.locator('.live-status')).toHaveText(/: Live$/);
    // A marker on the window: a reload would remove it.
    await watcher.page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    const key = keys[3];
    const renamed = `Show each clinic’s opening hours and holidays ${unique().slice(-4)}`;
    const deliveriesBefore = (await jiraAdmin.deliveries()).length;
    await jiraAdmin.editIssue(key, { summary: renamed });
    await expect(backlogList(watcher.page).getByRole('link', { name: renamed, exact: true })).toBeVisible({
      timeout: 15_000,
    });
    await expect(
      backlogList(watcher.page).getByRole('link', { name: summaries[3], exact: true }),
    ).toHaveCount(0);
    expect(await watcher.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(
      true,
    );
    // It came by the webhook (Jira told the app at once), which the app accepted.
    const delivered = (await jiraAdmin.deliveries())
      .slice(deliveriesBefore)
      .filter((d) => d.issueKey === key && d.url.includes(`/hooks/jira/${productId}`));
    expect(delivered.map((d) => d.status)).toContain(204);
    await watcher.context.close();
  });

  await owner.context.close();
});

// An imported item shows its Jira key in the backlog row, and its page links to the issue.
test('the backlog and the item page show an imported item’s Jira key, linked to the issue', async ({
  page,
  request,
}) => {
  const { account, project, keyOf } = await jiraSite([{ summary: 'Pay a deposit when booking' }]);
  const key = keyOf('Pay a deposit when booking');
  const { productId, token } = await productWith(request, []);
  const { name: productName } = await api(request, token, 'GET', `/products/${productId}`);
  await api(request, token, 'PUT', `/products/${productId}/tracker`, {
    kind: 'jira_cloud',
    baseUrl: jiraStandin.url,
    email: account.email,
    token: account.apiToken,
  });
  await api(request, token, 'POST', `/products/${productId}/tracker/imports`, { boardId: project.boardId });
  await expect
    .poll(async () => (await backlogWithKeys(request, token, productId)).map((i) => i.key))
    .toEqual([key]);
  await logIn(page, demo.owner, demo.password);
  await openProduct(page, productId, productName);
  const row = backlogList(page).getByRole('listitem').filter({ hasText: 'Pay a deposit when booking' });
  await expect(row).toContainText(key);
  await row.getByRole('link', { name: 'Pay a deposit when booking', exact: true }).click();
  await expect(page.getByRole('link', { name: key })).toHaveAttribute(
    'href',
    `${jiraStandin.url}/browse/${key}`,
  );
});
