import { createHmac } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '~/domain/errors';
import { updateItem } from '~/services/backlog/items.server';
import { moveItem } from '~/services/backlog/moves.server';
import { seedTeam } from '~/services/testing/team.server';
import { trackerTestDeps } from '~/services/testing/tracker-deps.server';
import type { Database } from '../../../db/client';
import {
  backlogItems,
  decisions,
  liveSessions,
  trackerConnections,
  trackerJobs,
  trackerLinks,
  trackerOutbox,
} from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { type JiraStandin, startJiraStandin } from '../../../scripts/jira-standin';
import { applyDeferred } from './apply-issues.server';
import { connectTracker, testConnection, trackerStatus } from './connections.server';
import type { TrackerDeps } from './deps.server';
import { trackerLinkOf } from './item-link.server';
import { jiraConnector } from './jira-connector.server';
import { requestImport, requestSync, runJobStep } from './jobs.server';
import { queueCreatePush, queueReviewPush, sendPushes } from './push.server';
import { ensureWebhook, receiveWebhook } from './webhooks.server';

const criteria =
  'Feature: Checkout\n  Scenario: Pay\n    Given a basket\n    When I pay\n    Then I get a receipt';

describe.each(testBackends)('the Jira sync on %s, against the Jira stand-in', (kind) => {
  let database: Database;
  let jira: JiraStandin;
  let deps: TrackerDeps;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let boardId: number;
  const published: string[] = [];

  const depsWith = (pageSize: number): TrackerDeps => ({
    ...deps,
    connectorFor: (credentials) => jiraConnector(credentials, { pageSize }),
  });
  /** Works the product's jobs until none is runnable now, as the worker does. */
  async function work(using = deps) {
    for (let i = 0; i < 100; i++) if (!(await runJobStep(using, team.productId))) return;
  }
  const items = () =>
    database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.productId, team.productId))
      .orderBy(asc(backlogItems.rank));
  const latestJob = async () =>
    (await database.db.select().from(trackerJobs).where(eq(trackerJobs.productId, team.productId))).sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
    )[0];
  const credentials = () => ({
    kind: 'jira_cloud' as const,
    baseUrl: jira.url,
    email: jira.credentials.email,
    token: jira.credentials.apiToken,
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jira = await startJiraStandin({ flavour: 'cloud' });
    deps = trackerTestDeps(database.db, {
      live: {
        async update(name) {
          published.push(name);
        },
      },
    });
    team = await seedTeam(database.db, 'Synced');
    const project = await jira.admin.seedProject({
      key: 'REF',
      issues: [
        { summary: 'Checkout epic', type: 'Epic' },
        {
          summary: 'Pay by card',
          parent: 'REF-1',
          points: 5,
          acceptanceCriteria: criteria,
          labels: ['payments'],
        },
        { summary: 'Receipt by mail', parent: 'REF-1', points: 0.5, description: 'Send it by mail.' },
        {
          summary: 'Fix rounding',
          type: 'Bug',
          points: 2,
          acceptanceCriteria: 'It should just work, you know',
        },
        { summary: 'Refactor cart', points: 3 },
      ],
    });
    boardId = project.boardId;
  });
  afterAll(async () => {
    await jira?.stop();
    await database?.close();
  });
  afterEach(async () => {
    await jira.admin.restoreToken();
  });

  it('tests credentials without saving them, and names what is wrong', async () => {
    const ok = await testConnection(deps, team.productId, team.po, credentials());
    expect(ok).toMatchObject({ ok: true, canBrowse: true });
    const wrong = await testConnection(deps, team.productId, team.po, { ...credentials(), token: 'nope' });
    expect(wrong).toMatchObject({ ok: false, problem: 'unauthorized' });
    const nowhere = await testConnection(deps, team.productId, team.po, {
      ...credentials(),
      baseUrl: 'http://127.0.0.1:1',
    });
    expect(nowhere).toMatchObject({ ok: false, problem: 'unreachable' });
    await expect(
      testConnection({ ...deps, allowPrivateUrls: false }, team.productId, team.po, credentials()),
    ).rejects.toMatchObject({ code: 'invalid', extra: { field: 'baseUrl' } });
    await expect(testConnection(deps, team.productId, team.stakeholder, credentials())).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
    expect(await database.db.select().from(trackerConnections)).toHaveLength(0);
  });

  it('connects only with working credentials, keeps the token sealed and never shows it', async () => {
    await expect(
      connectTracker(deps, team.productId, team.po, { ...credentials(), token: 'wrong' }),
    ).rejects.toMatchObject({ code: 'invalid', extra: { field: 'token' } });
    await expect(connectTracker(deps, team.productId, team.dev, credentials())).rejects.toBeInstanceOf(
      AppError,
    );
    const connected = await connectTracker(deps, team.productId, team.po, credentials());
    expect(connected.fieldMap).toMatchObject({ storyPoints: 'customfield_10016' });
    const [row] = await database.db.select().from(trackerConnections);
    expect(row.secret).not.toContain(jira.credentials.apiToken);
    const status = await trackerStatus(deps, team.productId, team.stakeholder);
    expect(JSON.stringify(status)).not.toContain(jira.credentials.apiToken);
    expect(JSON.stringify(status)).not.toContain(row.webhookSecret);
    expect(status).toMatchObject({ connected: true, accountName: expect.any(String) });
  });

  it('imports a board in Jira’s rank order, page by page, resuming after a restart, and twice changes nothing', async () => {
    await requestImport(deps, team.productId, team.po, { jql: 'project = REF' });
    await expect(requestImport(deps, team.productId, team.po, { boardId })).rejects.toMatchObject({
      code: 'conflict',
    });
    // One page (two issues) with this copy, then a "restart": a new connector continues from the saved cursor.
    expect(await runJobStep(deps, team.productId)).toBe(true);
    expect((await latestJob()).progress).toMatchObject({ read: 2, created: 2 });
    await work(depsWith(2));
    const job = await latestJob();
    expect(job.state).toBe('done');
    expect(job.progress).toMatchObject({ read: 5, created: 5, failed: 0 });
    const imported = await items();
    expect(imported.map((i) => [i.externalKey, i.title])).toEqual([
      ['REF-1', 'Checkout epic'],
      ['REF-2', 'Pay by card'],
      ['REF-3', 'Receipt by mail'],
      ['REF-4', 'Fix rounding'],
      ['REF-5', 'Refactor cart'],
    ]);
    const [epic, card, receipt, bug] = imported;
    expect(epic.type).toBe('epic');
    expect(card).toMatchObject({ parentId: epic.id, estimate: 5, labels: ['payments'] });
    expect(card.criteria).toContain('Scenario: Pay');
    expect(receipt).toMatchObject({ estimate: 1, description: 'Send it by mail.' });
    expect(bug).toMatchObject({ type: 'bug', criteria: '' });
    // The item page shows the issue's key, link, status and priority.
    expect(await trackerLinkOf(database.db, card.id)).toMatchObject({
      issueKey: 'REF-2',
      url: `${jira.url}/browse/REF-2`,
      status: 'To Do',
      priority: 'Medium',
      textWaiting: false,
    });
    // What could not be taken as it is, named per issue.
    expect(job.errors.map((e) => e.issueKey)).toEqual(expect.arrayContaining(['REF-3', 'REF-4']));
    expect(published).toContain(`product:${team.productId}`);

    await requestImport(deps, team.productId, team.po, { jql: 'project = REF ORDER BY Rank' });
    await work();
    expect((await latestJob()).progress).toMatchObject({ read: 5, created: 0, updated: 0, unchanged: 5 });
    expect(await items()).toHaveLength(5);
  });

  it('imports by board too (a board lists no epics), linking what is already linked', async () => {
    await requestImport(deps, team.productId, team.po, { boardId });
    await work();
    expect((await latestJob()).progress).toMatchObject({ read: 4, created: 0, unchanged: 4 });
    expect(await items()).toHaveLength(5);
  });

  it('waits out a 429 (Retry-After) and then finishes', async () => {
    await jira.admin.injectRateLimit({ count: 1, retryAfterSeconds: 7 });
    await requestSync(deps, team.productId, team.po);
    expect(await runJobStep(deps, team.productId)).toBe(false);
    let job = await latestJob();
    expect(job.state).toBe('running');
    expect(job.notBefore!.getTime() - Date.now()).toBeGreaterThan(4000);
    expect(job.errors.at(-1)?.message).toMatch(/429/);
    // Nothing runs before the time Jira asked for.
    expect(await runJobStep(deps, team.productId)).toBe(false);
    await database.db
      .update(trackerJobs)
      .set({ notBefore: new Date(Date.now() - 1) })
      .where(eq(trackerJobs.id, job.id));
    await work();
    job = await latestJob();
    expect(job.state).toBe('done');
  });

  it('takes what changed in Jira; on a conflict keeps Jira’s value and logs ours', async () => {
    const [, card, receipt] = await items();
    await jira.admin.editIssue('REF-3', { summary: 'Receipt by mail, in PDF' });
    await updateItem(database.db, card.id, team.po, { title: 'Pay by card (Refinery)' });
    await jira.admin.editIssue('REF-2', { summary: 'Pay by card or wallet' });
    await requestSync(deps, team.productId, team.po);
    await work();
    const after = await items();
    expect(after.find((i) => i.id === receipt.id)?.title).toBe('Receipt by mail, in PDF');
    expect(after.find((i) => i.id === card.id)?.title).toBe('Pay by card or wallet');
    const logged = await database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.itemId, card.id), eq(decisions.kind, 'edited')));
    expect(
      logged.some(
        (d) => /Jira’s value kept/.test(d.reason) && JSON.stringify(d.before).includes('(Refinery)'),
      ),
    ).toBe(true);
  });

  it('pushes a move as a rank, and a reject as a transition with a comment', async () => {
    await database.db
      .update(trackerConnections)
      .set({ statusMap: { accepted: 'Done', rejected: 'Rejected' } })
      .where(eq(trackerConnections.productId, team.productId));
    const [, card, , , cart] = await items();
    await moveItem(database.db, cart.id, team.po, { beforeId: card.id });
    await database.db.transaction((tx) =>
      queueReviewPush(
        tx,
        card.id,
        'rejected',
        'Rejected at the sprint review.\nNot met: Scenario Pay — needed: a receipt',
      ),
    );
    expect(await sendPushes(deps, team.productId)).toBe(3);
    const order = (await jira.admin.listIssues('REF')).map((i) => i.key);
    expect(order.indexOf('REF-5')).toBe(order.indexOf('REF-2') - 1);
    const issue = await jira.admin.getIssue('REF-2');
    expect(issue?.status).toBe('Rejected');
    expect(issue?.comments.at(-1)?.body).toContain('needed: a receipt');
    const pending = await database.db.select().from(trackerOutbox).where(eq(trackerOutbox.state, 'pending'));
    expect(pending).toHaveLength(0);
  });

  it('a new story under a linked epic becomes an issue under that epic in Jira', async () => {
    const epic = (await items()).find((i) => i.externalKey === 'REF-1')!;
    const [child] = await database.db
      .insert(backlogItems)
      .values({
        productId: team.productId,
        type: 'story',
        title: 'Pay with a voucher',
        parentId: epic.id,
        rank: 'zz',
      })
      .returning();
    await database.db.transaction((tx) => queueCreatePush(tx, team.productId, child.id, epic.id));
    expect(await sendPushes(deps, team.productId)).toBe(1);
    const [linked] = await database.db.select().from(backlogItems).where(eq(backlogItems.id, child.id));
    expect(await jira.admin.getIssue(linked.externalKey!)).toMatchObject({
      summary: 'Pay with a voucher',
      parent: 'REF-1',
    });
  });

  it('accepts a webhook only with the product’s secret, and then pulls', async () => {
    const [row] = await database.db.select().from(trackerConnections);
    const secret = deps.box!.open(row.webhookSecret);
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 'REF-2' } });
    expect(await receiveWebhook(deps, team.productId, { body, signature: 'sha256=00', secret: null })).toBe(
      'refused',
    );
    expect(await receiveWebhook(deps, team.productId, { body, signature: null, secret: 'guess' })).toBe(
      'refused',
    );
    expect(await receiveWebhook(deps, 'not-a-uuid', { body, signature: null, secret })).toBe('refused');
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(await receiveWebhook(deps, team.productId, { body, signature, secret: null })).toBe('accepted');
    await work();
    expect((await latestJob()).kind).toBe('pull');
  });

  it('a revoked token fails the sync with Jira’s message on the status panel', async () => {
    await jira.admin.revokeToken();
    await requestSync(deps, team.productId, team.po);
    await work();
    const job = await latestJob();
    expect(job.state).toBe('failed');
    const status = await trackerStatus(deps, team.productId, team.po);
    expect(status.connected && status.lastError).toBeTruthy();
    expect(JSON.stringify(status)).toMatch(/401|credentials|token/i);
    const links = await database.db.select().from(trackerLinks);
    expect(links).toHaveLength(6);
  });

  it('a disconnect removes the webhook from Jira; reconnecting links the items that carry the keys instead of duplicating them', async () => {
    await expect(
      connectTracker(deps, team.productId, team.po, { ...credentials(), baseUrl: 'http://127.0.0.1:9' }),
    ).rejects.toMatchObject({ code: 'conflict', extra: { field: 'baseUrl' } });
    const { disconnectTracker } = await import('./connections.server');
    await ensureWebhook(deps, team.productId, 'https://refinery.example');
    expect(await jira.admin.webhooks()).toHaveLength(1);
    await disconnectTracker(deps, team.productId, team.po);
    expect(await jira.admin.webhooks()).toHaveLength(0);
    expect(await database.db.select().from(trackerLinks)).toHaveLength(0);
    await jira.admin.editIssue('REF-5', { summary: 'Refactor cart (renamed in Jira meanwhile)' });
    await connectTracker(deps, team.productId, team.po, credentials());
    await requestImport(deps, team.productId, team.po, { jql: 'project = REF' });
    await work();
    expect((await latestJob()).progress).toMatchObject({ read: 6, created: 0 });
    const after = await items();
    expect(after).toHaveLength(6);
    expect(after.find((i) => i.externalKey === 'REF-5')?.title).toBe(
      'Refactor cart (renamed in Jira meanwhile)',
    );
    expect(await database.db.select().from(trackerLinks)).toHaveLength(6);
  });

  it('with “comment each decision” on, a move’s reason reaches the issue as a comment', async () => {
    await database.db
      .update(trackerConnections)
      .set({ commentDecisions: true })
      .where(eq(trackerConnections.productId, team.productId));
    const all = await items();
    const [first] = all;
    const bug = all.find((i) => i.externalKey === 'REF-4')!;
    await moveItem(database.db, bug.id, team.po, {
      beforeId: first.id,
      reason: 'Customers are losing money',
    });
    await sendPushes(deps, team.productId);
    const issue = await jira.admin.getIssue('REF-4');
    expect(issue?.comments.at(-1)?.body).toContain('Customers are losing money');
    expect((await jira.admin.listIssues('REF'))[0].key).toBe('REF-4');
  });

  it('never replaces text under someone’s cursor: Jira’s description waits until the item leaves the refinement', async () => {
    const item = (await items()).find((i) => i.externalKey === 'REF-5')!;
    const [session] = await database.db
      .insert(liveSessions)
      .values({
        productId: team.productId,
        kind: 'refinement',
        title: 'Refinement',
        facilitatorId: team.po,
        currentItemId: item.id,
        joinCode: `code-${kind}-${Date.now()}`,
      })
      .returning();
    await jira.admin.editIssue('REF-5', { description: 'Written in Jira during the meeting' });
    await requestSync(deps, team.productId, team.po);
    await work();
    const during = (await items()).find((i) => i.id === item.id)!;
    expect(during.description).not.toContain('Written in Jira');
    const [link] = await database.db.select().from(trackerLinks).where(eq(trackerLinks.itemId, item.id));
    expect(link.deferred?.description).toContain('Written in Jira during the meeting');
    // Still live: nothing applied.
    expect(await database.db.transaction((tx) => applyDeferred(tx, team.productId))).toEqual([]);
    await database.db
      .update(liveSessions)
      .set({ endedAt: new Date() })
      .where(eq(liveSessions.id, session.id));
    const effects = await database.db.transaction((tx) => applyDeferred(tx, team.productId));
    expect(effects).toContainEqual({
      to: 'itemText',
      itemId: item.id,
      texts: { description: 'Written in Jira during the meeting' },
    });
    const after = (await items()).find((i) => i.id === item.id)!;
    expect(after.description).toBe('Written in Jira during the meeting');
    // Agreed now: the next pull neither takes it again nor pushes it back.
    await requestSync(deps, team.productId, team.po);
    await work();
    expect((await latestJob()).progress.updated).toBe(0);
  });
});
