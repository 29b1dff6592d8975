import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { computeEpicBurnup } from '~/services/metrics/burndown.server';
import { resolveDashboardLink } from '~/services/metrics/dashboard-links.server';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testBackends)('metrics and forecasts API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));

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
  });
  afterAll(() => database.close());

  async function product(name: string) {
    const productId = (await post('/products', tokens.po, { name })).json.id as string;
    for (const [who, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await post(`/products/${productId}/invites`, tokens.po, { role });
      await post(`/invites/${invite.json.token}/accept`, tokens[who]);
    }
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'ready',
      checklist: [{ id: 'small', text: 'Small enough' }],
    });
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [{ id: 'tests', text: 'Automated tests' }],
    });
    return productId;
  }

  async function item(productId: string, title: string, estimate: number | null, ready = true) {
    const created = await post(
      `/products/${productId}/items`,
      tokens.po,
      estimate === null ? { title } : { title, estimate },
    );
    expect(created.status, title).toBe(201);
    if (ready)
      expect(
        (await call('PATCH', `/items/${created.json.id}`, as(tokens.po, { readyChecks: { small: true } })))
          .status,
      ).toBe(200);
    return created.json.id as string;
  }

  /** One sprint through planning, done, review and close: accepted and rejected items by id. */
  async function runSprint(
    productId: string,
    name: string,
    dates: [string, string],
    accept: string[],
    reject: string[] = [],
  ) {
    const sprintId = (
      await post(`/products/${productId}/sprints`, tokens.po, {
        name,
        startDate: dates[0],
        endDate: dates[1],
        goal: `Goal of ${name}`,
      })
    ).json.id;
    for (const itemId of [...accept, ...reject]) {
      const added = await post(`/sprints/${sprintId}/items`, tokens.po, {
        itemId,
        reason: 'Planned in the test',
      });
      expect(added.status, `add to ${name}`).toBe(201);
    }
    expect((await call('PATCH', `/sprints/${sprintId}`, as(tokens.po, { state: 'active' }))).status).toBe(
      200,
    );
    for (const itemId of [...accept, ...reject])
      expect(
        (await post(`/sprints/${sprintId}/items/${itemId}/done`, tokens.team, { done: true })).status,
      ).toBe(204);
    expect((await post(`/sprints/${sprintId}/review`, tokens.po)).status).toBe(201);
    for (const itemId of accept) {
      await post(`/sprints/${sprintId}/items/${itemId}/lines`, tokens.po, { line: 'dod:tests', met: true });
      expect((await post(`/sprints/${sprintId}/items/${itemId}/accept`, tokens.po)).status).toBe(200);
    }
    for (const itemId of reject) {
      await post(`/sprints/${sprintId}/items/${itemId}/lines`, tokens.po, { line: 'dod:tests', met: false });
      const rejected = await post(`/sprints/${sprintId}/items/${itemId}/reject`, tokens.po, {
        feedback: [{ line: 'dod:tests', needed: 'Tests for the failure path' }],
      });
      expect(rejected.status).toBe(200);
    }
    expect(
      (
        await post(`/sprints/${sprintId}/close`, tokens.po, {
          goalMet: reject.length === 0,
          note: 'Reviewed',
        })
      ).status,
    ).toBe(200);
    return sprintId as string;
  }

  it('forecasts every item as a range from three closed sprints, with an honest "not enough history" before', async () => {
    const productId = await product('Clinic');
    const [a, b, c, d, r, e] = [
      await item(productId, 'A', 5),
      await item(productId, 'B', 3),
      await item(productId, 'C', 8),
      await item(productId, 'D', 2, false), // pulled in not ready, with a reason
      await item(productId, 'R', 3),
      await item(productId, 'E', 13),
    ];
    const g = await item(productId, 'G', 5);
    const h = await item(productId, 'H', 8);
    const i = await item(productId, 'I', null);
    const j = await item(productId, 'J', 21);

    const epic = (await post(`/products/${productId}/items`, tokens.po, { title: 'Booking', type: 'epic' }))
      .json.id as string;
    for (const child of [a, c])
      expect((await call('PATCH', `/items/${child}`, as(tokens.po, { parentId: epic }))).status).toBe(200);

    const none = await call('GET', `/products/${productId}/forecast`, as(tokens.stakeholder));
    expect(none.status).toBe(200);
    expect(none.json.range).toBeNull();
    expect(none.json.items.map((f: { kind: string }) => f.kind)).toEqual(Array(11).fill('no_history'));
    expect(none.json.items[0].label).toBe('Not enough history (0 of 3 sprints)');
    expect((await call('GET', `/products/${productId}/velocity`, as(tokens.po))).json).toEqual({
      sprints: [],
      range: null,
    });

    await runSprint(productId, 'Sprint 1', ['2026-10-05', '2026-10-16'], [a, b]); // 8
    const one = await call('GET', `/products/${productId}/forecast?itemId=${g}`, as(tokens.po));
    expect(one.json.items).toEqual([
      expect.objectContaining({
        itemId: g,
        kind: 'no_history',
        label: 'Not enough history (1 of 3 sprints)',
      }),
    ]);
    await runSprint(productId, 'Sprint 2', ['2026-10-19', '2026-10-30'], [c, d], [r]); // 10; R goes back to the top
    await runSprint(productId, 'Sprint 3', ['2026-11-02', '2026-11-13'], [e]); // 13

    const velocity = await call('GET', `/products/${productId}/velocity`, as(tokens.stakeholder));
    expect(
      velocity.json.sprints.map((s: { name: string; accepted: number }) => [s.name, s.accepted]),
    ).toEqual([
      ['Sprint 1', 8],
      ['Sprint 2', 10],
      ['Sprint 3', 13],
    ]);
    expect(velocity.json.range).toEqual({ lowest: 8, average: 10.3, highest: 13, sprints: 3 });

    // Order now: R 3 (rejected, back on top), G 5, H 8, I unestimated, J 21. Sprint 4 is the first to take them.
    const forecast = await call('GET', `/products/${productId}/forecast`, as(tokens.stakeholder));
    const byTitle = Object.fromEntries(forecast.json.items.map((f: { title: string }) => [f.title, f]));
    expect(Object.keys(byTitle)).toEqual(['R', 'G', 'H', 'I', 'J', 'Booking']); // the epic's stories are done: it is an item again
    expect(byTitle.R).toMatchObject({
      earliest: 4,
      likely: 4,
      latest: 4,
      pointsThrough: 3,
      label: 'In Sprint 4',
    });
    expect(byTitle.G).toMatchObject({ earliest: 4, latest: 4, pointsThrough: 8 });
    expect(byTitle.H).toMatchObject({ earliest: 5, likely: 5, latest: 5, pointsThrough: 16 }); // 16/13 → 2, 16/8 → 2
    expect(byTitle.I).toMatchObject({ unestimatedThrough: 1, pointsThrough: 16 });
    expect(byTitle.J).toMatchObject({
      earliest: 6, // ceil(37 / 13) = 3
      likely: 7, // ceil(37 / 10.3) = 4
      latest: 8, // ceil(37 / 8) = 5
      label: 'Between Sprint 6 and Sprint 8 or later (unestimated items above)',
      from: '2026-12-14', // sprints start every 14 days: Sprint 3 on 2 November, Sprint 6 six weeks later
      to: '2027-01-24', // Sprint 8 starts on 11 January and lasts 14 days
    });

    // Moving J to the top changes its forecast at once.
    expect((await post(`/items/${j}/move`, tokens.po, { position: 'top' })).status).toBe(200);
    const moved = await call('GET', `/products/${productId}/forecast?itemId=${j}`, as(tokens.po));
    expect(moved.json.items[0]).toMatchObject({ earliest: 5, latest: 6, pointsThrough: 21 });
    expect((await call('GET', `/products/${productId}/forecast?itemId=${a}`, as(tokens.po))).status).toBe(
      404,
    );
    expect((await call('GET', `/products/${productId}/forecast`, as(tokens.outsider))).status).toBe(404);
    expect((await call('GET', `/products/${productId}/forecast?itemId=nope`, as(tokens.po))).status).toBe(
      400,
    );
    expect(h && i).toBeTruthy();

    // Burn-up of the epic: A (5) accepted in Sprint 1, C (8) in Sprint 2.
    expect(await computeEpicBurnup(database.db, { id: epic, productId })).toEqual([
      { label: 'Sprint 1', scope: 13, done: 5 },
      { label: 'Sprint 2', scope: 13, done: 13 },
      { label: 'Sprint 3', scope: 13, done: 13 },
    ]);

    const quality = await call('GET', `/products/${productId}/quality`, as(tokens.stakeholder));
    expect(quality.json.overall).toEqual({ rejectionRate: 0.167, notReadyShare: 0.167 });
    expect(
      quality.json.sprints.map((s: { rejectionRate: number; notReadyShare: number }) => [
        s.rejectionRate,
        s.notReadyShare,
      ]),
    ).toEqual([
      [0, 0],
      [0.333, 0.333],
      [0, 0],
    ]);
  });

  it('draws a running sprint’s burndown from the decision log', async () => {
    const productId = await product('Burndown');
    const a = await item(productId, 'A', 5);
    const b = await item(productId, 'B', 3);
    const c = await item(productId, 'C', 2);
    const sprintId = (
      await post(`/products/${productId}/sprints`, tokens.po, {
        name: 'Now',
        startDate: day(0),
        endDate: day(9),
      })
    ).json.id;
    for (const itemId of [a, b])
      await post(`/sprints/${sprintId}/items`, tokens.po, { itemId, reason: 'Planned' });
    expect((await call('PATCH', `/sprints/${sprintId}`, as(tokens.po, { state: 'active' }))).status).toBe(
      200,
    );
    await post(`/sprints/${sprintId}/items`, tokens.po, { itemId: c, reason: 'Urgent' }); // scope added after the start
    await post(`/sprints/${sprintId}/items/${a}/done`, tokens.team, { done: true });

    const answer = await call('GET', `/sprints/${sprintId}/burndown`, as(tokens.stakeholder));
    expect(answer.status).toBe(200);
    expect(answer.json.committed).toBe(8);
    expect(answer.json.days).toHaveLength(10);
    expect(answer.json.days[0]).toMatchObject({
      date: day(0),
      remaining: 5,
      completed: 5,
      added: 2,
      removed: 0,
      ideal: 8,
    });
    expect(answer.json.days.slice(1).every((d: { remaining: number | null }) => d.remaining === null)).toBe(
      true,
    );
    expect((await call('GET', `/sprints/${sprintId}/burndown`, as(tokens.outsider))).status).toBe(404);
    expect((await call('GET', `/sprints/${crypto.randomUUID()}/burndown`, as(tokens.po))).status).toBe(404);
  });

  it('creates and revokes dashboard share links (product owner only)', async () => {
    const productId = await product('Sharing');
    const epic = await item(productId, 'Online booking', null);
    expect(
      (await post(`/products/${productId}/dashboard-links`, tokens.stakeholder, { label: 'Board' })).status,
    ).toBe(403);
    expect((await post(`/products/${productId}/dashboard-links`, tokens.po, { label: ' ' })).status).toBe(
      400,
    );
    expect(
      (
        await post(`/products/${productId}/dashboard-links`, tokens.po, {
          label: 'Board',
          itemIds: [crypto.randomUUID()],
        })
      ).status,
    ).toBe(400);
    const created = await post(`/products/${productId}/dashboard-links`, tokens.po, {
      label: 'Clinic board',
      expiresInDays: 7,
      itemIds: [epic],
    });
    expect(created.status).toBe(201);
    expect(created.json.url).toMatch(/\/share\/dashboard\/dash_[\w-]{43}$/);
    expect(created.json.itemIds).toEqual([epic]);
    const link = await resolveDashboardLink(database.db, created.json.token);
    expect(link).toMatchObject({ productId, label: 'Clinic board', itemIds: [epic] });

    expect(
      (await call('DELETE', `/products/${productId}/dashboard-links/${created.json.id}`, as(tokens.team)))
        .status,
    ).toBe(403);
    expect(
      (await call('DELETE', `/products/${productId}/dashboard-links/${created.json.id}`, as(tokens.po)))
        .status,
    ).toBe(204);
    expect(
      (await call('DELETE', `/products/${productId}/dashboard-links/${created.json.id}`, as(tokens.po)))
        .status,
    ).toBe(404);
    await expect(resolveDashboardLink(database.db, created.json.token)).rejects.toMatchObject({
      code: 'gone',
    });
    await expect(resolveDashboardLink(database.db, `${created.json.token}x`)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
