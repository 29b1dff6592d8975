import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '~/context';
import { action as webhookAction } from '~/routes/hooks.jira.$productId';
import { jiraConnector } from '~/services/trackers/jira-connector.server';
import { createSecretBox } from '~/services/trackers/secret-box.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { type JiraStandin, startJiraStandin } from '../../scripts/jira-standin';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('the Jira sync API on %s, as an attacker tries it', (kind) => {
  let database: Database;
  let jira: JiraStandin;
  let services: AppServices;
  let call: ReturnType<typeof apiClient>;
  let kicks = 0;
  const tokens: Record<string, string> = {};
  let productId: string;
  let otherProductId: string;
  const as = (token: string | undefined, body?: unknown): CallOptions => ({ token, body });
  const credentials = () => ({
    kind: 'jira_cloud',
    baseUrl: jira.url,
    email: jira.credentials.email,
    token: jira.credentials.apiToken,
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jira = await startJiraStandin();
    await jira.admin.seedProject({ key: 'API', issues: [{ summary: 'One' }, { summary: 'Two', points: 3 }] });
    services = testServices(database);
    services.trackers = {
      deps: {
        db: database.db,
        log: services.log,
        live: services.live,
        box: createSecretBox([randomBytes(32)]),
        allowPrivateUrls: true,
        connectorFor: (c) => jiraConnector(c),
        publicUrl: null,
      },
      worker: { kick: () => void kicks++, stop: async () => {} },
    };
    call = apiClient(services);
    for (const name of ['po', 'team', 'stakeholder', 'outsider']) {
      await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } });
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await call('POST', '/products', as(tokens.po, { name: 'Synced' }))).json.id;
    otherProductId = (await call('POST', '/products', as(tokens.outsider, { name: 'Theirs' }))).json.id;
    for (const [who, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await call('POST', `/products/${productId}/invites`, as(tokens.po, { role }));
      await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[who]));
    }
  });
  afterAll(async () => {
    await jira?.stop();
    await database?.close();
  });

  it('connects, imports and reports status for the product owner, without ever returning the token', async () => {
    const tested = await call('POST', `/products/${productId}/tracker/test`, as(tokens.po, credentials()));
    expect(tested.status).toBe(200);
    expect(tested.json).toMatchObject({ ok: true, canBrowse: true });
    const connected = await call('PUT', `/products/${productId}/tracker`, as(tokens.po, credentials()));
    expect(connected.status).toBe(200);
    expect(connected.text).not.toContain(jira.credentials.apiToken);
    const started = await call(
      'POST',
      `/products/${productId}/tracker/imports`,
      as(tokens.po, { jql: 'project = API' }),
    );
    expect(started.status).toBe(202);
    expect(kicks).toBeGreaterThan(0);
    const again = await call('POST', `/products/${productId}/tracker/imports`, as(tokens.po, { boardId: 1 }));
    expect(again.status).toBe(409);
    for (const who of ['po', 'team', 'stakeholder']) {
      const status = await call('GET', `/products/${productId}/tracker`, as(tokens[who]));
      expect(status.status).toBe(200);
      expect(status.text).not.toContain(jira.credentials.apiToken);
      expect(status.json.connected).toBe(true);
    }
    const asStakeholder = await call('GET', `/products/${productId}/tracker`, as(tokens.stakeholder));
    expect(asStakeholder.json.accountEmail).toBeNull();
    const document = await call('GET', '/openapi.json');
    expect(Object.keys(document.json.paths)).toEqual(
      expect.arrayContaining([
        '/products/{productId}/tracker',
        '/products/{productId}/tracker/test',
        '/products/{productId}/tracker/imports',
        '/products/{productId}/tracker/sync',
        '/products/{productId}/tracker/fields',
      ]),
    );
  });

  it('refuses the team, stakeholders, outsiders and anonymous callers, and another product’s id', async () => {
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/products/${productId}/tracker/test`, credentials()],
      ['PUT', `/products/${productId}/tracker`, credentials()],
      ['PATCH', `/products/${productId}/tracker`, { commentDecisions: true }],
      ['POST', `/products/${productId}/tracker/imports`, { jql: 'project = API' }],
      ['POST', `/products/${productId}/tracker/sync`, undefined],
      ['DELETE', `/products/${productId}/tracker`, undefined],
      ['GET', `/products/${productId}/tracker/fields`, undefined],
    ];
    for (const [method, path, body] of writes) {
      expect((await call(method, path, as(tokens.team, body))).status, `${method} ${path} as team`).toBe(403);
      expect((await call(method, path, as(tokens.stakeholder, body))).status).toBe(403);
      expect((await call(method, path, as(tokens.outsider, body))).status).toBe(404);
      expect((await call(method, path, as(undefined, body))).status).toBe(401);
    }
    expect((await call('GET', `/products/${productId}/tracker`, as(tokens.outsider))).status).toBe(404);
    // The product owner of one product cannot reach another's connection by its id.
    expect((await call('GET', `/products/${otherProductId}/tracker`, as(tokens.po))).status).toBe(404);
    expect(
      (await call('PUT', `/products/${otherProductId}/tracker`, as(tokens.po, credentials()))).status,
    ).toBe(404);
    expect((await call('GET', '/products/not-a-uuid/tracker', as(tokens.po))).status).toBe(404);
  });

  it('answers malformed and huge input with a clear 400', async () => {
    const bad: unknown[] = [
      {},
      { ...credentials(), kind: 'linear' },
      { ...credentials(), email: 'not-an-email' },
      { ...credentials(), token: 'x'.repeat(5000) },
      { ...credentials(), baseUrl: 'javascript:alert(1)' },
      { ...credentials(), extra: true },
      '{"kind":',
    ];
    for (const body of bad) {
      const answer = await call('POST', `/products/${productId}/tracker/test`, as(tokens.po, body));
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.json.detail).toEqual(expect.any(String));
    }
    for (const body of [{}, { jql: '' }, { jql: 'x'.repeat(3000) }, { boardId: -1 }, { boardId: 'seven' }]) {
      const answer = await call('POST', `/products/${productId}/tracker/imports`, as(tokens.po, body));
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    const settings = await call(
      'PATCH',
      `/products/${productId}/tracker`,
      as(tokens.po, {
        fieldMap: { storyPoints: 'x', criteria: { kind: 'sql' }, epicLink: null, rank: null },
      }),
    );
    expect(settings.status).toBe(400);
  });

  it('the webhook door: only with the product’s secret, only POST, never an error page for junk', async () => {
    const row = await database.db.query.trackerConnections.findFirst();
    const secret = services.trackers!.deps.box!.open(row!.webhookSecret);
    const hook = (id: string, init: RequestInit & { query?: string }) =>
      webhookAction({
        request: new Request(`http://refinery.test/hooks/jira/${id}${init.query ?? ''}`, {
          method: 'POST',
          ...init,
        }),
        params: { productId: id },
        context: { app: services, cspNonce: '' },
      } as never) as Promise<Response>;
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 'API-1' } });
    expect((await hook(productId, { body })).status).toBe(401);
    expect((await hook(productId, { body, query: '?secret=wrong' })).status).toBe(401);
    expect((await hook(otherProductId, { body, query: `?secret=${secret}` })).status).toBe(401);
    expect((await hook('../../etc', { body, query: `?secret=${secret}` })).status).toBe(401);
    expect(
      (await hook(productId, { body: '\u0000garbage', headers: { 'x-hub-signature': 'sha256=zz' } })).status,
    ).toBe(401);
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect((await hook(productId, { body, headers: { 'x-hub-signature': signature } })).status).toBe(204);
    expect((await hook(productId, { body: 'not json at all', query: `?secret=${secret}` })).status).toBe(204);
  });
});
