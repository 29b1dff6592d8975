import type { AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '~/services/backlog/items.server';
import { runSessionCommand } from '~/services/sessions/dispatch.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { liveSessions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { loadGuestRoom, runGuestCommand } from '~/routes/guest.$sessionId.room/guest-room.server';
import { joinByForm, loadJoinPage } from './join.server';

/** A loader's or action's answer as { status, body, headers }, whether it came as data(), a Response or a plain object. */
async function answer(result: unknown) {
  if (result instanceof Response)
    return { status: result.status, body: null as Record<string, unknown> | null, headers: result.headers };
  const r = result as { data?: Record<string, unknown>; init?: { status?: number; headers?: HeadersInit } };
  if (r && typeof r === 'object' && 'init' in r && r.data)
    return { status: r.init?.status ?? 200, body: r.data, headers: new Headers(r.init?.headers) };
  return { status: 200, body: result as Record<string, unknown>, headers: new Headers() };
}

const thrown = async (work: Promise<unknown>) => {
  try {
    return await answer(await work);
  } catch (error) {
    return answer(error);
  }
};

const post = (url: string, fields: Record<string, string>, cookie?: string) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return new Request(url, {
    method: 'POST',
    body,
    headers: { 'x-refinery-client-address': '203.0.113.7', ...(cookie ? { Cookie: cookie } : {}) },
  });
};
const get = (url: string, cookie?: string) => new Request(url, { headers: cookie ? { Cookie: cookie } : {} });

describe.each(testBackends)('joining by link and the guest room on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let context: AppLoadContext;
  let session: { id: string; joinCode: string };
  let itemId: string;
  const base = 'http://refinery.test';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    itemId = (await createItem(database.db, team.productId, team.po, { title: 'Pay online' })).id;
    const other = await createItem(database.db, team.productId, team.po, { title: 'Remind by SMS' });
    const created = await createSession(database.db, team.productId, team.po, {
      title: 'Q3 priorities',
      kind: 'prioritisation',
      agenda: [itemId, other.id],
    });
    session = { id: created.id, joinCode: created.joinCode };
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    context = {
      app: {
        db: database.db,
        log,
        live: { update: async () => {} },
        secret: 'test-secret-'.repeat(4),
        config: { GUEST_JOINS_PER_MINUTE: 4 },
      },
      cspNonce: '',
    } as unknown as AppLoadContext;
  });
  afterAll(() => database.close());

  const join = (name: string) =>
    thrown(
      joinByForm(context, post(`${base}/join/${session.joinCode}`, { displayName: name }), session.joinCode),
    );
  const cookieOf = (headers: Headers) => (headers.get('Set-Cookie') ?? '').split(';')[0];

  it('shows the form for an open link and a clear page for a link that does not exist', async () => {
    expect(await thrown(loadJoinPage(context, get(`${base}/join/x`), session.joinCode))).toMatchObject({
      status: 200,
      body: { state: 'open', title: 'Q3 priorities' },
    });
    // The session votes by dots only (the default): the page promises dots, and no scoring.
    const page = await thrown(loadJoinPage(context, get(`${base}/join/x`), session.joinCode));
    expect(page.body?.intro).toMatch(/^You will place dots on the items that matter most to you\./);
    expect(page.body?.intro).not.toMatch(/scor/i);
    expect(await thrown(loadJoinPage(context, get(`${base}/join/x`), 'nope'))).toMatchObject({
      status: 404,
      body: { state: 'invalid' },
    });
  });

  it('lets a guest in with a cookie scoped to this session, and lets them vote there only', async () => {
    const joined = await join('Ana <b>clinic</b>');
    expect(joined.status).toBe(302);
    expect(joined.headers.get('Location')).toBe(`/guest/${session.id}/room`);
    const setCookie = joined.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toContain(`Path=/guest/${session.id}`);
    const cookie = cookieOf(joined.headers);

    const room = await thrown(
      loadGuestRoom(context, get(`${base}/guest/${session.id}/room`, cookie), session.id),
    );
    expect(room.body).toMatchObject({ state: 'in', me: { name: 'Ana <b>clinic</b>', spectator: false } });
    expect((room.body as { prioritisation: { results: unknown } }).prioritisation.results).toBeNull();

    const vote = () =>
      thrown(
        runGuestCommand(
          context,
          post(`${base}/guest/${session.id}/room`, { command: 'castDots', itemId, dots: '2' }, cookie),
          session.id,
        ),
      );
    expect(await vote()).toMatchObject({ status: 409 }); // voting not open yet
    await runSessionCommand(context.app, 'openVoting', session.id, team.po, {});
    expect(await vote()).toMatchObject({
      status: 200,
      body: { command: 'castDots', result: { status: 'success' } },
    });
    expect(
      await thrown(
        runGuestCommand(
          context,
          post(`${base}/guest/${session.id}/room`, { command: 'revealResults' }, cookie),
          session.id,
        ),
      ),
    ).toMatchObject({ status: 403 });
    expect(
      await thrown(
        runGuestCommand(
          context,
          post(`${base}/guest/${session.id}/room`, { command: 'castDots', itemId, dots: '2' }),
          session.id,
        ),
      ),
    ).toMatchObject({ status: 401 });

    // Without the cookie, or with a forged one, the room is closed.
    expect(
      await thrown(loadGuestRoom(context, get(`${base}/guest/${session.id}/room`), session.id)),
    ).toMatchObject({ status: 401, body: { state: 'not_joined' } });
    expect(
      await thrown(loadGuestRoom(context, get(`${base}/guest/${session.id}/room`, `${cookie}x`), session.id)),
    ).toMatchObject({ status: 401 });

    // A removed guest is told so, and can no longer vote.
    const participantId = (room.body as { me: { participantId: string } }).me.participantId;
    await runSessionCommand(context.app, 'removeParticipant', session.id, team.po, { participantId });
    expect(
      await thrown(loadGuestRoom(context, get(`${base}/guest/${session.id}/room`, cookie), session.id)),
    ).toMatchObject({ status: 403, body: { state: 'removed' } });
    expect(await vote()).toMatchObject({ status: 404 });
  });

  it('refuses bad names, a closed link, too many joins from one address, and an ended session', async () => {
    expect(await join('   ')).toMatchObject({
      status: 400,
      body: { result: { error: { displayName: ['Give the name others will see'] } } },
    });
    await runSessionCommand(context.app, 'setGuestLink', session.id, team.po, { open: false });
    expect(await thrown(loadJoinPage(context, get(`${base}/join/x`), session.joinCode))).toMatchObject({
      status: 403,
      body: { state: 'closed' },
    });
    expect(await join('Ben')).toMatchObject({ status: 403 });
    // Four joins a minute from one address (this test's config): the rest wait.
    expect(await join('Cai')).toMatchObject({ status: 403 });
    const limited = await join('Dan');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    await database.db
      .update(liveSessions)
      .set({ endedAt: new Date() })
      .where(eq(liveSessions.id, session.id));
    expect(await thrown(loadJoinPage(context, get(`${base}/join/x`), session.joinCode))).toMatchObject({
      status: 410,
      body: { state: 'ended' },
    });
  });
});
