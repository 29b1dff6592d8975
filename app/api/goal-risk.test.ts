import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testBackends)('the sprint goal at risk through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  let productId: string;
  let sprintId: string;
  let otherProductId: string;
  let otherSprintId: string;
  const riskPath = (p: string, s: string) => `/products/${p}/sprints/${s}/goal-risk`;
  const respond = (token: string, body: unknown, p = productId, s = sprintId) =>
    post(`${riskPath(p, s)}/responses`, token, body);

  /** A running sprint four days in, 21 points committed and nothing done: at risk. */
  async function lateSprint(product: string, token: string) {
    const sprint = (
      await post(`/products/${product}/sprints`, token, {
        name: 'Sprint 3',
        goal: 'Checkout in one page',
        startDate: day(-4),
        endDate: day(5),
      })
    ).json.id as string;
    for (const [title, estimate] of [
      ['Pay by card', 8],
      ['Address form', 13],
    ] as const) {
      const item = await post(`/products/${product}/items`, token, { title, estimate });
      expect(item.status).toBe(201);
      expect(
        (await post(`/sprints/${sprint}/items`, token, { itemId: item.json.id, reason: 'test' })).status,
      ).toBe(201);
    }
    expect((await call('PATCH', `/sprints/${sprint}`, as(token, { state: 'active' }))).status).toBe(200);
    return sprint;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    for (const name of ['po', 'team', 'stakeholder', 'outsider', 'leaver']) {
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
      ['leaver', 'team_member'],
    ]) {
      const invite = await post(`/products/${productId}/invites`, tokens.po, { role });
      await post(`/invites/${invite.json.token}/accept`, tokens[who]);
    }
    sprintId = await lateSprint(productId, tokens.po);
    otherProductId = (await post('/products', tokens.outsider, { name: 'Other' })).json.id;
    otherSprintId = await lateSprint(otherProductId, tokens.outsider);
  });
  afterAll(() => database.close());

  it('tells everyone in the product that the goal is at risk, with the projection in words', async () => {
    for (const who of ['po', 'team', 'stakeholder']) {
      const read = await call('GET', riskPath(productId, sprintId), as(tokens[who]));
      expect(read.status).toBe(200);
      expect(read.json.projection).toMatchObject({
        state: 'at_risk',
        scope: 21,
        remaining: 21,
        shortfall: 21,
      });
      expect(read.json.summary).toMatch(/^At risk: about 21 of 21 points will not be done by /);
      expect(read.json.history.map((e: { kind: string }) => e.kind)).toEqual(['at_risk']);
      expect(read.json.mayRespond).toBe(who === 'po');
    }
    const log = await call(
      'GET',
      `/products/${productId}/decisions?kind=sprint_goal_at_risk`,
      as(tokens.team),
    );
    expect(log.json.entries).toHaveLength(1);
    expect(log.json.entries[0].after).toMatchObject({ sprintId, state: 'at_risk', shortfall: 21 });
  });

  it('takes the product owner’s response and shows it to stakeholders and in the decision log', async () => {
    const note = 'We cut the address form: pay by card is the goal';
    const answer = await respond(tokens.po, { response: 'scope_cut', note });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ sprintId, response: 'scope_cut', note });
    const read = await call('GET', riskPath(productId, sprintId), as(tokens.stakeholder));
    expect(read.json.history.map((e: { kind: string; note: string }) => [e.kind, e.note])).toEqual([
      ['at_risk', ''],
      ['response', note],
    ]);
    const log = await call(
      'GET',
      `/products/${productId}/decisions?kind=sprint_goal_risk_response`,
      as(tokens.stakeholder),
    );
    expect(log.json.entries.map((e: { reason: string; after: unknown }) => [e.reason, e.after])).toEqual([
      [note, { sprintId, sprintName: 'Sprint 3', response: 'scope_cut' }],
    ]);
  });

  it('refuses the team and stakeholders (403), outsiders, removed members and other products’ sprints (404)', async () => {
    const body = { response: 'accept_risk', note: 'We go on' };
    expect((await respond(tokens.team, body)).status).toBe(403);
    expect((await respond(tokens.stakeholder, body)).status).toBe(403);
    expect((await respond(tokens.outsider, body)).status).toBe(404);
    expect((await call('GET', riskPath(productId, sprintId), as(tokens.outsider))).status).toBe(404);
    // another product's sprint under this product's address: not found, for reading and responding
    expect((await call('GET', riskPath(productId, otherSprintId), as(tokens.po))).status).toBe(404);
    expect((await respond(tokens.po, body, productId, otherSprintId)).status).toBe(404);
    expect((await respond(tokens.outsider, body, otherProductId, sprintId)).status).toBe(404);
    expect((await call('GET', riskPath(productId, 'not-a-uuid'), as(tokens.po))).status).toBe(404);
    // a member removed from the product reads nothing any more
    expect((await call('GET', riskPath(productId, sprintId), as(tokens.leaver))).status).toBe(200);
    expect(
      (await call('DELETE', `/products/${productId}/members/${userIds.leaver}`, as(tokens.po))).status,
    ).toBeLessThan(300);
    expect((await call('GET', riskPath(productId, sprintId), as(tokens.leaver))).status).toBe(404);
    expect((await respond(tokens.leaver, body)).status).toBe(404);
  });

  it('refuses malformed responses (400): an unknown kind, no note, a huge note, extra fields', async () => {
    for (const body of [
      { response: 'panic', note: 'Run' },
      { response: 'swap' },
      { response: 'swap', note: '   ' },
      { response: 'swap', note: 'x'.repeat(2001) },
      { response: 'swap', note: 'ok', extra: true },
      'not an object',
    ]) {
      expect((await respond(tokens.po, body)).status).toBe(400);
    }
    expect(
      (await call('GET', `${riskPath(productId, sprintId)}?timeZone=Mars/Olympus`, as(tokens.po))).status,
    ).toBe(400);
    const history = (await call('GET', riskPath(productId, sprintId), as(tokens.po))).json.history;
    expect(history).toHaveLength(2);
  });

  it('documents both operations in the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    expect(doc.paths['/products/{productId}/sprints/{sprintId}/goal-risk'].get.operationId).toBe(
      'getGoalRisk',
    );
    expect(doc.paths['/products/{productId}/sprints/{sprintId}/goal-risk/responses'].post.operationId).toBe(
      'respondToGoalRisk',
    );
  });
});
