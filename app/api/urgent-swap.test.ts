import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testBackends)('urgent requests into the running sprint through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let team: Awaited<ReturnType<typeof apiTeam>>;
  let otherProductId: string;
  let otherRequestId: string;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const base = () => `/products/${team.productId}`;
  const impact = (token: string, requestId: string, query = '?points=3', product = team.productId) =>
    call('GET', `/products/${product}/requests/${requestId}/urgent-impact${query}`, as(token));
  const swap = (token: string, requestId: string, body: unknown, product = team.productId) =>
    post(`/products/${product}/requests/${requestId}/swap-into-sprint`, token, body);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    team = await apiTeam(call, {
      team: 'team_member',
      sam: 'stakeholder',
      leaver: 'stakeholder',
      outsider: null,
    });
    const t = team.tokens;
    otherProductId = (await post('/products', t.outsider, { name: 'Elsewhere' })).json.id;
    otherRequestId = (
      await post(`/products/${otherProductId}/requests`, t.outsider, {
        title: 'Theirs',
        problem: 'Elsewhere',
        urgent: true,
      })
    ).json.id;
    const sprint = (
      await post(`${base()}/sprints`, t.po, {
        name: 'Sprint 5',
        goal: 'Refunds',
        startDate: day(-1),
        endDate: day(8),
      })
    ).json.id as string;
    for (const [title, estimate] of [
      ['Refund by card', 5],
      ['Refund email', 3],
    ] as const) {
      const item = await post(`${base()}/items`, t.po, { title, estimate });
      expect(
        (await post(`/sprints/${sprint}/items`, t.po, { itemId: item.json.id, reason: 'test' })).status,
      ).toBe(201);
    }
    expect((await call('PATCH', `/sprints/${sprint}`, as(t.po, { state: 'active' }))).status).toBe(200);
  });
  afterAll(() => database.close());

  it('assesses and swaps for the product owner, and lists both operations in the OpenAPI document', async () => {
    const t = team.tokens;
    const request = (
      await post(`${base()}/requests`, t.sam, { title: 'Refunds fail', problem: 'x', urgent: true })
    ).json;
    const read = await impact(t.po, request.id);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ loadBefore: 8, loadAfter: 8, displacedPoints: 3, budget: 8 });
    expect(read.json.displaced.map((d: { title: string }) => d.title)).toEqual(['Refund email']);
    const done = await swap(t.po, request.id, {
      tradeOff: 'Refunds fail for everyone; the email waits',
      expectedDisplaced: read.json.expectedDisplaced,
      points: 3,
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ requestState: 'accepted', displacedPoints: 3 });
    const again = await swap(t.po, request.id, { tradeOff: 'again', expectedDisplaced: [] });
    expect(again.status).toBe(409);

    const doc = await call('GET', '/openapi.json');
    const paths = Object.keys(doc.json.paths);
    expect(paths).toContain('/products/{productId}/requests/{requestId}/urgent-impact');
    expect(paths).toContain('/products/{productId}/requests/{requestId}/swap-into-sprint');
  });

  it('refuses attackers and bad input: the team, stakeholders, removed members, other products, malformed bodies', async () => {
    const t = team.tokens;
    const request = (
      await post(`${base()}/requests`, t.leaver, { title: 'Mine', problem: 'x', urgent: true })
    ).json;
    const body = { tradeOff: 'Because', expectedDisplaced: [] as string[], points: 1 };
    for (const who of [t.team, t.sam, t.leaver]) {
      expect((await impact(who, request.id)).status).toBe(403);
      expect((await swap(who, request.id, body)).status).toBe(403);
    }
    expect((await call('DELETE', `${base()}/members/${team.userIds.leaver}`, as(t.po))).status).toBe(204);
    expect((await impact(t.leaver, request.id)).status).toBe(404);
    expect((await swap(t.leaver, request.id, body)).status).toBe(404);
    // an outsider, and another product's request through this product
    expect((await impact(t.outsider, request.id)).status).toBe(404);
    expect((await impact(t.po, otherRequestId)).status).toBe(404);
    expect((await swap(t.po, otherRequestId, body)).status).toBe(404);
    expect((await impact(t.outsider, request.id, '?points=1', otherProductId)).status).toBe(404);
    expect((await impact(t.po, 'not-a-uuid')).status).toBe(404);

    // the trade-off is required and bounded; ids must be ids; points a whole number
    const bad = [
      { expectedDisplaced: [] },
      { tradeOff: '   ', expectedDisplaced: [] },
      { tradeOff: 'x'.repeat(2001), expectedDisplaced: [] },
      { tradeOff: 'ok', expectedDisplaced: ['not-an-id'] },
      { tradeOff: 'ok', expectedDisplaced: 'x' },
      { tradeOff: 'ok' },
      { tradeOff: 'ok', expectedDisplaced: [], points: 2.5 },
      { tradeOff: 'ok', expectedDisplaced: [], points: -1 },
      { tradeOff: 'ok', expectedDisplaced: [], extra: true },
      { tradeOff: 'ok', expectedDisplaced: Array.from({ length: 201 }, () => crypto.randomUUID()) },
    ];
    for (const b of bad)
      expect((await swap(t.po, request.id, b)).status, JSON.stringify(b).slice(0, 80)).toBe(400);
    const missing = await swap(t.po, request.id, { expectedDisplaced: [] });
    expect(JSON.stringify(missing.json)).toContain('Write the trade-off');
    expect((await impact(t.po, request.id, '?points=lots')).status).toBe(400);
    // and what is refused for its state says why
    const unestimated = await impact(t.po, request.id, '');
    expect(unestimated.status).toBe(409);
    expect(JSON.stringify(unestimated.json)).toContain('Estimate the request first');
    const plain = (await post(`${base()}/requests`, t.sam, { title: 'Later', problem: 'x' })).json;
    const notUrgent = await impact(t.po, plain.id);
    expect(notUrgent.status).toBe(409);
    expect(JSON.stringify(notUrgent.json)).toContain('This request is not marked urgent');
  });
});
