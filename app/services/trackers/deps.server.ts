import type { LivePublisher } from '~/context';
import type { Db } from '../../../db/client';
import type { Logger } from '../../../server/logger';
import type { TrackerConnector } from './connector.server';
import { type JiraCredentials, jiraConnector } from './jira-connector.server';
import type { SecretBox } from './secret-box.server';

/** What the tracker services need, built once by the server (and by tests, with their own connector if they like). */
export interface TrackerDeps {
  db: Db;
  log: Logger;
  /** publishes what a sync changed to open backlog views and live item text */
  live: LivePublisher;
  /** null: no key configured on a shared database, so no tracker can be connected (the page says how to fix it) */
  box: SecretBox | null;
  allowPrivateUrls: boolean;
  connectorFor(credentials: JiraCredentials): TrackerConnector;
  /** where Jira sends webhooks (the product's public address), or null when unknown */
  publicUrl: string | null;
}

export const defaultConnectorFor = (log: Logger) => (credentials: JiraCredentials) =>
  jiraConnector(credentials, {
    onSchemaMismatch: (report) => log.warn({ event: 'tracker_schema_mismatch', endpoint: report.endpoint }),
  });
