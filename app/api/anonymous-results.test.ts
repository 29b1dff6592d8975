import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

/**
 * Issue 12, items 6 and 7: anonymous results never single out a person, neither through stakeholder-group weights
 * nor through a removal after the reveal (decision 0017).
 */
describe.each(testBackends)('anonymous results on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const published: string[] = [];
  let po: string;
  let productId: string;
  let itemIds: string[];
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const groups = [
    { name: 'Board', weight: 4 },
    { name: 'Sales', weight: 2 },
    { name: 'Support', weight: 1 },
  ];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const base = testServices(database);
    const services: AppServices = {
      ...base,
      config: { ...base.config, GUEST_JOINS_PER_MINUTE: 60 },
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
    await call('POST', '/users', { body: { email: 'po@example.com', displayName: 'po', password } });
    po = (await call('POST', '/tokens', { body: { email: 'po@example.com', password } })).json.token;
    productId = (await call('POST', '/products', as(po, { name: 'Clinic' }))).json.id;
    itemIds = [];
    for (const title of ['Reminders', 'Payments']) {
      itemIds.push((await call('POST', `/products/${productId}/items`, as(po, { title }))).json.id);
    }
  });
  afterAll(() => database.close());

  /** A prioritisation session with guests, each put in a group (null: none) by the product owner. */
  async function session(settings: Record<string, unknown>, people: Array<[string, string | null]>) {
    const created = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(po, { title: 'Priorities', kind: 'prioritisation', agenda: itemIds, groups, ...settings }),
    );
    expect(created.status, created.text).toBe(201);
    const { id, joinCode } = created.json as { id: string; joinCode: string };
    const guests: Record<string, { participantId: string; guestToken: string }> = {};
    for (const [name, group] of people) {
      const joined = await call('POST', `/join/${joinCode}`, { body: { displayName: name } });
      expect(joined.status, joined.text).toBe(201);
      guests[name] = joined.json;
      if (group) {
        const grouped = await call(
          'POST',
          `/sessions/${id}/participants/group`,
          as(po, { participantId: joined.json.participantId, groupName: group }),
        );
        expect(grouped.status, grouped.text).toBe(204);
      }
    }
    expect((await call('POST', `/sessions/${id}/voting/open`, as(po, {}))).status).toBe(204);
    return { id, guests };
  }

  const score = async (id: string, token: string, body: Record<string, unknown>) => {
    const answer = await call('POST', `/sessions/${id}/scores`, as(token, { itemId: itemIds[0], ...body }));
    expect(answer.status, answer.text).toBeLessThan(300);
  };
  const dots = async (id: string, token: string, itemId: string, n: number) => {
    const answer = await call('POST', `/sessions/${id}/dots`, as(token, { itemId, dots: n }));
    expect(answer.status, answer.text).toBeLessThan(300);
  };
  const reveal = async (id: string) =>
    expect((await call('POST', `/sessions/${id}/voting/reveal`, as(po, {}))).status).toBe(204);
  const results = async (id: string) => {
    const answer = await call('GET', `/sessions/${id}/results`, as(po));
    expect(answer.status, answer.text).toBe(200);
    return answer.json;
  };
  const remove = async (id: string, participantId: string) =>
    expect(
      (await call('POST', `/sessions/${id}/participants/remove`, as(po, { participantId }))).status,
    ).toBe(204);

  const votes: Array<[string, string | null, string, number]> = [
    // name, group (weights 4, 2, 1), MoSCoW, business value
    ['Ana', 'Board', 'must', 9],
    ['Ben', 'Sales', 'should', 3],
    ['Cy', 'Support', 'must', 1],
  ];

  it('one voter per group with weights 1, 2, 4: anonymous results count everyone once, so they no longer decode each vote', async () => {
    const named = await session(
      { methods: ['moscow', 'businessValue'] },
      votes.map(([n, g]) => [n, g]),
    );
    const anonymous = await session(
      { methods: ['moscow', 'businessValue'], anonymous: true },
      votes.map(([n, g]) => [n, g]),
    );
    for (const s of [named, anonymous]) {
      for (const [name, , moscow, businessValue] of votes)
        await score(s.id, s.guests[name].guestToken, { moscow, businessValue });
      await reveal(s.id);
    }
    // Named: the weights apply, and must = 5 can only be Board (4) + Support (1), should = 2 only Sales.
    const weighted = (await results(named.id)).items[0];
    expect(weighted.moscow.counts).toMatchObject({ must: 5, should: 2 });
    expect(weighted.parts.businessValue.mean).toBe(Math.round(((9 * 4 + 3 * 2 + 1) / 7) * 100) / 100);
    // Anonymous: two chose must and one should; the mean is the plain mean. Nothing ties a value to a group.
    const plain = await results(anonymous.id);
    expect(plain.participants).toBeNull();
    expect(plain.items[0].moscow.counts).toMatchObject({ must: 2, should: 1 });
    expect(plain.items[0].parts.businessValue.mean).toBe(Math.round((13 / 3) * 100) / 100);
  });

  it('anonymous: a group with at least three scorers keeps its weight beside three or more others', async () => {
    const people: Array<[string, string | null]> = [
      ['Dee', 'Board'],
      ['Eve', 'Board'],
      ['Fay', 'Board'],
      ['Gus', null],
      ['Hal', null],
      ['Ida', 'Sales'],
    ];
    const s = await session({ methods: ['moscow'], anonymous: true }, people);
    for (const [name] of people)
      await score(s.id, s.guests[name].guestToken, {
        moscow: name === 'Dee' || name === 'Gus' ? 'must' : 'could',
      });
    await reveal(s.id);
    // Board (3 scorers) weighs 4; Sales has one scorer, so it counts 1 like Gus and Hal.
    expect((await results(s.id)).items[0].moscow.counts).toMatchObject({ must: 4 + 1, could: 4 * 2 + 2 });
  });

  it('anonymous: removing a participant after the reveal changes no total, live or over the API; a reset item is voted afresh', async () => {
    const s = await session({ methods: ['dots'], anonymous: true, dotBudget: 5, dotCap: 3 }, [
      ['Ana', null],
      ['Ben', null],
      ['Cy', null],
    ]);
    await dots(s.id, s.guests.Ana.guestToken, itemIds[0], 2);
    await dots(s.id, s.guests.Ben.guestToken, itemIds[0], 3);
    await dots(s.id, s.guests.Ben.guestToken, itemIds[1], 1);
    await dots(s.id, s.guests.Cy.guestToken, itemIds[1], 1);
    await reveal(s.id);
    const before = await results(s.id);
    expect(before.items.map((i: { dots: number; dotVoters: number }) => [i.dots, i.dotVoters])).toEqual([
      [5, 2],
      [2, 2],
    ]);
    const liveVoting = () =>
      JSON.parse(published.filter((p) => p.includes('"totals"')).at(-1)!).session.state.voting;
    const liveTotals = () => liveVoting().totals;
    const liveBefore = liveTotals();
    expect(liveVoting()).toMatchObject({ voterCount: 3, voted: null });

    const publishedBefore = published.length;
    await remove(s.id, s.guests.Ben.participantId);
    expect(published.length).toBeGreaterThan(publishedBefore);
    expect(JSON.stringify(liveVoting())).not.toContain(s.guests.Ben.participantId);
    expect(published.at(-1)).toContain('"totals"');
    // Also a regrouping after the reveal: weights do not move frozen results either.
    expect(
      (
        await call(
          'POST',
          `/sessions/${s.id}/participants/group`,
          as(po, { participantId: s.guests.Ana.participantId, groupName: 'Board' }),
        )
      ).status,
    ).toBe(204);
    const after = await results(s.id);
    expect(after).toEqual(before);
    expect(liveTotals()).toEqual(liveBefore);
    // Nor does the count of people who had voted say that the removed person was one of them.
    expect(liveVoting()).toMatchObject({ voterCount: 3, voted: null });
    expect(liveTotals()).toEqual([
      { itemId: itemIds[0], dots: 5 },
      { itemId: itemIds[1], dots: 2 },
    ]);

    // Resetting one item hides the results and clears its votes; the other item keeps what was revealed.
    expect(
      (await call('POST', `/sessions/${s.id}/voting/reset-item`, as(po, { itemId: itemIds[1] }))).status,
    ).toBe(204);
    expect((await call('GET', `/sessions/${s.id}/results`, as(po))).status).toBe(409);
    expect((await call('POST', `/sessions/${s.id}/voting/open`, as(po, {}))).status).toBe(204);
    await dots(s.id, s.guests.Cy.guestToken, itemIds[1], 3);
    await reveal(s.id);
    const again = await results(s.id);
    expect(
      again.items.map((i: { itemId: string; dots: number; dotRank: number }) => [
        i.itemId,
        i.dots,
        i.dotRank,
      ]),
    ).toEqual([
      [itemIds[0], 5, 1],
      [itemIds[1], 3, 2],
    ]);
  });

  it('named sessions: what was revealed stays too, and who voted what as revealed', async () => {
    const s = await session({ methods: ['dots'] }, [
      ['Ana', null],
      ['Ben', null],
    ]);
    await dots(s.id, s.guests.Ana.guestToken, itemIds[0], 2);
    await dots(s.id, s.guests.Ben.guestToken, itemIds[1], 3);
    await reveal(s.id);
    const before = await results(s.id);
    expect(before.participants.map((p: { name: string }) => p.name)).toEqual(['Ana', 'Ben']);
    await remove(s.id, s.guests.Ben.participantId);
    expect(await results(s.id)).toEqual(before);
  });
});
