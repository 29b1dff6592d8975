import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTeam } from '../app/services/testing/team.server';
import { connectTracker } from '../app/services/trackers/connections.server';
import { TrackerError } from '../app/services/trackers/connector.server';
import { jiraConnector } from '../app/services/trackers/jira-connector.server';
import { requestImport } from '../app/services/trackers/jobs.server';
import { backlogItems, trackerJobs } from '../db/schema';
import { createTestDatabaseUrl, testBackends } from '../db/test-database';
import { type JiraStandin, startJiraStandin } from '../scripts/jira-standin';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

const root = path.resolve(import.meta.dirname, '..');

// Issue 16: an import survives a restart of the server. The first server reads one page, is held up by a rate limit
// and stops; the next server on the same database resumes from the saved cursor: every issue once, in Jira's order.
describe.each(testBackends)('a Jira import across a server restart on %s', (kind) => {
  let jira: JiraStandin;
  let dataDir: string;
  let created: Awaited<ReturnType<typeof createTestDatabaseUrl>> | undefined;

  beforeAll(async () => {
    jira = await startJiraStandin();
    await jira.admin.seedProject({
      key: 'RST',
      issues: Array.from({ length: 10 }, (_, i) => ({ summary: `Issue ${i + 1}` })),
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-restart-'));
    created = kind === 'postgres' ? await createTestDatabaseUrl() : undefined;
  });
  afterAll(async () => {
    await jira?.stop();
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (connectorFor: NonNullable<Parameters<typeof startServer>[2]['trackerConnector']>) => {
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: created?.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      TRACKER_ALLOW_PRIVATE_URLS: 'true',
      TRACKER_SECRET_KEYS: 'q3Tt0vJm4uY9Yk1cQF2h7mJ0c3cF3m8ZxWn2pQ5rS1o=',
      TRACKER_POLL_SECONDS: '3600',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    return startServer(parsed.config, createLogger('silent'), { root, trackerConnector: connectorFor });
  };

  it('resumes where the stopped server left off, creating every item once', async () => {
    let pages = 0;
    // The first server: pages of three; the second page is refused with a long Retry-After.
    const first: RunningServer = await start((credentials) => {
      const real = jiraConnector(credentials, { pageSize: 3 });
      return {
        ...real,
        format: real.format,
        siteUrl: real.siteUrl,
        async page(request, map) {
          pages += 1;
          if (pages > 1) throw new TrackerError('rate_limited', 'Jira asked us to slow down (429)', 60_000);
          return real.page(request, map);
        },
      };
    });
    const db = first.database.db;
    const team = await seedTeam(db, 'Restart');
    const deps = first.services.trackers!.deps;
    await connectTracker(deps, team.productId, team.po, {
      kind: 'jira_cloud',
      baseUrl: jira.url,
      email: jira.credentials.email,
      token: jira.credentials.apiToken,
    });
    await requestImport(deps, team.productId, team.po, { jql: 'project = RST' });
    first.services.trackers!.worker.kick();
    await expect
      .poll(async () => (await db.select().from(trackerJobs))[0]?.notBefore !== null && pages > 1, {
        timeout: 20_000,
      })
      .toBe(true);
    const [paused] = await db.select().from(trackerJobs);
    expect(paused).toMatchObject({ state: 'running', progress: { read: 3, created: 3 } });
    await first.stop();

    // The next server, on the same database; the rate limit has passed by then.
    const second = await start((credentials) => jiraConnector(credentials, { pageSize: 3 }));
    try {
      const again = second.database.db;
      await again.update(trackerJobs).set({ notBefore: new Date(Date.now() - 1) });
      second.services.trackers!.worker.kick();
      await expect
        .poll(async () => (await again.select().from(trackerJobs))[0]?.state, { timeout: 20_000 })
        .toBe('done');
      const [job] = await again.select().from(trackerJobs);
      expect(job.progress).toMatchObject({ read: 10, created: 10, failed: 0 });
      const items = await again
        .select({ key: backlogItems.externalKey })
        .from(backlogItems)
        .where(eq(backlogItems.productId, team.productId))
        .orderBy(asc(backlogItems.rank));
      expect(items.map((i) => i.key)).toEqual(Array.from({ length: 10 }, (_, i) => `RST-${i + 1}`));
    } finally {
      await second.stop();
    }
  });
});
