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
import { requestImport } from './jobs.server';
import { releaseLease, startTrackerWorker, takeLease } from './worker.server';

describe.each(testBackends)('the sync worker on %s', (kind) => {
  let database: Database;
  let jira: JiraStandin;
  let deps: TrackerDeps;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jira = await startJiraStandin();
    await jira.admin.seedProject({
      key: 'WRK',
      issues: Array.from({ length: 9 }, (_, i) => ({ summary: `Issue ${i + 1}`, points: i % 5 })),
    });
    deps = trackerTestDeps(database.db);
    team = await seedTeam(database.db, 'Worker');
    await connectTracker(deps, team.productId, team.po, {
      kind: 'jira_cloud',
      baseUrl: jira.url,
      email: jira.credentials.email,
      token: jira.credentials.apiToken,
    });
  });
  afterAll(async () => {
    await jira?.stop();
    await database?.close();
  });

  it('one copy at a time holds a product’s lease; another gets it once it is released or has expired', async () => {
    expect(await takeLease(deps, team.productId, 'copy-a')).toBe(true);
    expect(await takeLease(deps, team.productId, 'copy-b')).toBe(false);
    expect(await takeLease(deps, team.productId, 'copy-a')).toBe(true);
    await releaseLease(deps, team.productId, 'copy-b');
    expect(await takeLease(deps, team.productId, 'copy-b')).toBe(false);
    await releaseLease(deps, team.productId, 'copy-a');
    expect(await takeLease(deps, team.productId, 'copy-b')).toBe(true);
    await database.db
      .update(trackerConnections)
      .set({ leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(trackerConnections.productId, team.productId));
    expect(await takeLease(deps, team.productId, 'copy-a')).toBe(true);
    await releaseLease(deps, team.productId, 'copy-a');
  });

  it('two copies working at once import every issue exactly once, in Jira’s order', async () => {
    await requestImport(deps, team.productId, team.po, { jql: 'project = WRK' });
    const copies = [
      startTrackerWorker(deps, { pollSeconds: 3600, tickMs: 20, owner: 'copy-a' }),
      startTrackerWorker(deps, { pollSeconds: 3600, tickMs: 20, owner: 'copy-b' }),
    ];
    try {
      await expect
        .poll(
          async () =>
            (await database.db.select().from(trackerJobs).where(eq(trackerJobs.productId, team.productId)))[0]
              ?.state,
          { timeout: 20_000 },
        )
        .toBe('done');
    } finally {
      await Promise.all(copies.map((copy) => copy.stop()));
    }
    const items = await database.db
      .select({ key: backlogItems.externalKey })
      .from(backlogItems)
      .where(eq(backlogItems.productId, team.productId))
      .orderBy(asc(backlogItems.rank));
    expect(items.map((i) => i.key)).toEqual(Array.from({ length: 9 }, (_, i) => `WRK-${i + 1}`));
  });
  it('polls a product whose last sync and last job are older than the interval', async () => {
    // A product of its own, imported once, so the test stands alone.
    const own = await seedTeam(database.db, 'Poller');
    await connectTracker(deps, own.productId, own.po, {
      kind: 'jira_cloud',
      baseUrl: jira.url,
      email: jira.credentials.email,
      token: jira.credentials.apiToken,
    });
    const jobsOf = async () =>
      (
        await database.db
          .select({ kind: trackerJobs.kind, state: trackerJobs.state })
          .from(trackerJobs)
          .where(eq(trackerJobs.productId, own.productId))
          .orderBy(asc(trackerJobs.createdAt))
      ).map((job) => `${job.kind}:${job.state}`);
    await requestImport(deps, own.productId, own.po, { jql: 'project = WRK' });
    const importing = startTrackerWorker(deps, { pollSeconds: 3600, tickMs: 20, owner: 'copy-a' });
    try {
      await expect.poll(jobsOf, { timeout: 20_000 }).toEqual(['import:done']);
    } finally {
      await importing.stop();
    }

    // The import and the last sync made older than the interval: the worker asks for a pull and works on it.
    await database.db
      .update(trackerJobs)
      .set({ createdAt: new Date(Date.now() - 60_000) })
      .where(eq(trackerJobs.productId, own.productId));
    await database.db
      .update(trackerConnections)
      .set({ lastSyncAt: new Date(Date.now() - 60_000) })
      .where(eq(trackerConnections.productId, own.productId));
    const polling = startTrackerWorker(deps, { pollSeconds: 30, tickMs: 20, owner: 'copy-a' });
    try {
      await expect.poll(jobsOf, { timeout: 20_000 }).toEqual(['import:done', 'pull:done']);
    } finally {
      await polling.stop();
    }
  });
});
