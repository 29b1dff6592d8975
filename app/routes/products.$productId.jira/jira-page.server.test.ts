import { randomBytes } from 'node:crypto';
import type { AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testServices } from '~/api/test-harness.server';
import type { ConnectionCheck, TrackerField } from '~/domain/tracker';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import type { TrackerConnector } from '~/services/trackers/connector.server';
import type { TrackerDeps } from '~/services/trackers/deps.server';
import { createSecretBox } from '~/services/trackers/secret-box.server';
import { orRespond } from '~/utils/route-errors.server';
import type { Database } from '../../../db/client';
import { trackerConnections, trackerJobs } from '../../../db/schema';
import { openTestDatabase } from '../../../db/test-database';
import { type JiraReply, loadJiraPage, runJiraForm } from './jira-page.server';

// The Jira page (issue 16): who may do what, how refusals reach the form, and that no answer carries a secret.

const password = 'correct horse battery staple';
const token = 'ATATT-the-secret-api-token-0123456789';
let database: Database;
let context: AppLoadContext;
let deps: TrackerDeps;
const kick = vi.fn();
let po: string;
let stakeholder: string;
let outsider: string;
let productId: string;

/** Jira as the fake connector answers: who the token is, the site's fields; anything else is not called here. */
let check: ConnectionCheck;
const connectorCalls: string[] = [];
const fields: TrackerField[] = [
  {
    id: 'customfield_10016',
    name: 'Story Points',
    schema: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
  },
  { id: 'customfield_10019', name: 'Rank', schema: 'com.pyxis.greenhopper.jira:gh-lexo-rank' },
];
function fakeConnector(credentials: { baseUrl: string }): TrackerConnector {
  connectorCalls.push(credentials.baseUrl);
  const unexpected = async () => {
    throw new Error('not called by the page');
  };
  return {
    check: async () => check,
    fields: async () => fields,
    page: unexpected,
    issue: unexpected,
    edit: unexpected,
    rank: unexpected,
    create: unexpected,
    transition: unexpected,
    comment: unexpected,
    registerWebhook: async () => null,
    removeWebhook: async () => {},
    format: 'adf',
    siteUrl: credentials.baseUrl,
  };
}

const form = (values: Record<string, string>) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(values)) body.append(k, v);
  return body;
};
/** status and body of a data() answer */
const answer = (result: unknown) =>
  result && typeof result === 'object' && 'init' in result && 'data' in result
    ? { status: (result.init as ResponseInit | null)?.status ?? 200, body: result.data as JiraReply }
    : { status: 200, body: result as JiraReply };
const post = async (userId: string, values: Record<string, string>) =>
  answer(
    await runJiraForm(
      context,
      productId,
      userId,
      new Request(`http://refinery.test/products/${productId}/jira`, { method: 'POST', body: form(values) }),
    ),
  );
const credentials = {
  kind: 'jira_cloud',
  baseUrl: 'https://clinic.atlassian.net',
  email: 'po@clinic.example',
  token,
};
/** what a thrown route refusal (orRespond) says */
async function refusalOf(work: Promise<unknown>) {
  try {
    await work;
  } catch (thrown) {
    return answer(thrown).status;
  }
  throw new Error('not refused');
}

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  const services = testServices(database);
  deps = {
    db: database.db,
    log: services.log,
    live: services.live,
    box: createSecretBox([randomBytes(32)]),
    allowPrivateUrls: false,
    connectorFor: fakeConnector,
    publicUrl: null,
  };
  services.trackers = { deps, worker: { kick, stop: async () => {} } };
  context = { app: services, cspNonce: '' } as AppLoadContext;
  po = (await signUp(database.db, { email: 'po@example.com', displayName: 'PO', password })).id;
  stakeholder = (await signUp(database.db, { email: 'sh@example.com', displayName: 'Sam', password })).id;
  outsider = (await signUp(database.db, { email: 'out@example.com', displayName: 'Out', password })).id;
  productId = (await createProduct(database.db, po, { name: 'Clinic', description: '' })).id;
  const invite = await createInvite(database.db, productId, po, { role: 'stakeholder', expiresInDays: 7 });
  await acceptInvite(database.db, invite.token, stakeholder);
});

afterAll(async () => {
  await database.close();
});

beforeEach(() => {
  check = {
    ok: true,
    accountName: 'Pat Owner',
    serverTitle: 'Clinic Jira',
    canBrowse: true,
    canEdit: true,
    canAdminWebhooks: false,
  };
  connectorCalls.length = 0;
  kick.mockClear();
});

describe('who may use the page', () => {
  it('answers 404 to someone outside the product, for the page and its forms', async () => {
    expect(await refusalOf(orRespond(loadJiraPage(context, productId, outsider)))).toBe(404);
    const connected = await post(outsider, { intent: 'connect', ...credentials });
    expect(connected.status).toBe(404);
    expect(connectorCalls).toEqual([]);
  });

  it('shows a stakeholder the status read-only, and refuses their connect with 403 on the form', async () => {
    const page = await loadJiraPage(context, productId, stakeholder);
    expect(page).toMatchObject({ mayManage: false, status: { connected: false, keysConfigured: true } });
    const refused = await post(stakeholder, { intent: 'connect', ...credentials });
    expect(refused.status).toBe(403);
    expect(refused.body.result.error?.['']?.[0]).toMatch(/may not do this/);
    expect(connectorCalls).toEqual([]);
    expect(await database.db.select().from(trackerConnections)).toEqual([]);
    for (const intent of ['test', 'import', 'sync', 'detect', 'settings', 'disconnect'])
      expect(
        (await post(stakeholder, { intent, ...credentials, jql: 'project = ABC', by: 'jql' })).status,
      ).toBe(intent === 'settings' ? 400 : 403);
  });

  it('refuses an unknown intent as not understood', async () => {
    const refused = await post(po, { intent: 'drop-tables' });
    expect(refused.status).toBe(400);
    expect(refused.body.result.error?.['']?.[0]).toMatch(/not understood/);
  });
});

describe('testing the credentials', () => {
  it('refuses a private address beside the site field, before calling anything', async () => {
    const refused = await post(po, {
      intent: 'test',
      kind: 'jira_dc',
      baseUrl: 'https://10.0.0.5',
      email: '',
      token,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.result.error?.baseUrl?.[0]).toMatch(/private network/);
    expect(connectorCalls).toEqual([]);
    expect(JSON.stringify(refused.body)).not.toContain(token);
  });

  it('says what the account may do, and a failed check beside the field it is about', async () => {
    const tried = await post(po, { intent: 'test', ...credentials });
    expect(tried.status).toBe(200);
    expect(tried.body.check).toMatchObject({ ok: true, accountName: 'Pat Owner', canAdminWebhooks: false });
    expect(tried.body.result.initialValue).toMatchObject({ baseUrl: credentials.baseUrl });
    expect(JSON.stringify(tried.body)).not.toContain(token);

    check = { ok: false, problem: 'unauthorized', message: 'Jira did not accept the token (401)' };
    const failed = await post(po, { intent: 'test', ...credentials });
    expect(failed.status).toBe(400);
    expect(failed.body.result.error?.token).toEqual(['Jira did not accept the token (401)']);
    expect(JSON.stringify(failed.body)).not.toContain(token);
    // Nothing was saved by either.
    expect(await database.db.select().from(trackerConnections)).toEqual([]);
  });

  it('asks for the account email on Jira Cloud', async () => {
    const refused = await post(po, { intent: 'test', ...credentials, email: '' });
    expect(refused.status).toBe(400);
    expect(refused.body.result.error?.email?.[0]).toMatch(/email/);
  });
});

describe('once connected', () => {
  beforeAll(async () => {
    check = {
      ok: true,
      accountName: 'Pat Owner',
      serverTitle: null,
      canBrowse: true,
      canEdit: true,
      canAdminWebhooks: true,
    };
    const connected = await post(po, { intent: 'connect', ...credentials });
    expect(connected.status).toBe(200);
    expect(JSON.stringify(connected.body)).not.toContain(token);
  });

  it('never sends the token or the webhook secret with the status, to anyone', async () => {
    const [row] = await database.db
      .select()
      .from(trackerConnections)
      .where(eq(trackerConnections.productId, productId));
    expect(row.secret).not.toContain(token);
    const secrets = [token, row.secret, row.webhookSecret, deps.box?.open(row.webhookSecret) ?? ''];
    for (const userId of [po, stakeholder]) {
      const page = await loadJiraPage(context, productId, userId);
      const sent = JSON.stringify(page);
      for (const secret of secrets) expect(sent).not.toContain(secret);
      expect(page.status).toMatchObject({
        connected: true,
        baseUrl: credentials.baseUrl,
        accountName: 'Pat Owner',
      });
    }
    // The Jira account's email is for the product owner's credentials form only.
    expect((await loadJiraPage(context, productId, stakeholder)).status).toMatchObject({
      accountEmail: null,
    });
    expect((await loadJiraPage(context, productId, po)).status).toMatchObject({
      accountEmail: credentials.email,
    });
  });

  it('refuses a sync before any import, on the form', async () => {
    const refused = await post(po, { intent: 'sync' });
    expect(refused.status).toBe(409);
    expect(refused.body.result.error?.['']?.[0]).toMatch(/Import issues first/);
    expect(kick).not.toHaveBeenCalled();
  });

  it('starts an import and wakes the worker; a board that is no number, or a second import, is refused on its field', async () => {
    const badBoard = await post(po, { intent: 'import', by: 'board', boardId: 'seven' });
    expect(badBoard.status).toBe(400);
    expect(badBoard.body.result.error?.boardId?.[0]).toBeTruthy();
    const noQuery = await post(po, { intent: 'import', by: 'jql', jql: '  ' });
    expect(noQuery.body.result.error?.jql).toEqual(['Enter a JQL query']);

    const started = await post(po, { intent: 'import', by: 'jql', jql: 'project = ABC' });
    expect(started.status).toBe(200);
    expect(kick).toHaveBeenCalledTimes(1);
    const jobs = await database.db.select().from(trackerJobs).where(eq(trackerJobs.productId, productId));
    expect(jobs).toMatchObject([{ kind: 'import', state: 'queued', request: { jql: 'project = ABC' } }]);

    const again = await post(po, { intent: 'import', by: 'jql', jql: 'project = ABC' });
    expect(again.status).toBe(409);
    expect(again.body.result.error?.jql?.[0]).toMatch(/already running/);

    const page = await loadJiraPage(context, productId, po);
    expect(page.status).toMatchObject({
      scope: { jql: 'project = ABC' },
      jobs: [{ kind: 'import', state: 'queued' }],
    });
  });

  it('saves the field map and the review statuses from the flat form', async () => {
    const missing = await post(po, {
      intent: 'settings',
      storyPoints: 'customfield_10016',
      criteriaKind: 'description-section',
      criteriaHeading: '',
      epicLink: 'parent',
      rank: 'customfield_10019',
      accepted: '',
      rejected: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.result.error?.criteriaHeading?.[0]).toMatch(/heading/);

    const saved = await post(po, {
      intent: 'settings',
      storyPoints: 'customfield_10016',
      criteriaKind: 'description-section',
      criteriaHeading: 'Acceptance criteria',
      criteriaField: 'customfield_1',
      epicLink: '',
      rank: 'customfield_10019',
      accepted: 'Done',
      rejected: '',
      commentDecisions: 'on',
    });
    expect(saved).toMatchObject({ status: 200, body: { message: 'Saved.' } });
    const page = await loadJiraPage(context, productId, po);
    expect(page.status).toMatchObject({
      fieldMap: {
        storyPoints: 'customfield_10016',
        criteria: { kind: 'description-section', heading: 'Acceptance criteria' },
        epicLink: null,
        rank: 'customfield_10019',
      },
      statusMap: { accepted: 'Done', rejected: null },
      commentDecisions: true,
    });
  });

  it('forgets the connection on disconnect', async () => {
    const done = await post(po, { intent: 'disconnect' });
    expect(done.status).toBe(200);
    expect((await loadJiraPage(context, productId, po)).status).toEqual({
      connected: false,
      keysConfigured: true,
    });
  });
});
