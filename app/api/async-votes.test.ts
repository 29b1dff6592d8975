import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { AppServices } from '~/context';
import {
  closeExpiredWindows,
  recordDueReminders,
  remindersOf,
  setAsyncWindow,
} from '~/services/sessions/async-window.server';
import { utcOffsetMinutes } from '~/utils/dates';
import type { Database } from '../../db/client';
import { asyncVoteWindows, liveSessions } from '../../db/schema';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const hour = 3_600_000;
const inHours = (h: number, from = Date.now()) => new Date(from + h * hour).toISOString();

describe.each(testBackends)('votes before the meeting (async voting window) on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const published: string[] = [];
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  let productId: string;
  let otherProductId: string;
  let itemIds: string[];
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const windowPath = (sessionId: string, product = productId) =>
    `/products/${product}/sessions/${sessionId}/async-window`;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const base = testServices(database);
    const services: AppServices = {
      ...base,
      config: { ...base.config, GUEST_JOINS_PER_MINUTE: 40 },
      live: {
        async update(_name: string, change: (doc: Doc) => void) {
          const { Doc: YDoc } = await import('yjs');
          const doc = new YDoc();
          change(doc);
          published.push(JSON.stringify(doc.toJSON()));
        },
      },
    };
    call = apiClient(services);
    for (const name of ['po', 'team', 'stakeholder', 'outsider']) {
      userIds[name] = (
        await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } })
      ).json.id;
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await call('POST', '/products', as(tokens.po, { name: 'Clinic' }))).json.id;
    otherProductId = (await call('POST', '/products', as(tokens.outsider, { name: 'Elsewhere' }))).json.id;
    for (const [name, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await call('POST', `/products/${productId}/invites`, as(tokens.po, { role }));
      await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[name]));
    }
    itemIds = [];
    for (const title of ['Reminders', 'Payments', 'Waiting list']) {
      itemIds.push((await call('POST', `/products/${productId}/items`, as(tokens.po, { title }))).json.id);
    }
  });
  afterAll(() => database.close());

  async function session(extra: Record<string, unknown> = {}, product = productId, token = tokens.po) {
    const agenda =
      product === productId
        ? itemIds
        : [(await call('POST', `/products/${product}/items`, as(token, { title: 'Other' }))).json.id];
    const created = await call(
      'POST',
      `/products/${product}/sessions`,
      as(token, { title: 'Priorities', kind: 'prioritisation', agenda, methods: ['dots'], ...extra }),
    );
    expect(created.status).toBe(201);
    const { id, joinCode } = created.json;
    const guest = async (displayName: string) => {
      const joined = await call('POST', `/join/${joinCode}`, { body: { displayName } });
      expect(joined.status).toBe(201);
      return joined.json as { participantId: string; guestToken: string };
    };
    return { id: id as string, guest };
  }
  const dots = (sessionId: string, token: string, itemId: string, n: number) =>
    call('POST', `/sessions/${sessionId}/dots`, as(token, { itemId, dots: n }));

  it('takes votes in the window with the same budget and secrecy, and the live session starts with them in', async () => {
    const { id, guest } = await session();
    const opened = await call(
      'PUT',
      windowPath(id),
      as(tokens.po, { action: 'open', closesAt: inHours(48) }),
    );
    expect(opened.status).toBe(200);
    expect(opened.json).toMatchObject({ state: 'open', voterCount: 0, youVoted: false });

    // A stakeholder in another time zone votes; a guest with the link too. The budget (5) holds as live.
    await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, {}));
    expect((await dots(id, tokens.stakeholder, itemIds[0], 3)).json).toEqual({ used: 3, left: 2 });
    const over = await dots(id, tokens.stakeholder, itemIds[1], 3);
    expect(over.status).toBe(409);
    expect(over.json.detail).toMatch(/budget of 5/);
    const ana = await guest('Ana Guest');
    expect((await dots(id, ana.guestToken, itemIds[1], 2)).status).toBe(200);
    // Voting early does not start the live session.
    const [row] = await database.db.select().from(liveSessions).where(eq(liveSessions.id, id));
    expect(row.startedAt).toBeNull();
    expect(row.voting).toBe('not_open');

    // Secrecy: the product owner's view, the state and the window say who voted, never what or a total.
    const poView = await call('GET', `/sessions/${id}`, as(tokens.po));
    expect(poView.status).toBe(200);
    expect(JSON.stringify(poView.json)).not.toMatch(/"dots":[1-9]/);
    expect((await call('GET', `/sessions/${id}/results`, as(tokens.po))).status).toBe(409);
    const report = await call('GET', windowPath(id), as(tokens.po));
    expect(report.json.voted.map((p: { name: string }) => p.name).sort()).toEqual([
      'Ana Guest',
      'stakeholder',
    ]);
    expect(report.json.voterCount).toBe(2);
    expect(JSON.stringify(report.json)).not.toMatch(/dots|itemId/);
    expect(published.join('\n')).not.toMatch(/"dots":[1-9]/);
    const mine = await call('GET', windowPath(id), as(tokens.stakeholder));
    expect(mine.json.youVoted).toBe(true);

    // The facilitator starts the live session: the window closes, its votes count, and it shows who voted early.
    expect((await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}))).status).toBe(204);
    const after = await call('GET', windowPath(id), as(tokens.po));
    expect(after.json.state).toBe('closed');
    expect(after.json.voted.map((p: { name: string }) => p.name).sort()).toEqual([
      'Ana Guest',
      'stakeholder',
    ]);
    // The live budget is the same one: 3 placed before the meeting, 2 left.
    expect((await dots(id, tokens.stakeholder, itemIds[2], 3)).status).toBe(409);
    expect((await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.po, {}))).status).toBe(204);
    const results = await call('GET', `/sessions/${id}/results`, as(tokens.team));
    const byItem = Object.fromEntries(
      results.json.items.map((i: { itemId: string; dots: number }) => [i.itemId, i.dots]),
    );
    expect(byItem[itemIds[0]]).toBe(3);
    expect(byItem[itemIds[1]]).toBe(2);

    // The decision log: opened with its closing time; closed with how many voted, not who nor what.
    const opens = await call(
      'GET',
      `/products/${productId}/decisions?kind=async_voting_opened`,
      as(tokens.team),
    );
    expect(opens.json.entries[0].after).toMatchObject({ closesAt: expect.any(String), extended: false });
    const closes = await call(
      'GET',
      `/products/${productId}/decisions?kind=async_voting_closed`,
      as(tokens.team),
    );
    expect(closes.json.entries[0].after).toMatchObject({ voters: 2 });
    expect(JSON.stringify(closes.json.entries[0])).not.toMatch(/stakeholder|Ana/);
  });

  it('refuses votes once the window closed, until the live session opens voting; the tick logs the close once', async () => {
    const { id } = await session();
    await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, {}));
    await call('POST', `/sessions/${id}/join`, as(tokens.team, {}));
    await call('PUT', windowPath(id), as(tokens.po, { action: 'open', closesAt: inHours(2) }));
    expect((await dots(id, tokens.team, itemIds[0], 1)).status).toBe(200);
    // Two hours later (the window's closing time moved into the past stands in for the clock).
    await database.db
      .update(asyncVoteWindows)
      .set({ closesAt: new Date(Date.now() - 1000) })
      .where(eq(asyncVoteWindows.sessionId, id));
    const late = await dots(id, tokens.stakeholder, itemIds[0], 1);
    expect(late.status).toBe(409);
    expect(late.json.detail).toMatch(/before the meeting has closed/);
    expect(await closeExpiredWindows(database.db)).toContain(id);
    expect(await closeExpiredWindows(database.db)).not.toContain(id);
    const closes = await call(
      'GET',
      `/products/${productId}/decisions?kind=async_voting_closed`,
      as(tokens.po),
    );
    expect(
      closes.json.entries.filter(
        (e: { sessionId?: string; after: { voters: number } }) => e.after.voters === 1,
      ),
    ).toHaveLength(1);
    const report = await call('GET', windowPath(id), as(tokens.stakeholder));
    expect(report.json).toMatchObject({ state: 'closed', voterCount: 1 });
    expect(report.json.notYet.map((p: { name: string }) => p.name)).toEqual(['stakeholder']);
    // The live vote opens: the stakeholder votes now, the team member's early dot still counts.
    expect((await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}))).status).toBe(204);
    expect((await dots(id, tokens.stakeholder, itemIds[0], 1)).status).toBe(200);
  });

  it('lets only the facilitator open the window, only in its own product, with a sensible closing time', async () => {
    const { id } = await session();
    const put = (token: string, body: unknown, path = windowPath(id)) => call('PUT', path, as(token, body));
    const good = { action: 'open', closesAt: inHours(24) };
    expect((await put(tokens.stakeholder, good)).status).toBe(403);
    expect((await put(tokens.team, good)).status).toBe(403);
    expect((await put(tokens.outsider, good)).status).toBe(404);
    // The session through another product's path is not found, even for its own product owner.
    expect((await put(tokens.po, good, windowPath(id, otherProductId))).status).toBe(404);
    expect((await call('GET', windowPath(id, otherProductId), as(tokens.po))).status).toBe(404);
    const other = await session({}, otherProductId, tokens.outsider);
    expect((await put(tokens.po, good, windowPath(other.id, productId))).status).toBe(404);
    // Malformed, in the past, too soon, years ahead, huge, or unknown fields: 400 with the field named.
    for (const body of [
      { action: 'open', closesAt: inHours(-1) },
      { action: 'open', closesAt: inHours(0.1) },
      { action: 'open', closesAt: inHours(24 * 365 * 3) },
      { action: 'open', closesAt: 'tomorrow-ish' },
      { action: 'open', closesAt: 'x'.repeat(10_000) },
      { action: 'open' },
      { action: 'reopen', closesAt: inHours(24) },
      { action: 'open', closesAt: inHours(24), votes: { x: 1 } },
    ]) {
      const answer = await put(tokens.po, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    // A wall-clock time in the facilitator's zone: 10:00 in New York is 15:00 UTC in winter.
    const day = new Date(Date.now() + 3 * 24 * hour).toISOString().slice(0, 10);
    const zoned = await put(tokens.po, {
      action: 'open',
      closesAt: `${day}T10:00`,
      timeZone: 'America/New_York',
    });
    expect(zoned.status).toBe(200);
    const offset = utcOffsetMinutes(new Date(`${day}T15:00:00Z`), 'America/New_York');
    expect(zoned.json.closesAt).toBe(
      new Date(Date.parse(`${day}T10:00:00Z`) - offset * 60_000).toISOString(),
    );
    expect(zoned.json.timeZone).toBe('America/New_York');
    // Extending it is logged; closing a window that is not open is a conflict.
    expect((await put(tokens.po, { action: 'open', closesAt: inHours(30) })).status).toBe(200);
    expect((await put(tokens.po, { action: 'close' })).json.state).toBe('closed');
    expect((await put(tokens.po, { action: 'close' })).status).toBe(409);
    // Once the live vote opened, there is no more voting before the meeting.
    await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}));
    expect((await put(tokens.po, good)).status).toBe(409);
  });

  it('refuses a guest of another session, and a removed member', async () => {
    const a = await session();
    const b = await session();
    await call('PUT', windowPath(a.id), as(tokens.po, { action: 'open', closesAt: inHours(24) }));
    await call('PUT', windowPath(b.id), as(tokens.po, { action: 'open', closesAt: inHours(24) }));
    const intruder = await b.guest('Intruder');
    expect((await dots(a.id, intruder.guestToken, itemIds[0], 1)).status).toBe(404);
    expect((await call('GET', windowPath(a.id), as(intruder.guestToken))).status).toBe(404);
    const joined = await call('POST', `/sessions/${a.id}/join`, as(tokens.stakeholder, {}));
    await call(
      'POST',
      `/sessions/${a.id}/participants/remove`,
      as(tokens.po, { participantId: joined.json.participantId ?? joined.json.id }),
    );
    expect((await dots(a.id, tokens.stakeholder, itemIds[0], 1)).status).toBe(403);
  });

  it('takes scores in the window through the same command, and a reveal straight after it closes the window', async () => {
    const { id } = await session({ methods: ['businessValue'] });
    await call('PUT', windowPath(id), as(tokens.po, { action: 'open', closesAt: inHours(24) }));
    await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, {}));
    const score = (value: number) =>
      call(
        'POST',
        `/sessions/${id}/scores`,
        as(tokens.stakeholder, { itemId: itemIds[0], businessValue: value }),
      );
    expect((await score(8)).status).toBe(200);
    expect((await score(11)).status).toBe(400);
    expect((await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.po, {}))).status).toBe(204);
    expect((await call('GET', windowPath(id), as(tokens.po))).json).toMatchObject({
      state: 'closed',
      voterCount: 1,
    });
    const results = await call('GET', `/sessions/${id}/results`, as(tokens.stakeholder));
    expect(JSON.stringify(results.json.items[0])).toContain('8');
    expect((await score(5)).status).toBe(409);
  });

  it('shows only how many voted early in an anonymous session', async () => {
    const { id, guest } = await session({ anonymous: true });
    await call('PUT', windowPath(id), as(tokens.po, { action: 'open', closesAt: inHours(24) }));
    const g = await guest('Quiet Guest');
    await dots(id, g.guestToken, itemIds[0], 2);
    const report = await call('GET', windowPath(id), as(tokens.po));
    expect(report.json).toMatchObject({ anonymous: true, voterCount: 1, voted: null, notYet: null });
    expect(JSON.stringify(report.json)).not.toMatch(/Quiet Guest/);
  });

  it('records reminders a day and two hours before closing, once, to eligible members who have not voted', async () => {
    const { id } = await session();
    const opened = Date.now();
    await setAsyncWindow(
      database.db,
      id,
      userIds.po,
      { action: 'open', closesAt: inHours(47, opened) },
      new Date(opened),
    );
    await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, {}));
    expect((await dots(id, tokens.stakeholder, itemIds[0], 1)).status).toBe(200);
    const mineOnly = <R extends { sessionId: string }>(rows: R[]) => rows.filter((r) => r.sessionId === id);
    expect(mineOnly(await recordDueReminders(database.db, new Date(opened + 10 * hour)))).toEqual([]);
    const dayBefore = mineOnly(await recordDueReminders(database.db, new Date(opened + 24 * hour)));
    expect(dayBefore.map((r) => [r.userId, r.reminder]).sort()).toEqual(
      [
        [userIds.po, '24h'],
        [userIds.team, '24h'],
      ].sort(),
    );
    expect(mineOnly(await recordDueReminders(database.db, new Date(opened + 25 * hour)))).toEqual([]);
    const last = mineOnly(await recordDueReminders(database.db, new Date(opened + 46 * hour)));
    expect(last.map((r) => r.reminder)).toEqual(['2h', '2h']);
    expect(await remindersOf(database.db, [id])).toHaveLength(4);
    // Each reminder reaches the person in the app; the stakeholder who voted hears nothing.
    const reminded = async (token: string) =>
      (await call('GET', '/me/notifications', as(token))).json.notifications.filter(
        (n: { kind: string; link: string }) => n.kind === 'vote_reminder' && n.link.endsWith(id),
      );
    expect((await reminded(tokens.team)).map((n: { text: string }) => n.text)).toEqual([
      expect.stringMatching(/closes in about two hours, and you have not voted yet$/),
      expect.stringMatching(/closes in about a day, and you have not voted yet$/),
    ]);
    expect(await reminded(tokens.stakeholder)).toEqual([]);
    expect(
      (await remindersOf(database.db, [id])).filter((r) => r.userId === userIds.stakeholder),
    ).toHaveLength(0);
    // Not for a window that has closed.
    await database.db
      .update(asyncVoteWindows)
      .set({ closedAt: new Date() })
      .where(and(eq(asyncVoteWindows.sessionId, id)));
    expect(mineOnly(await recordDueReminders(database.db, new Date(opened + 46.5 * hour)))).toEqual([]);
  });
});
