import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Doc } from 'yjs';
import type { AppServices } from '~/context';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('prioritisation API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  /** every state published into live documents, as JSON */
  const published: string[] = [];
  const tokens: Record<string, string> = {};
  let productId: string;
  let itemIds: string[];
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });

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
    for (const name of ['po', 'team', 'stakeholder']) {
      await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } });
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await call('POST', '/products', as(tokens.po, { name: 'Clinic' }))).json.id;
    for (const [name, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await call('POST', `/products/${productId}/invites`, as(tokens.po, { role }));
      await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[name]));
    }
    itemIds = [];
    for (const title of ['Reminders', 'Payments', 'Waiting list', 'Reports']) {
      itemIds.push((await call('POST', `/products/${productId}/items`, as(tokens.po, { title }))).json.id);
    }
  });
  afterAll(() => database.close());

  async function session(extra: Record<string, unknown> = {}) {
    const created = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(tokens.po, {
        title: 'Priorities',
        kind: 'prioritisation',
        agenda: itemIds,
        methods: ['dots', 'wsjf', 'moscow', 'businessValue', 'kano'],
        ...extra,
      }),
    );
    expect(created.status).toBe(201);
    const { id, joinCode } = created.json;
    const guest = async (displayName: string) => {
      const joined = await call('POST', `/join/${joinCode}`, { body: { displayName } });
      expect(joined.status).toBe(201);
      return joined.json as { participantId: string; guestToken: string };
    };
    return { id: id as string, joinCode: joinCode as string, guest };
  }

  it('runs dot voting and WSJF scoring with guests, keeps everything secret until the reveal, and applies the order', async () => {
    const { id, guest } = await session();
    const ana = await guest('Ana (clinic lead)');
    const ben = await guest('Ben (front desk)');
    await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, { spectator: false }));
    await call('POST', `/sessions/${id}/join`, as(tokens.team, {}));
    expect(
      (await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[2], dots: 1 })))
        .status,
    ).toBe(409); // not open yet
    expect((await call('POST', `/sessions/${id}/voting/open`, as(tokens.stakeholder, {}))).status).toBe(403);
    expect((await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}))).status).toBe(204);

    expect(
      (await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[2], dots: 3 }))).json,
    ).toEqual({ used: 3, left: 2 });
    await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[3], dots: 2 }));
    await call('POST', `/sessions/${id}/dots`, as(ben.guestToken, { itemId: itemIds[3], dots: 3 }));
    await call('POST', `/sessions/${id}/dots`, as(tokens.stakeholder, { itemId: itemIds[1], dots: 2 }));
    const wsjf = { userBusinessValue: 13, timeCriticality: 8, riskReduction: 3 };
    expect(
      (
        await call(
          'POST',
          `/sessions/${id}/scores`,
          as(ana.guestToken, {
            itemId: itemIds[2],
            ...wsjf,
            moscow: 'must',
            businessValue: 9,
            kanoFunctional: 'like',
            kanoDysfunctional: 'dislike',
          }),
        )
      ).status,
    ).toBe(200);
    await call(
      'POST',
      `/sessions/${id}/scores`,
      as(ben.guestToken, {
        itemId: itemIds[2],
        userBusinessValue: 2,
        timeCriticality: 8,
        riskReduction: 3,
        moscow: 'should',
      }),
    );
    await call('POST', `/sessions/${id}/scores`, as(tokens.team, { itemId: itemIds[2], jobSize: 5 }));

    // Before the reveal nobody sees dots, scores or per-item totals: not the guests, not the stakeholder, not the live document.
    expect((await call('GET', `/sessions/${id}/results`, as(ben.guestToken))).status).toBe(409);
    const benView = await call('GET', `/sessions/${id}`, as(ben.guestToken));
    expect(benView.status).toBe(200);
    expect(benView.json.prioritisation.myDots).toEqual([{ itemId: itemIds[3], dots: 3 }]);
    // Ben sees his own scores, never Ana's (13, 9, must) nor her dots.
    expect(JSON.stringify(benView.json)).not.toMatch(/"13"|"9"|"must"/);
    expect(JSON.stringify(benView.json)).not.toContain(itemIds[2].concat('","dots"'));
    // Votes are answered once committed; the publish follows (decision 0027).
    const live = await vi.waitFor(
      () => {
        const last = published.filter((p) => p.includes('"voting"')).at(-1)!;
        expect(JSON.parse(last).session.state.voting).toMatchObject({
          state: 'open',
          revealed: false,
          voterCount: 4,
        });
        return last;
      },
      { timeout: 10_000 },
    );
    expect(published.join('\n')).not.toMatch(/"dots"|"userBusinessValue"|"value"/);

    expect((await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.stakeholder, {}))).status).toBe(
      403,
    );
    expect((await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.po, {}))).status).toBe(204);
    expect(
      (await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[0], dots: 0 })))
        .status,
    ).toBe(409);
    const results = [tokens.po, ana.guestToken, tokens.stakeholder].map((t) =>
      call('GET', `/sessions/${id}/results`, as(t)),
    );
    const answers = await Promise.all(results);
    for (const answer of answers) expect(answer.json).toEqual(answers[0].json);
    const byTitle = Object.fromEntries(answers[0].json.items.map((i: { title: string }) => [i.title, i]));
    expect(byTitle.Reports).toMatchObject({ dots: 5, dotVoters: 2, dotRank: 1 });
    expect(byTitle['Waiting list']).toMatchObject({
      dots: 3,
      wsjf: 3.7,
      moscow: { top: 'must' },
      kano: { dominant: 'performance' },
      contested: true,
    });
    expect(byTitle['Waiting list'].parts.userBusinessValue).toMatchObject({
      mean: 7.5,
      median: 7.5,
      spread: 11,
    });
    expect(
      answers[0].json.participants.find((p: { name: string }) => p.name === 'Ben (front desk)').dots,
    ).toEqual([{ itemId: itemIds[3], dots: 3 }]);
    // The live document now carries the dot totals (no names), the same as the results, most first.
    const revealed = JSON.parse(published.filter((p) => p.includes('"totals"')).at(-1)!).session.state.voting;
    expect(revealed.revealed).toBe(true);
    // The room's steps follow the vote: Voting while open, Results once revealed.
    expect(JSON.parse(live).session.state.phase).toBe('voting');
    expect(JSON.parse(published.filter((p) => p.includes('"totals"')).at(-1)!).session.state.phase).toBe(
      'results',
    );
    expect(revealed.totals).toEqual(
      [...answers[0].json.items]
        .sort((a: { dotRank: number }, b: { dotRank: number }) => a.dotRank - b.dotRank)
        .map((i: { itemId: string; dots: number }) => ({ itemId: i.itemId, dots: i.dots })),
    );

    const proposal = await call('GET', `/sessions/${id}/proposed-order?method=dots`, as(tokens.po));
    expect(proposal.json.rows.map((r: { title: string }) => r.title)).toEqual([
      'Reports',
      'Waiting list',
      'Payments',
      'Reminders',
    ]);
    expect(
      (
        await call(
          'POST',
          `/sessions/${id}/apply-order`,
          as(tokens.stakeholder, { method: 'dots', reason: 'x' }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await call('POST', `/sessions/${id}/apply-order`, as(tokens.po, { method: 'dots', reason: '  ' })))
        .status,
    ).toBe(400);
    const applied = await call(
      'POST',
      `/sessions/${id}/apply-order`,
      as(tokens.po, { method: 'dots', reason: 'Clinic leads need reports first', storeResults: true }),
    );
    expect(applied.status).toBe(200);
    const order = await call('GET', `/products/${productId}/items`, as(tokens.po));
    expect(order.json.items.map((i: { title: string }) => i.title)).toEqual([
      'Reports',
      'Waiting list',
      'Payments',
      'Reminders',
    ]);
    const stored = await call('GET', `/items/${itemIds[2]}`, as(tokens.po));
    expect(stored.json).toMatchObject({
      userBusinessValue: 8,
      timeCriticality: 8,
      riskReduction: 3,
      jobSize: 5,
      moscow: 'must',
      kano: 'performance',
      wsjf: 3.8,
    });
    const log = await call('GET', `/products/${productId}/decisions?kind=proposal_applied`, as(tokens.po));
    expect(log.json.entries[0]).toMatchObject({
      sessionId: id,
      reason: 'Clinic leads need reports first',
      after: { mode: 'session_dots' },
    });
  });

  it('refuses forged commands with a clear 4xx and changes nothing', async () => {
    const { id, guest } = await session();
    const other = await session({ title: 'Another' });
    const ana = await guest('Ana');
    const intruder = await other.guest('Intruder');
    await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}));
    await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[0], dots: 2 }));

    // 20 concurrent requests from one participant, each for 2 dots on a different item: never over the budget of 5.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[1 + (i % 3)], dots: 2 })),
      ),
    );
    expect(burst.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    const mine = (await call('GET', `/sessions/${id}`, as(ana.guestToken))).json.prioritisation
      .myDots as Array<{ itemId: string; dots: number }>;
    expect(mine.reduce((s, d) => s + d.dots, 0)).toBe(4);
    // Dots are set per item, so the budget refusal needs an item the burst did not reach (which one won is a race).
    const untouched = itemIds.slice(1, 4).find((itemId) => !mine.some((m) => m.itemId === itemId))!;
    const before = JSON.stringify(
      (await call('GET', `/sessions/${id}`, as(ana.guestToken))).json.prioritisation,
    );

    const refusals: Array<[string, string, string, unknown, number, RegExp]> = [
      [
        'over the per-item cap',
        '/dots',
        ana.guestToken,
        { itemId: itemIds[0], dots: 4 },
        409,
        /At most 3 dots/,
      ],
      ['over the budget', '/dots', ana.guestToken, { itemId: untouched, dots: 3 }, 409, /budget/],
      [
        'an item not on the agenda',
        '/dots',
        ana.guestToken,
        { itemId: crypto.randomUUID(), dots: 1 },
        400,
        /agenda/,
      ],
      [
        'a guest acting in another session',
        '/dots',
        intruder.guestToken,
        { itemId: itemIds[0], dots: 1 },
        404,
        /session/,
      ],
      [
        'a forged guest token',
        '/dots',
        `${ana.guestToken}x`,
        { itemId: itemIds[0], dots: 1 },
        401,
        /not valid/,
      ],
      [
        'a score off the scale',
        '/scores',
        ana.guestToken,
        { itemId: itemIds[0], userBusinessValue: 4 },
        400,
        /1, 2, 3, 5, 8, 13, 20/,
      ],
      [
        'business value off the scale',
        '/scores',
        ana.guestToken,
        { itemId: itemIds[0], businessValue: 11 },
        400,
        /1 to 10/,
      ],
      ['job size from a guest', '/scores', ana.guestToken, { itemId: itemIds[0], jobSize: 3 }, 403, /team/],
      ['a stakeholder revealing', '/voting/reveal', tokens.stakeholder, {}, 403, /facilitator/],
      ['a guest revealing', '/voting/reveal', ana.guestToken, {}, 401, /token/],
      [
        'a stakeholder applying an order',
        '/apply-order',
        tokens.stakeholder,
        { method: 'dots', reason: 'x' },
        403,
        /may not do this/,
      ],
    ];
    for (const [what, path, token, body, status, detail] of refusals) {
      const answer = await call('POST', `/sessions/${id}${path}`, as(token, body));
      expect(answer.status, what).toBe(status);
      expect(JSON.stringify(answer.json), what).toMatch(detail);
    }
    expect(
      JSON.stringify((await call('GET', `/sessions/${id}`, as(ana.guestToken))).json.prioritisation),
    ).toBe(before);

    await call('POST', `/sessions/${id}/voting/close`, as(tokens.po, {}));
    const closed = await call(
      'POST',
      `/sessions/${id}/dots`,
      as(ana.guestToken, { itemId: itemIds[0], dots: 1 }),
    );
    expect(closed.status).toBe(409);
    expect(closed.json.detail).toMatch(/closed/);

    // Removed guests and closed links.
    const sessionState = (await call('GET', `/sessions/${id}`, as(tokens.po))).json;
    const anaParticipant = sessionState.participants.find((p: { name: string }) => p.name === 'Ana').id;
    expect(
      (
        await call(
          'POST',
          `/sessions/${id}/participants/remove`,
          as(tokens.po, { participantId: anaParticipant }),
        )
      ).status,
    ).toBe(204);
    expect((await call('GET', `/sessions/${id}`, as(ana.guestToken))).status).toBe(404);
    expect((await call('POST', `/sessions/${id}/guest-link`, as(tokens.po, { open: false }))).status).toBe(
      204,
    );
    const late = await call(
      'POST',
      `/join/${(await call('GET', `/sessions/${id}`, as(tokens.po))).json.session.id}`,
      { body: { displayName: 'x' } },
    );
    expect(late.status).toBe(404);
  });

  it('never links a participant to a vote in anonymous mode', async () => {
    const { id, guest } = await session({ anonymous: true, methods: ['dots'] });
    const ana = await guest('Ana');
    await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}));
    await call('POST', `/sessions/${id}/dots`, as(ana.guestToken, { itemId: itemIds[0], dots: 2 }));
    // A vote is answered once committed; its publish follows (decision 0027).
    const live = await vi.waitFor(
      () => {
        const voting = JSON.parse(published.filter((p) => p.includes('"voting"')).at(-1)!).session.state
          .voting;
        expect(voting).toMatchObject({ voterCount: 1 });
        return voting;
      },
      { timeout: 10_000 },
    );
    expect(live).toMatchObject({ voterCount: 1, voted: null });
    await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.po, {}));
    const results = (await call('GET', `/sessions/${id}/results`, as(tokens.po))).json;
    expect(results.participants).toBeNull();
    expect(results.items[0]).toMatchObject({ dots: 2, dotVoters: 1 });
    expect(JSON.stringify(results)).not.toContain(ana.participantId);
  });

  it('weighs WSJF as the product’s agreed criteria say, and records their version with the applied order', async () => {
    const criteria = (weights: Record<string, number>) =>
      call(
        'POST',
        `/products/${productId}/prioritisation-criteria`,
        as(tokens.po, { methods: ['wsjf'], wsjfWeights: weights, urgency: 'A clinic cannot book' }),
      );
    const agreed = await criteria({ businessValue: 2, timeCriticality: 1, riskReduction: 1 });
    expect(agreed.status).toBe(201);
    try {
      const { id } = await session({ methods: ['wsjf'] });
      await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, { spectator: false }));
      await call('POST', `/sessions/${id}/join`, as(tokens.team, {}));
      await call('POST', `/sessions/${id}/voting/open`, as(tokens.po, {}));
      const score = (token: string, itemId: string, body: Record<string, number>) =>
        call('POST', `/sessions/${id}/scores`, as(token, { itemId, ...body }));
      // Plain WSJF ties them at 2; value weighing double puts Reminders first.
      await score(tokens.stakeholder, itemIds[0], {
        userBusinessValue: 8,
        timeCriticality: 1,
        riskReduction: 1,
      });
      await score(tokens.stakeholder, itemIds[1], {
        userBusinessValue: 1,
        timeCriticality: 8,
        riskReduction: 1,
      });
      for (const itemId of itemIds.slice(0, 2)) await score(tokens.team, itemId, { jobSize: 5 });
      await call('POST', `/sessions/${id}/voting/reveal`, as(tokens.po, {}));
      const results = (await call('GET', `/sessions/${id}/results`, as(tokens.stakeholder))).json;
      const wsjfOf = (itemId: string) =>
        results.items.find((i: { itemId: string }) => i.itemId === itemId).wsjf;
      expect([wsjfOf(itemIds[0]), wsjfOf(itemIds[1])]).toEqual([3.6, 2.2]);
      expect(results.wsjfWeights).toEqual({
        version: agreed.json.version,
        weights: { businessValue: 2, timeCriticality: 1, riskReduction: 1 },
      });
      const applied = await call(
        'POST',
        `/sessions/${id}/apply-order`,
        as(tokens.po, { method: 'wsjf', reason: 'Value first, as agreed', itemIds: itemIds.slice(0, 2) }),
      );
      expect(applied.status).toBe(200);
      const log = await call('GET', `/products/${productId}/decisions?kind=proposal_applied`, as(tokens.po));
      expect(log.json.entries[0].after).toMatchObject({
        mode: 'session_wsjf',
        criteriaVersion: agreed.json.version,
      });
    } finally {
      // The other tests score with plain WSJF.
      await criteria({ businessValue: 1, timeCriticality: 1, riskReduction: 1 });
    }
  });

  it('limits guest joins per address and refuses closed or unknown links', async () => {
    const { id, joinCode } = await session();
    expect((await call('POST', '/join/not-a-code', { body: { displayName: 'x' } })).status).toBe(404);
    expect((await call('POST', `/join/${joinCode}`, { body: { displayName: '   ' } })).status).toBe(400);
    await call('POST', `/sessions/${id}/guest-link`, as(tokens.po, { open: false }));
    const closed = await call('POST', `/join/${joinCode}`, { body: { displayName: 'Late' } });
    expect(closed.status).toBe(403);
    await call('POST', `/sessions/${id}/guest-link`, as(tokens.po, { open: true }));
    let limited = null;
    for (let i = 0; i < 45 && !limited; i++) {
      const answer = await call('POST', `/join/${joinCode}`, { body: { displayName: `Guest ${i}` } });
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
