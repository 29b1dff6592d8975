import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { guestQuestionLimits } from '~/domain/session-guests';
import { guestActor } from '~/services/sessions/access.server';
import { runSessionCommand } from '~/services/sessions/dispatch.server';
import { type CallOptions, apiClient, apiTeam, recordingServices } from './test-harness.server';

const criteria = `Scenario: Book a free slot
  Given a free slot
  When I book it
  Then it is mine`;

// Issue 13, item 5: refinement sessions have guests. A guest follows the current item (title, description,
// criteria) and the poker round (who has voted, never a card before the reveal), raises a hand and asks questions;
// the facilitator may let guests estimate. Every command is checked on the server, whichever door it comes by.
describe.each(testBackends)('refinement guests on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  /** every state the API published into live documents, as JSON */
  let published: string[];
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  let services: AppServices;
  let productId: string;
  let itemIds: string[];
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ({ services, published } = recordingServices(database));
    call = apiClient(services);
    ({ tokens, userIds, productId } = await apiTeam(call, {
      team: 'team_member',
      stakeholder: 'stakeholder',
    }));
    itemIds = [];
    for (const title of ['Book a slot', 'Cancel a booking']) {
      const created = await call(
        'POST',
        `/products/${productId}/items`,
        as(tokens.po, {
          title,
          description: 'As a patient I want to book <b>online</b> so that I do not phone',
          criteria,
        }),
      );
      itemIds.push(created.json.id);
    }
  });
  afterAll(() => database.close());

  /** A refinement with the PO and a team member in, a guest joined by the link, and a round open. */
  async function refinement(body: Record<string, unknown> = {}) {
    const created = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(tokens.po, { title: 'Refinement', agenda: itemIds, ...body }),
    );
    expect(created.status).toBe(201);
    const { id, joinCode } = created.json as { id: string; joinCode: string };
    for (const name of ['po', 'team'])
      expect((await call('POST', `/sessions/${id}/join`, as(tokens[name], {}))).status).toBe(200);
    const guest = async (displayName: string) => {
      const joined = await call('POST', `/join/${joinCode}`, { body: { displayName } });
      expect(joined.status).toBe(201);
      return joined.json as { participantId: string; guestToken: string; spectator: boolean; kind: string };
    };
    expect((await call('POST', `/sessions/${id}/rounds`, as(tokens.po, {}))).status).toBe(201);
    return { id, guest };
  }

  const view = async (id: string, token: string) => (await call('GET', `/sessions/${id}`, as(token))).json;

  it('a guest follows the current item and the round; cards stay secret until the reveal, for guests too', async () => {
    const { id, guest } = await refinement();
    const ana = await guest('Ana (clinic lead)');
    expect(ana).toMatchObject({ kind: 'refinement', spectator: true });

    await call('POST', `/sessions/${id}/estimates`, as(tokens.team, { value: '5' }));
    const seen = await view(id, ana.guestToken);
    expect(seen.role).toBe('guest');
    expect(seen.may).toMatchObject({ facilitate: false, estimate: false, edit: false, order: false });
    expect(seen.current).toMatchObject({
      id: itemIds[0],
      title: 'Book a slot',
      description: 'As a patient I want to book <b>online</b> so that I do not phone',
      criteria,
    });
    const round = seen.current.rounds[0];
    const teamId = seen.participants.find((p: { name: string }) => p.name === 'team').id;
    expect(round).toMatchObject({
      revealed: false,
      voted: [teamId],
      myValue: null,
      votes: null,
      tally: null,
    });
    expect(JSON.stringify(seen)).not.toMatch(/"(value|myValue)":"5"/);
    expect(published.join('')).not.toMatch(/"(value|myValue)":"5"/);

    await call('POST', `/sessions/${id}/estimates`, as(tokens.po, { value: '8' }));
    expect((await call('POST', `/sessions/${id}/reveal`, as(tokens.po, {}))).status).toBe(204);
    const after = (await view(id, ana.guestToken)).current.rounds[0];
    expect(after.revealed).toBe(true);
    expect(after.votes.map((v: { value: string }) => v.value).sort()).toEqual(['5', '8']);
    expect(after.tally).toMatchObject({ votes: 2, median: expect.any(String) });
  });

  it('a guest raises and lowers a hand that everyone sees; the facilitator may lower it', async () => {
    const { id, guest } = await refinement();
    const ana = await guest('Ana');
    expect((await call('POST', `/sessions/${id}/hand`, as(ana.guestToken, { raised: true }))).status).toBe(
      204,
    );
    const hand = (token: string) =>
      view(id, token).then(
        (v) => v.participants.find((p: { id: string }) => p.id === ana.participantId).handRaisedAt,
      );
    for (const token of [tokens.po, tokens.team, ana.guestToken])
      expect(await hand(token)).toEqual(expect.any(Number));
    expect(published.at(-1)).toContain(ana.participantId);
    expect((await call('POST', `/sessions/${id}/hand`, as(ana.guestToken, { raised: false }))).status).toBe(
      204,
    );
    expect(await hand(tokens.po)).toBeNull();
    await call('POST', `/sessions/${id}/hand`, as(ana.guestToken, { raised: true }));
    const malformed = await call(
      'POST',
      `/sessions/${id}/hand`,
      as(ana.guestToken, { raised: 'yes please' }),
    );
    expect(malformed.status).toBe(400);
    expect(await hand(tokens.po)).toEqual(expect.any(Number));
    // Lowering someone else's hand is the facilitator's (the room's form; no guest may).
    const lower = (actorId: string) =>
      runSessionCommand(services, 'lowerHand', id, actorId, { participantId: ana.participantId });
    const ben = await guest('Ben');
    await expect(lower(guestActor(ben.participantId))).rejects.toMatchObject({ status: 403 });
    await expect(lower(userIds.team)).rejects.toMatchObject({ status: 403 });
    expect(await hand(tokens.po)).toEqual(expect.any(Number));
    await lower(userIds.po);
    expect(await hand(ana.guestToken)).toBeNull();
  });

  it('a guest asks questions: kept as the text typed, short, a few a minute; malformed ones are refused', async () => {
    const { id, guest } = await refinement();
    const ana = await guest('Ana');
    const ask = (body: unknown, token = ana.guestToken) =>
      call('POST', `/sessions/${id}/questions`, as(token, body));

    const html = '<img src=x onerror="alert(1)"> Does it <b>work</b> on a phone?';
    const asked = await ask({ text: `  ${html}  ` });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ text: html, itemId: itemIds[0] });
    // The team sees it, as the text it is, with the guest's name.
    const notes = (await view(id, tokens.po)).notes;
    expect(notes).toEqual([expect.objectContaining({ text: html, author: 'Ana', resolved: false })]);

    for (const [what, body, status, pattern] of [
      ['over the length limit', { text: 'x'.repeat(guestQuestionLimits.maxLength + 1) }, 400, /500/],
      ['empty', { text: '   ' }, 400, /question/i],
      ['not text', { text: 42 }, 400, /text/],
      ['missing', {}, 400, /text/],
      ['with an unknown field', { text: 'Hi', html: '<b>x</b>' }, 400, /html/],
      ['about an item not given as an id', { text: 'Hi', itemId: 'drop table' }, 400, /itemId/],
      ['holding a NUL', { text: 'a\u0000b' }, 400, /./],
      ['holding an escape sequence', { text: 'red \u001b[31m' }, 400, /not text/],
    ] as const) {
      const refused = await ask(body);
      expect(refused.status, what).toBe(status);
      expect(refused.json.detail ?? refused.json.title, what).toMatch(pattern);
    }
    expect((await view(id, tokens.po)).notes).toHaveLength(1);

    // Three a minute: the fourth waits, and says how long.
    expect((await ask({ text: 'Second?' })).status).toBe(201);
    expect((await ask({ text: 'Third?' })).status).toBe(201);
    const fourth = await ask({ text: 'Fourth?' });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(fourth.json.detail).toMatch(/try again in \d+ seconds/);
    // Members are not limited that way.
    for (let i = 0; i < 4; i++)
      expect((await ask({ text: `Team question ${i}` }, tokens.team)).status).toBe(201);
  });

  it('guests estimate only when the facilitator lets them; the server refuses a crafted card otherwise', async () => {
    const { id, guest } = await refinement({ autoReveal: true });
    const ana = await guest('Ana');
    const card = (token: string, value = '3') =>
      call('POST', `/sessions/${id}/estimates`, as(token, { value }));

    // Not allowed: the card and stepping in to estimate are both refused, whatever the guest sends.
    const refused = await card(ana.guestToken);
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/not let guests estimate/);
    expect(
      (await call('POST', `/sessions/${id}/spectator`, as(ana.guestToken, { spectator: false }))).status,
    ).toBe(403);

    // Only the facilitator (or the PO) switches it: not the team, not a stakeholder, not a guest.
    const toggle = (token: string, allowed: boolean) =>
      call('POST', `/sessions/${id}/guest-estimating`, as(token, { allowed }));
    expect((await toggle(tokens.team, true)).status).toBe(403);
    expect((await toggle(tokens.stakeholder, true)).status).toBe(403);
    expect((await toggle(ana.guestToken, true)).status).toBe(401);
    expect((await toggle(tokens.po, 'yes' as unknown as boolean)).status).toBe(400);
    expect((await toggle(tokens.po, true)).status).toBe(204);
    const on = await view(id, ana.guestToken);
    expect(on.session.settings.guestsEstimate).toBe(true);
    expect(on.may.estimate).toBe(true);
    expect(on.me.spectator).toBe(false);
    // A guest joining now estimates from the start.
    const ben = await guest('Ben');
    expect(ben.spectator).toBe(false);

    // Guests' cards count like everyone's and stay secret until the reveal.
    expect((await card(ana.guestToken, 'Z')).status).toBe(400);
    expect((await card(ana.guestToken, '13')).json).toMatchObject({ revealed: false });
    const teamView = await view(id, tokens.team);
    expect(teamView.current.rounds[0].voted).toContain(ana.participantId);
    expect(teamView.current.rounds[0]).toMatchObject({ myValue: null, votes: null, tally: null });
    expect(JSON.stringify(teamView)).not.toMatch(/"(value|myValue)":"13"/);
    expect(published.join('')).not.toMatch(/"(value|myValue)":"13"/);
    expect((await view(id, ana.guestToken)).current.rounds[0].myValue).toBe('13');

    // Off again mid-round: Ana's card is withdrawn unseen, Ben watches, and a crafted card is refused.
    expect((await toggle(tokens.po, false)).status).toBe(204);
    const off = await view(id, tokens.po);
    expect(off.current.rounds[0].voted).not.toContain(ana.participantId);
    expect(off.participants.filter((p: { userId: string | null }) => p.userId === null)).toEqual([
      expect.objectContaining({ name: 'Ana', spectator: true }),
      expect.objectContaining({ name: 'Ben', spectator: true }),
    ]);
    expect((await card(ben.guestToken)).status).toBe(403);

    // On again: with auto-reveal the round waits for the guests, and the last card reveals it with theirs in.
    await toggle(tokens.po, true);
    await card(tokens.po, '5');
    await card(tokens.team, '8');
    expect((await card(ana.guestToken, '8')).json.revealed).toBe(false);
    expect((await card(ben.guestToken, '13')).json.revealed).toBe(true);
    const revealed = (await view(id, tokens.team)).current.rounds[0];
    expect(revealed.votes.map((v: { name: string; value: string }) => `${v.name}:${v.value}`).sort()).toEqual(
      ['Ana:8', 'Ben:13', 'po:5', 'team:8'],
    );
  });

  it('a guest acts only in their own session, and a removed guest is refused', async () => {
    const first = await refinement({ guestsEstimate: true });
    const second = await refinement({ guestsEstimate: true });
    const ana = await first.guest('Ana');
    const intruder = await second.guest('Intruder');
    expect(ana.spectator).toBe(false);

    const attempts = (token: string) => [
      call('POST', `/sessions/${first.id}/hand`, as(token, { raised: true })),
      call('POST', `/sessions/${first.id}/questions`, as(token, { text: 'Hello?' })),
      call('POST', `/sessions/${first.id}/estimates`, as(token, { value: '3' })),
      call('POST', `/sessions/${first.id}/spectator`, as(token, { spectator: true })),
      call('GET', `/sessions/${first.id}`, as(token)),
    ];
    // A guest of another session: this session does not exist for them.
    for (const answer of await Promise.all(attempts(intruder.guestToken))) expect(answer.status).toBe(404);
    // A forged or altered guest token.
    for (const answer of await Promise.all(attempts(`${ana.guestToken}x`))) expect(answer.status).toBe(401);
    // Facilitator commands need an account, whoever's guest token it is.
    for (const [path, body] of [
      ['guest-estimating', { allowed: false }],
      ['reveal', {}],
      ['participants/remove', { participantId: intruder.participantId }],
    ] as const) {
      expect((await call('POST', `/sessions/${first.id}/${path}`, as(ana.guestToken, body))).status).toBe(
        401,
      );
    }

    // Ana votes, then is removed: her card no longer counts and everything she sends is refused.
    expect(
      (await call('POST', `/sessions/${first.id}/estimates`, as(ana.guestToken, { value: '3' }))).status,
    ).toBe(200);
    await call('POST', `/sessions/${first.id}/hand`, as(ana.guestToken, { raised: true }));
    const removed = await call(
      'POST',
      `/sessions/${first.id}/participants/remove`,
      as(tokens.po, { participantId: ana.participantId }),
    );
    expect(removed.status).toBe(204);
    const po = await view(first.id, tokens.po);
    expect(po.current.rounds[0].voted).not.toContain(ana.participantId);
    expect(po.participants.map((p: { id: string }) => p.id)).not.toContain(ana.participantId);
    for (const answer of await Promise.all(attempts(ana.guestToken))) expect(answer.status).toBe(404);
    // The other session's guest was never touched.
    expect((await view(second.id, intruder.guestToken)).me.participantId).toBe(intruder.participantId);
  });

  it('letting guests estimate belongs to refinement sessions only', async () => {
    const created = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(tokens.po, { title: 'Priorities', kind: 'prioritisation', agenda: itemIds }),
    );
    const answer = await call(
      'POST',
      `/sessions/${created.json.id}/guest-estimating`,
      as(tokens.po, { allowed: true }),
    );
    expect(answer.status).toBe(409);
  });
});
