import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateDefinition } from '~/services/backlog/definitions.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testBackends)('the technical-debt share through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const putShare = (productId: string, token: string, body: unknown) =>
    call('PUT', `/products/${productId}/debt-share`, as(token, body));
  let productId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    for (const name of ['po', 'team', 'stakeholder', 'outsider']) {
      userIds[name] = (
        await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } })
      ).json.id;
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await post('/products', tokens.po, { name: 'Shop' })).json.id;
    for (const [who, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await post(`/products/${productId}/invites`, tokens.po, { role });
      await post(`/invites/${invite.json.token}/accept`, tokens[who]);
    }
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [{ id: 'tests', text: 'Automated tests' }],
    });
  });
  afterAll(() => database.close());

  it('lets the product owner set and clear the share, shows it in the product and logs each change', async () => {
    expect((await call('GET', `/products/${productId}`, as(tokens.team))).json.techDebtShare).toBeNull();
    const set = await putShare(productId, tokens.po, { share: 20, reason: 'Agreed with the team' });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ share: 20, changed: true });
    expect((await call('GET', `/products/${productId}`, as(tokens.stakeholder))).json.techDebtShare).toBe(20);
    expect((await putShare(productId, tokens.po, { share: 20 })).json).toEqual({ share: 20, changed: false });
    expect((await putShare(productId, tokens.po, { share: null })).json).toEqual({
      share: null,
      changed: true,
    });
    expect((await putShare(productId, tokens.po, { share: 20 })).status).toBe(200);

    const log = await call(
      'GET',
      `/products/${productId}/decisions?kind=debt_share_changed`,
      as(tokens.team),
    );
    expect(log.status).toBe(200);
    expect(
      log.json.entries.map((e: { before: unknown; after: unknown; reason: string }) => [
        e.before,
        e.after,
        e.reason,
      ]),
    ).toEqual([
      [{ share: null }, { share: 20 }, ''],
      [{ share: 20 }, { share: null }, ''],
      [{ share: null }, { share: 20 }, 'Agreed with the team'],
    ]);
  });

  it('refuses the team and stakeholders (403), hides the product from outsiders (404), and refuses bad shares (400)', async () => {
    expect((await putShare(productId, tokens.team, { share: 50 })).status).toBe(403);
    expect((await putShare(productId, tokens.stakeholder, { share: 50 })).status).toBe(403);
    expect((await putShare(productId, tokens.outsider, { share: 50 })).status).toBe(404);
    expect((await putShare('00000000-0000-4000-8000-000000000000', tokens.po, { share: 50 })).status).toBe(
      404,
    );
    for (const share of [150, -5, 12.5, '20', true])
      expect((await putShare(productId, tokens.po, { share })).status, String(share)).toBe(400);
    expect((await putShare(productId, tokens.po, {})).status).toBe(400);
    expect((await putShare(productId, tokens.po, { share: 20, admin: true })).status).toBe(400);
    const refused = await putShare(productId, tokens.po, { share: 150 });
    expect(JSON.stringify(refused.json)).toContain('above 100 %');
    expect((await call('GET', `/products/${productId}`, as(tokens.po))).json.techDebtShare).toBe(20);
  });

  it('keeps a debt item’s impact, at most 500 characters', async () => {
    const created = await post(`/products/${productId}/items`, tokens.team, {
      title: 'Untangle the checkout module',
      type: 'tech_debt',
      estimate: 5,
      debtImpact: 'Adds 2 days to every feature in checkout',
    });
    expect(created.status).toBe(201);
    expect(created.json.debtImpact).toBe('Adds 2 days to every feature in checkout');
    const id = created.json.id;
    const long = await call('PATCH', `/items/${id}`, as(tokens.team, { debtImpact: 'x'.repeat(10_000) }));
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.json)).toContain('at most 500 characters');
    const edited = await call('PATCH', `/items/${id}`, as(tokens.team, { debtImpact: ' Adds 3 days ' }));
    expect(edited.status).toBe(200);
    expect((await call('GET', `/items/${id}`, as(tokens.stakeholder))).json.debtImpact).toBe('Adds 3 days');
    expect((await call('PATCH', `/items/${id}`, as(tokens.stakeholder, { debtImpact: 'Free' }))).status).toBe(
      403,
    );
  });

  it('reports per closed sprint the share of accepted points that were debt, against the share then in force', async () => {
    const item = async (title: string, type: string, estimate: number) =>
      (await post(`/products/${productId}/items`, tokens.po, { title, type, estimate })).json.id as string;
    const debt = await item('Replace the payment client', 'tech_debt', 4);
    const story = await item('Pay by invoice', 'story', 12);
    const sprintId = (
      await post(`/products/${productId}/sprints`, tokens.po, {
        name: 'Sprint 1',
        startDate: day(-13),
        endDate: day(0),
        goal: 'Invoices',
      })
    ).json.id;
    for (const itemId of [debt, story])
      expect(
        (await post(`/sprints/${sprintId}/items`, tokens.po, { itemId, reason: 'Not ready, planned anyway' }))
          .status,
      ).toBe(201);
    expect((await call('PATCH', `/sprints/${sprintId}`, as(tokens.po, { state: 'active' }))).status).toBe(
      200,
    );
    for (const itemId of [debt, story])
      expect(
        (await post(`/sprints/${sprintId}/items/${itemId}/done`, tokens.team, { done: true })).status,
      ).toBe(204);
    expect((await post(`/sprints/${sprintId}/review`, tokens.po)).status).toBe(201);
    for (const itemId of [debt, story]) {
      await post(`/sprints/${sprintId}/items/${itemId}/lines`, tokens.po, { line: 'dod:tests', met: true });
      expect((await post(`/sprints/${sprintId}/items/${itemId}/accept`, tokens.po)).status).toBe(200);
    }
    expect(
      (await post(`/sprints/${sprintId}/close`, tokens.po, { goalMet: true, note: 'Reviewed' })).status,
    ).toBe(200);
    // The share changes after the sprint closed: the sprint is judged by the share it was planned with.
    expect((await putShare(productId, tokens.po, { share: 10 })).status).toBe(200);

    const history = await call('GET', `/products/${productId}/debt-share`, as(tokens.stakeholder));
    expect(history.status).toBe(200);
    expect(history.json.share).toBe(10);
    expect(history.json.sprints).toEqual([
      expect.objectContaining({
        sprintId,
        name: 'Sprint 1',
        share: 20,
        acceptedPoints: 16,
        debtPoints: 4,
        percent: 25,
        status: 'on',
        unestimatedDebt: 0,
      }),
    ]);
    expect((await call('GET', `/products/${productId}/debt-share`, as(tokens.outsider))).status).toBe(404);
  });
});
