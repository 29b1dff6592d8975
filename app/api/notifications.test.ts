import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { notify } from '~/services/notifications/notify.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testBackends)('notifications through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  let productId: string;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const mine = async (token: string, query = '') =>
    (await call('GET', `/me/notifications${query}`, as(token))).json;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    ({ tokens, userIds, productId } = await apiTeam(call, {
      team: 'team_member',
      stakeholder: 'stakeholder',
      leaver: 'stakeholder',
      outsider: null,
    }));
  });
  afterAll(() => database.close());

  it('tells the team and stakeholders, not the one who opened it, that votes are open, with a link', async () => {
    const itemId = (await post(`/products/${productId}/items`, tokens.po, { title: 'Dark mode' })).json.id;
    const session = await post(`/products/${productId}/sessions`, tokens.po, {
      title: 'Q3 priorities',
      kind: 'prioritisation',
      agenda: [itemId],
      methods: ['dots'],
    });
    expect((await post(`/sessions/${session.json.id}/voting/open`, tokens.po)).status).toBeLessThan(300);
    for (const who of ['team', 'stakeholder', 'leaver']) {
      const list = await mine(tokens[who]);
      expect(list.unreadCount, who).toBe(1);
      expect(list.notifications[0]).toMatchObject({
        kind: 'votes_opened',
        text: 'Votes are open in “Q3 priorities”',
        link: `/products/${productId}/sessions/${session.json.id}`,
        readAt: null,
        productId,
      });
    }
    expect((await mine(tokens.po)).notifications).toEqual([]);
    expect((await mine(tokens.outsider)).notifications).toEqual([]);
    // A guest of the session, by its link: no notifications of anyone's, no way to mark them.
    const guest = await call('POST', `/join/${session.json.joinCode}`, {
      body: { displayName: 'Gil Guest' },
    });
    expect(guest.status).toBe(201);
    expect((await call('GET', '/me/notifications', as(guest.json.guestToken))).status).toBe(401);
    expect((await post('/me/notifications/read', guest.json.guestToken, { all: true })).status).toBe(401);
  });

  it('shows each person only their own, and nothing from a product they were removed from', async () => {
    const before = await mine(tokens.leaver);
    expect(before.unreadCount).toBe(1);
    expect(
      (await call('DELETE', `/products/${productId}/members/${userIds.leaver}`, as(tokens.po))).status,
    ).toBe(204);
    const after = await mine(tokens.leaver);
    expect(after).toMatchObject({ notifications: [], unreadCount: 0 });
    // Marking it read is refused too: it is not theirs to see any more.
    const id = before.notifications[0].id;
    expect((await post('/me/notifications/read', tokens.leaver, { ids: [id] })).status).toBe(404);
  });

  it('refuses to mark another person’s notification read, and marks one or all of one’s own', async () => {
    const theirs = (await mine(tokens.stakeholder)).notifications[0].id;
    const refused = await post('/me/notifications/read', tokens.team, { ids: [theirs] });
    expect(refused.status).toBe(404);
    expect((await mine(tokens.stakeholder)).unreadCount).toBe(1);
    const own = (await mine(tokens.team)).notifications[0].id;
    // One of mine and one of theirs: nothing is marked.
    expect((await post('/me/notifications/read', tokens.team, { ids: [own, theirs] })).status).toBe(404);
    expect((await mine(tokens.team)).unreadCount).toBe(1);
    expect((await post('/me/notifications/read', tokens.team, { ids: [own] })).json).toEqual({ marked: 1 });
    expect((await mine(tokens.team)).unreadCount).toBe(0);
    expect((await mine(tokens.team, '?unread=true')).notifications).toEqual([]);
    expect((await mine(tokens.team)).notifications[0].readAt).not.toBeNull();
    expect((await post('/me/notifications/read', tokens.stakeholder, { all: true })).json).toEqual({
      marked: 1,
    });
    for (const body of [
      {},
      { ids: [] },
      { ids: ['nope'] },
      { all: false },
      { ids: Array(101).fill(own) },
      'x',
    ])
      expect((await post('/me/notifications/read', tokens.team, body)).status, JSON.stringify(body)).toBe(
        400,
      );
    expect((await call('GET', '/me/notifications?limit=1000', as(tokens.team))).status).toBe(400);
    for (const before of [
      'junk',
      `2026-99-99T99:99:99.000Z~${own}`,
      `2026-01-01T00:00:00.000Z~${'-'.repeat(36)}`,
    ])
      expect(
        (await call('GET', `/me/notifications?before=${encodeURIComponent(before)}`, as(tokens.team))).status,
        before,
      ).toBe(400);
    expect((await call('GET', '/me/notifications')).status).toBe(401);
  });

  it('pages newest first', async () => {
    const db = database.db;
    for (let i = 1; i <= 5; i++)
      await notify(db, {
        productId,
        kind: 'sprint_goal_at_risk',
        to: { userIds: [userIds.team] },
        text: `Note ${i}`,
        link: `/products/${productId}`,
      });
    const first = await mine(tokens.team, '?limit=2');
    expect(first.notifications.map((n: { text: string }) => n.text)).toEqual(['Note 5', 'Note 4']);
    const second = await mine(tokens.team, `?limit=2&before=${encodeURIComponent(first.nextBefore)}`);
    expect(second.notifications.map((n: { text: string }) => n.text)).toEqual(['Note 3', 'Note 2']);
  });

  it('tells whoever asked for an item (its creator, its voters) when the review accepts or rejects it', async () => {
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [{ id: 'tests', text: 'Automated tests' }],
    });
    const item = async (title: string) =>
      (await post(`/products/${productId}/items`, tokens.team, { title, estimate: 3 })).json.id as string;
    const wanted = await item('Export invoices');
    const unwanted = await item('Print invoices');
    // The stakeholder votes for the first in a prioritisation session.
    const session = await post(`/products/${productId}/sessions`, tokens.po, {
      title: 'Invoices',
      kind: 'prioritisation',
      agenda: [wanted, unwanted],
      methods: ['dots'],
    });
    await post(`/sessions/${session.json.id}/voting/open`, tokens.po);
    await post(`/sessions/${session.json.id}/join`, tokens.stakeholder, { spectator: false });
    expect(
      (await post(`/sessions/${session.json.id}/dots`, tokens.stakeholder, { itemId: wanted, dots: 2 }))
        .status,
    ).toBeLessThan(300);
    await post('/me/notifications/read', tokens.team, { all: true });
    await post('/me/notifications/read', tokens.stakeholder, { all: true });

    const sprintId = (
      await post(`/products/${productId}/sprints`, tokens.po, {
        name: 'Sprint 1',
        startDate: day(-13),
        endDate: day(0),
        goal: 'Invoices',
      })
    ).json.id;
    for (const itemId of [wanted, unwanted])
      await post(`/sprints/${sprintId}/items`, tokens.po, { itemId, reason: 'Planned' });
    await call('PATCH', `/sprints/${sprintId}`, as(tokens.po, { state: 'active' }));
    for (const itemId of [wanted, unwanted])
      await post(`/sprints/${sprintId}/items/${itemId}/done`, tokens.team, { done: true });
    expect((await post(`/sprints/${sprintId}/review`, tokens.po)).status).toBe(201);
    await post(`/sprints/${sprintId}/items/${wanted}/lines`, tokens.po, { line: 'dod:tests', met: true });
    expect((await post(`/sprints/${sprintId}/items/${wanted}/accept`, tokens.po)).status).toBe(200);
    await post(`/sprints/${sprintId}/items/${unwanted}/lines`, tokens.po, { line: 'dod:tests', met: false });
    expect(
      (
        await post(`/sprints/${sprintId}/items/${unwanted}/reject`, tokens.po, {
          feedback: [{ line: 'dod:tests', needed: 'Tests for the PDF layout' }],
        })
      ).status,
    ).toBe(200);

    // (The sprint's goal at risk is news too, told to everyone: this test reads the review's notifications.)
    type Told = { kind: string; text: string; link: string };
    const reviewKinds = (list: Told[]) => list.filter((n) => n.kind.startsWith('item_'));
    const team = reviewKinds((await mine(tokens.team, '?unread=true')).notifications);
    expect(team.map((n: { kind: string; text: string }) => [n.kind, n.text])).toEqual([
      [
        'item_rejected',
        '“Print invoices” was rejected at the sprint review and is back at the top of the backlog',
      ],
      ['item_accepted', '“Export invoices” was accepted at the sprint review'],
    ]);
    expect(team[1].link).toBe(`/products/${productId}/items/${wanted}`);
    // The stakeholder voted for the accepted one only.
    const stakeholder = reviewKinds((await mine(tokens.stakeholder, '?unread=true')).notifications);
    expect(stakeholder.map((n: { kind: string }) => n.kind)).toEqual(['item_accepted']);
    // The product owner decided it: not told.
    expect(reviewKinds((await mine(tokens.po)).notifications)).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/me/notifications', '/me/notifications/read']),
    );
  });
});
