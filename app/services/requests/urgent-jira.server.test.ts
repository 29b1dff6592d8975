import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSprintCommand } from '~/services/sprints/commands.server';
import { createSprint } from '~/services/sprints/sprints.server';
import { liveServices } from '~/services/testing/live-services.server';
import { seedTeam } from '~/services/testing/team.server';
import { trackerTestDeps } from '~/services/testing/tracker-deps.server';
import { connectTracker } from '~/services/trackers/connections.server';
import { requestImport, runJobStep } from '~/services/trackers/jobs.server';
import { sendPushes } from '~/services/trackers/push.server';
import type { Database } from '../../../db/client';
import { backlogItems, trackerLinks } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { type JiraStandin, startJiraStandin } from '../../../scripts/jira-standin';
import { runRequestCommand } from './commands.server';
import { urgentImpact } from './urgent.server';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

// An urgent swap sends the displaced items back to the top of the backlog: a product synced with Jira gets the
// same order there, the displaced issues on top in the backlog's order (decision 0038: every order change pushed).
describe.each(testBackends)('an urgent swap in a product synced with Jira on %s', (kind) => {
  let database: Database;
  let jira: JiraStandin;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jira = await startJiraStandin({ flavour: 'cloud' });
  });
  afterAll(async () => {
    await jira?.stop();
    await database?.close();
  });

  it('ranks the displaced issues at the top of Jira, in the backlog’s order', async () => {
    const team = await seedTeam(database.db, 'Swapped');
    const { services } = liveServices(database);
    const deps = trackerTestDeps(database.db);
    await jira.admin.seedProject({
      key: 'SWP',
      issues: ['Search', 'Filters', 'Sorting', 'Export', 'Print', 'Share'].map((summary) => ({
        summary,
        points: 3,
      })),
    });
    await connectTracker(deps, team.productId, team.po, {
      kind: 'jira_cloud',
      baseUrl: jira.url,
      email: jira.credentials.email,
      token: jira.credentials.apiToken,
    });
    await requestImport(deps, team.productId, team.po, { jql: 'project = SWP ORDER BY Rank' });
    for (let i = 0; i < 100; i++) if (!(await runJobStep(deps, team.productId))) break;
    const imported = await database.db
      .select({ id: backlogItems.id, key: trackerLinks.issueKey })
      .from(backlogItems)
      .innerJoin(trackerLinks, eq(trackerLinks.itemId, backlogItems.id))
      .where(eq(backlogItems.productId, team.productId))
      .orderBy(asc(backlogItems.rank));
    expect(imported.map((i) => i.key)).toEqual(['SWP-1', 'SWP-2', 'SWP-3', 'SWP-4', 'SWP-5', 'SWP-6']);

    // The running sprint holds the first three (9 points, its budget); SWP-4 to SWP-6 wait behind.
    const sprint = await createSprint(database.db, team.productId, team.po, {
      name: 'Sprint 1',
      goal: 'Find things',
      startDate: day(-1),
      endDate: day(9),
    });
    for (const item of imported.slice(0, 3))
      await runSprintCommand(services, 'addItemToSprint', { sprintId: sprint.id }, team.po, {
        itemId: item.id,
        reason: 'planned',
      });
    await runSprintCommand(services, 'updateSprint', { sprintId: sprint.id }, team.po, { state: 'active' });
    expect(await sendPushes(deps, team.productId)).toBe(0);

    // An urgent request of 6 points displaces the last two of the sprint (SWP-2 and SWP-3).
    const urgent = await runRequestCommand(services, 'sendRequest', { productId: team.productId }, team.dev, {
      title: 'Search is down',
      problem: 'Nobody can search',
      whoHasIt: '',
      expectedValue: '',
      deadline: null,
      urgent: true,
      channel: 'direct',
    });
    const target = { productId: team.productId, requestId: urgent.id };
    const impact = await urgentImpact(database.db, team.productId, urgent.id, team.po, { points: 6 });
    expect(impact.expectedDisplaced).toEqual([imported[1].id, imported[2].id]);
    await runRequestCommand(services, 'swapIntoSprint', target, team.po, {
      tradeOff: 'Search first',
      expectedDisplaced: impact.expectedDisplaced,
      points: 6,
    });

    expect(await sendPushes(deps, team.productId)).toBe(2);
    const order = (await jira.admin.listIssues('SWP')).map((i) => i.key);
    expect(order).toEqual(['SWP-2', 'SWP-3', 'SWP-1', 'SWP-4', 'SWP-5', 'SWP-6']);
  });
});
