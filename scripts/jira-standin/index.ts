/**
 * A Jira stand-in for tests and e2e (issue 16): an in-memory Jira Cloud or Data Center site on node:http that
 * answers the endpoints Refinery's sync calls, in Atlassian's request and response shapes, plus an admin API
 * (`/__standin/`, typed as `admin`) for seeding data, editing "as a Jira user", revoking tokens, taking
 * permissions away, injecting 429s and reading the request log.
 *
 *   const jira = await startJiraStandin({ flavour: 'cloud' });
 *   const client = createCloudClient({ host: jira.url, auth: { type: 'basic', ...jira.credentials } });
 *   await jira.admin.seedProject({ key: 'REF', issues: [{ summary: 'First story', points: 3 }] });
 *   ...
 *   await jira.stop();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin } from './admin';
import type { StandinAdmin } from './admin-types';
import { IssueChanges } from './changes';
import { send } from './http';
import { createHandler } from './server';
import { type Flavour, StandinState } from './state';
import { startDeliveries } from './webhooks';

export { createStandinAdminClient } from './admin-client';
export type * from './admin-types';
export type { Flavour } from './state';

export interface JiraStandinOptions {
  /** 0 or left out: any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** 'cloud' (default): REST v2 and v3, Basic email:apiToken; 'dc': REST v2 only, Bearer PAT */
  flavour?: Flavour;
  /** fixed credentials instead of generated ones */
  credentials?: Partial<JiraStandinCredentials>;
}

export interface JiraStandinCredentials {
  /** Cloud: `Authorization: Basic base64(email:apiToken)` */
  email: string;
  apiToken: string;
  /** Data Center: `Authorization: Bearer <pat>` */
  pat: string;
}

export interface JiraStandin {
  /** the site's base URL, e.g. http://127.0.0.1:4320 (jira.js `host`) */
  url: string;
  flavour: Flavour;
  credentials: JiraStandinCredentials;
  /** the account the credentials belong to */
  accountId: string;
  admin: StandinAdmin;
  stop(): Promise<void>;
}

export async function startJiraStandin(options: JiraStandinOptions = {}): Promise<JiraStandin> {
  const flavour = options.flavour ?? 'cloud';
  const host = options.host ?? '127.0.0.1';
  const state = new StandinState(flavour, {
    emailAddress: options.credentials?.email,
    apiToken: options.credentials?.apiToken,
    pat: options.credentials?.pat,
  });
  const changes = new IssueChanges(state);
  const admin = createAdmin(state, changes);
  let url = '';
  const deliveries = startDeliveries(changes, () => url);
  const handle = createHandler(state, changes, admin, () => url);

  const server = createServer((req, res) => {
    res.on('error', () => {});
    handle(req, res).catch((error) => {
      console.error('[jira-standin] could not answer:', error);
      if (!res.headersSent)
        send(res, { status: 500, body: { errorMessages: ['Internal server error'], errors: {} } });
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    flavour,
    get credentials() {
      const { emailAddress: email, apiToken, pat } = state.integration;
      return { email, apiToken, pat };
    },
    get accountId() {
      return state.integration.accountId;
    },
    admin,
    async stop() {
      await deliveries.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
