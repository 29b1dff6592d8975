import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('the backlog stability API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  let productId: string;
  let otherProductId: string;
  const items: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    for (const name of ['po', 'stakeholder', 'outsider']) {
      await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } });
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await post('/products', tokens.po, { name: 'Clinic' })).json.id;
    const invite = await post(`/products/${productId}/invites`, tokens.po, { role: 'stakeholder' });
    expect((await post(`/invites/${invite.json.token}/accept`, tokens.stakeholder)).status).toBe(200);
    for (const title of ['Book a slot', 'Cancel a slot', 'Pay online'])
      items[title] = (await post(`/products/${productId}/items`, tokens.po, { title })).json.id;
    // The outsider's own product, with a move of its own that must not show up in the clinic's numbers.
    otherProductId = (await post('/products', tokens.outsider, { name: 'Secret' })).json.id;
    const secret = [];
    for (const title of ['Secret one', 'Secret two'])
      secret.push((await post(`/products/${otherProductId}/items`, tokens.outsider, { title })).json.id);
    expect(
      (await post(`/items/${secret[1]}/move`, tokens.outsider, { position: 'top', reason: 'Secret plan' }))
        .status,
    ).toBe(200);
  });
  afterAll(() => database.close());

  it('shows a stakeholder the week’s moves with their reasons', async () => {
    expect(
      (
        await post(`/items/${items['Pay online']}/move`, tokens.po, {
          position: 'top',
          reason: 'The insurer needs it first',
        })
      ).status,
    ).toBe(200);
    expect(
      (await post(`/items/${items['Book a slot']}/move`, tokens.po, { position: 'bottom' })).status,
    ).toBe(200);
    const answer = await call('GET', `/products/${productId}/metrics/stability`, as(tokens.stakeholder));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ windowWeeks: 12, backlogSize: 3, timeZone: 'UTC' });
    expect(answer.json.weeks).toHaveLength(1);
    const [week] = answer.json.weeks;
    expect(week).toMatchObject({ itemsMoved: 2, largestMove: 2, reshuffle: false });
    expect(week.isoWeek).toMatch(/^\d{4}-W\d{2}$/);
    expect(
      week.moves.map((m: Record<string, unknown>) => [m.title, m.from, m.to, m.reason, m.noReason, m.actor]),
    ).toEqual([
      ['Pay online', 3, 1, 'The insurer needs it first', false, 'po'],
      ['Book a slot', 2, 3, '', true, 'po'],
    ]);
    expect(JSON.stringify(answer.json)).not.toContain('Secret');
    expect(Number.isNaN(Date.parse(week.moves[0].at))).toBe(false);

    const zoned = await call(
      'GET',
      `/products/${productId}/metrics/stability?weeks=52&timeZone=Pacific/Kiritimati`,
      as(tokens.stakeholder),
    );
    expect(zoned.status).toBe(200);
    expect(zoned.json).toMatchObject({ windowWeeks: 52, timeZone: 'Pacific/Kiritimati' });
  });

  it('answers 404 to outsiders, for other products and for products that do not exist', async () => {
    const path = (id: string) => `/products/${id}/metrics/stability`;
    expect((await call('GET', path(productId), as(tokens.outsider))).status).toBe(404);
    // A member of one product asking for another product's id learns nothing about it.
    const foreign = await call('GET', path(otherProductId), as(tokens.stakeholder));
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.json)).not.toContain('Secret');
    expect((await call('GET', path(crypto.randomUUID()), as(tokens.po))).status).toBe(404);
    expect((await call('GET', path('not-a-uuid'), as(tokens.po))).status).toBe(404);
    expect((await call('GET', path(productId))).status).toBe(401);
  });

  it('refuses a bad number of weeks or an unknown time zone with 400', async () => {
    for (const weeks of ['0', '53', '-1', '1.5', 'twelve', '1e3', ''])
      expect(
        (await call('GET', `/products/${productId}/metrics/stability?weeks=${weeks}`, as(tokens.po))).status,
        `weeks=${weeks}`,
      ).toBe(400);
    const answer = await call('GET', `/products/${productId}/metrics/stability?weeks=99`, as(tokens.po));
    expect(JSON.stringify(answer.json)).toContain('weeks must be a whole number from 1 to 52');
    const zone = await call(
      'GET',
      `/products/${productId}/metrics/stability?timeZone=Mars/Olympus`,
      as(tokens.po),
    );
    expect(zone.status).toBe(400);
    expect(JSON.stringify(zone.json)).toContain('timeZone must be an IANA time zone');
    // An outsider with a bad query is told 400 or 404, never the product's numbers.
    const probe = await call('GET', `/products/${productId}/metrics/stability?weeks=0`, as(tokens.outsider));
    expect([400, 404]).toContain(probe.status);
  });

  it('is in the OpenAPI document next to the other metrics', async () => {
    const document = (await call('GET', '/openapi.json')).json;
    const operation = document.paths['/products/{productId}/metrics/stability'].get;
    expect(operation).toMatchObject({ operationId: 'getBacklogStability', tags: ['Metrics'] });
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['productId', 'weeks', 'timeZone']),
    );
  });
});
