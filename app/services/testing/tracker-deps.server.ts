import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/client';
import { createLogger } from '../../../server/logger';
import type { TrackerDeps } from '~/services/trackers/deps.server';
import { jiraConnector } from '~/services/trackers/jira-connector.server';
import { createSecretBox } from '~/services/trackers/secret-box.server';

/**
 * The tracker sync's dependencies for service tests: a fresh key, private addresses allowed (the Jira stand-in runs
 * on 127.0.0.1), jira.js with pages of two so paging is exercised, no publisher unless the test brings one.
 */
export function trackerTestDeps(db: Db, overrides: Partial<TrackerDeps> = {}): TrackerDeps {
  return {
    db,
    log: createLogger('silent'),
    live: { update: async () => {} },
    box: createSecretBox([randomBytes(32)]),
    allowPrivateUrls: true,
    connectorFor: (credentials) => jiraConnector(credentials, { pageSize: 2 }),
    publicUrl: null,
    ...overrides,
  };
}
