import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTeam } from '~/services/testing/team.server';
import { trackerTestDeps } from '~/services/testing/tracker-deps.server';
import type { Database } from '../../../db/client';
import { backlogItems, trackerConnections, trackerJobs } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { type JiraStandin, startJiraStandin } from '../../../scripts/jira-standin';
import { connectTracker } from './connections.server';
import type { TrackerDeps } from './deps.server';
import { requestImport, runJobStep } from './jobs.server';
import { queueCreatePush, queueFieldPush, queueReviewPush, sendPushes } from './push.server';

describe.each(testBackends)('the Jira sync with Jira Data Center on %s', (kind) => {
  let database: Database;
  let jira: JiraStandin;
  let deps: TrackerDeps;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let boardId: number;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jira = await startJiraStandin({ flavour: 'dc' });
    boardId = (
      await jira.admin.seedProject({
        key: 'DC',
        issues: [
          { summary: 'Wiki text', description: 'h2. Context\n\n* first\n* second', points: 2 },
          { summary: 'Second', points: 8 },
          { summary: 'Third' },
        ],
      })
    ).boardId;
    deps = trackerTestDeps(database.db);
    team = await seedTeam(database.db, 'Data Center');
  });
  afterAll(async () => {
    await jira?.stop();
    await database?.close();
  });

  it('connects with a personal access token, imports a board page by page (startAt), and pushes back over REST v2', async () => {
    await expect(
      connectTracker(deps, team.productId, team.po, { kind: 'jira_dc', baseUrl: jira.url, token: 'wrong' }),
    ).rejects.toMatchObject({ code: 'invalid', extra: { field: 'token' } });
    await connectTracker(deps, team.productId, team.po, {
      kind: 'jira_dc',
      baseUrl: jira.url,
      email: null,
      token: jira.credentials.pat,
    });
    const [row] = await database.db.select().from(trackerConnections);
    expect(row.accountEmail).toBeNull();
    expect(row.secret).not.toContain(jira.credentials.pat);

    await requestImport(deps, team.productId, team.po, { boardId });
    for (let i = 0; i < 10; i++) if (!(await runJobStep(deps, team.productId))) break;
    const [job] = await database.db
      .select()
      .from(trackerJobs)
      .where(eq(trackerJobs.productId, team.productId));
    expect(job).toMatchObject({ state: 'done', progress: { read: 3, created: 3, failed: 0 } });
    const items = await database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.productId, team.productId))
      .orderBy(asc(backlogItems.rank));
    expect(items.map((i) => i.externalKey)).toEqual(['DC-1', 'DC-2', 'DC-3']);
    expect(items[0].description).toBe('## Context\n\n- first\n- second');

    await database.db
      .update(trackerConnections)
      .set({ statusMap: { accepted: 'Done', rejected: null } })
      .where(eq(trackerConnections.productId, team.productId));
    await database.db.transaction(async (tx) => {
      await queueFieldPush(tx, items[2].id, { storyPoints: 5 });
      await queueReviewPush(tx, items[1].id, 'accepted', 'Accepted at the sprint review: great work');
    });
    expect(await sendPushes(deps, team.productId)).toBe(3);
    expect((await jira.admin.getIssue('DC-3'))?.points).toBe(5);
    const accepted = await jira.admin.getIssue('DC-2');
    expect(accepted?.status).toBe('Done');
    expect(accepted?.comments.at(-1)?.body).toContain('great work');
  });

  it('creates an issue for a split’s child (under the parent when that is an epic in Jira) and links the item to it', async () => {
    const [parent] = await database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.externalKey, 'DC-1'));
    const [child] = await database.db
      .insert(backlogItems)
      .values({
        productId: team.productId,
        type: 'story',
        title: 'Split off: the second half',
        description: 'What is left',
        parentId: parent.id,
        rank: 'zz',
        estimate: 3,
      })
      .returning();
    await database.db.transaction((tx) => queueCreatePush(tx, team.productId, child.id, parent.id));
    // An item whose parent is not linked stays out of Jira.
    const [loose] = await database.db
      .insert(backlogItems)
      .values({ productId: team.productId, type: 'story', title: 'Local only', rank: 'zzz' })
      .returning();
    await database.db.transaction((tx) => queueCreatePush(tx, team.productId, loose.id, loose.id));
    expect(await sendPushes(deps, team.productId)).toBe(1);
    const [linked] = await database.db.select().from(backlogItems).where(eq(backlogItems.id, child.id));
    expect(linked.externalKey).toMatch(/^DC-\d+$/);
    const issue = await jira.admin.getIssue(linked.externalKey!);
    // DC-1 is a story in Jira, where only epics hold stories: the new issue says where it came from instead.
    expect(issue).toMatchObject({ summary: 'Split off: the second half', parent: null, points: 3 });
    expect(issue?.description).toContain('Split from DC-1');
    // Sent twice (a crash before it was marked sent), it does not create a second issue.
    await database.db.transaction((tx) => queueCreatePush(tx, team.productId, child.id, parent.id));
    await sendPushes(deps, team.productId);
    expect(
      (await jira.admin.listIssues('DC')).filter((i) => i.summary === 'Split off: the second half'),
    ).toHaveLength(1);
  });
});
