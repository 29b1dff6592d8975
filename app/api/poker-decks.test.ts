import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { type ApiAnswer, apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

interface Deck {
  id: string;
  name: string;
  cards: string[];
}

describe.each(testBackends)('a product’s own poker decks through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  let productId: string;
  let otherProductId: string;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const decks = (id = productId) => `/products/${id}/poker-decks`;
  const add = (token: string, body: unknown, id = productId) => call('POST', decks(id), as(token, body));
  const remove = (token: string, deckId: string, id = productId) =>
    call('DELETE', `${decks(id)}/${deckId}`, as(token));
  const custom = async (id = productId, token = tokens.po): Promise<Deck[]> => {
    const listed = await call('GET', decks(id), as(token));
    expect(listed.status).toBe(200);
    return listed.json.custom;
  };
  const names = async (id = productId, token = tokens.po) => (await custom(id, token)).map((d) => d.name);
  const problem = (answer: ApiAnswer, status: number, field?: string) => {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    if (field) expect(answer.json.field, answer.text).toBe(field);
    return answer.json.detail as string;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    ({ tokens, userIds, productId } = await apiTeam(call, {
      team: 'team_member',
      stakeholder: 'stakeholder',
      leaver: 'team_member',
      outsider: null,
    }));
    otherProductId = (await call('POST', '/products', as(tokens.outsider, { name: 'Elsewhere' }))).json.id;
  });
  afterAll(() => database.close());

  it('adds the product owner’s deck, lists it to everyone in the product, and a round is played with it', async () => {
    const created = await add(tokens.po, { name: '  Hours ', cards: '1, 2, 4, 8, 16, ?' });
    expect(created.status).toBe(201);
    const hours = created.json as Deck;
    expect(hours).toEqual({ id: expect.any(String), name: 'Hours', cards: ['1', '2', '4', '8', '16', '?'] });
    expect(hours.id).toMatch(/^[0-9a-f-]{36}$/);

    const seen = await call('GET', decks(), as(tokens.stakeholder));
    expect(seen.status).toBe(200);
    expect(seen.json.custom).toEqual([hours]);
    expect(seen.json.mayEdit).toBe(false);
    expect(seen.json.builtIn.map((d: { key: string; name: string }) => [d.key, d.name])).toEqual([
      ['fibonacci', 'Fibonacci (0–21)'],
      ['tshirt', 'T-shirt sizes'],
    ]);
    expect(seen.json.builtIn[0].cards).toContain('13');
    expect((await call('GET', decks(), as(tokens.po))).json.mayEdit).toBe(true);
    expect((await call('GET', decks(), as(tokens.team))).json.mayEdit).toBe(true);

    // A round opened with it deals its cards, and only those.
    const itemId = (await call('POST', `/products/${productId}/items`, as(tokens.po, { title: 'Reports' })))
      .json.id;
    const session = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(tokens.po, { title: 'Poker', agenda: [itemId] }),
    );
    expect(session.status).toBe(201);
    const sessionId = session.json.id;
    for (const who of ['po', 'team'])
      expect((await call('POST', `/sessions/${sessionId}/join`, as(tokens[who], {}))).status).toBe(200);
    const round = await call('POST', `/sessions/${sessionId}/rounds`, as(tokens.po, { deck: hours.id }));
    expect(round.status).toBe(201);
    expect(round.json.deck).toBe('Hours');
    const state = await call('GET', `/sessions/${sessionId}`, as(tokens.team));
    expect(state.json.current.rounds[0]).toMatchObject({ deckLabel: 'Hours', cards: hours.cards });
    const vote = (value: string) =>
      call('POST', `/sessions/${sessionId}/estimates`, as(tokens.team, { value }));
    expect((await vote('5')).status).toBe(400);
    expect((await vote('16')).status).toBeLessThan(300);

    // The team keeps decks too: adds one, removes it.
    const sizes = await add(tokens.team, { name: 'Sizes', cards: 'tiny,small,big' });
    expect(sizes.status).toBe(201);
    expect(await names()).toEqual(['Hours', 'Sizes']);
    const removed = await remove(tokens.team, sizes.json.id);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(await names()).toEqual(['Hours']);
    // Gone: removing it again is not found.
    problem(await remove(tokens.po, sizes.json.id), 404);
  });

  it('refuses stakeholders (403), outsiders and removed members (404), and another product’s deck (404)', async () => {
    const mine = (await add(tokens.po, { name: 'Mine', cards: 'a,b,c' })).json as Deck;
    const theirs = (await add(tokens.outsider, { name: 'Theirs', cards: 'x,y' }, otherProductId))
      .json as Deck;
    const before = await custom();
    expect(before).toContainEqual(mine);

    // A stakeholder reads the decks but keeps none.
    expect(problem(await add(tokens.stakeholder, { name: 'S', cards: '1,2' }), 403)).toMatch(
      /product owner and the team/,
    );
    problem(await remove(tokens.stakeholder, mine.id), 403);
    expect((await call('GET', decks(), as(tokens.stakeholder))).status).toBe(200);

    // Someone of another product: not found, whatever they try (the product is not revealed).
    expect((await call('GET', decks(), as(tokens.outsider))).status).toBe(404);
    problem(await add(tokens.outsider, { name: 'Sneaky', cards: '1,2' }), 404);
    problem(await remove(tokens.outsider, mine.id), 404);
    // …nor through their own product's address, naming this product's deck.
    problem(await remove(tokens.outsider, mine.id, otherProductId), 404);
    // This product's owner, naming the other product's deck here, or there: not found.
    problem(await remove(tokens.po, theirs.id), 404);
    problem(await remove(tokens.po, theirs.id, otherProductId), 404);
    expect((await call('GET', decks(otherProductId), as(tokens.po))).status).toBe(404);
    problem(await add(tokens.po, { name: 'Planted', cards: '1,2' }, otherProductId), 404);
    expect(await custom()).toEqual(before);
    expect(await custom(otherProductId, tokens.outsider)).toEqual([theirs]);

    // Unknown and malformed ids: not found, never a server error.
    for (const deckId of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '%E2%80%8B', 'x'.repeat(300)])
      problem(await remove(tokens.po, deckId), 404);
    expect((await call('GET', decks('not-a-uuid'), as(tokens.po))).status).toBe(404);
    problem(await add(tokens.po, { name: 'N', cards: '1,2' }, 'not-a-uuid'), 404);

    // No token, or a made-up one: 401.
    for (const [method, path] of [
      ['GET', decks()],
      ['POST', decks()],
      ['DELETE', `${decks()}/${mine.id}`],
    ] as const) {
      const body = method === 'POST' ? { name: 'Anon', cards: '1,2' } : undefined;
      expect((await call(method, path, { body })).status, method).toBe(401);
      expect((await call(method, path, as('rfy_made_up', body))).status, method).toBe(401);
    }

    // A member removed from the product reads and keeps nothing any more.
    expect((await call('GET', decks(), as(tokens.leaver))).status).toBe(200);
    expect(
      (await call('DELETE', `/products/${productId}/members/${userIds.leaver}`, as(tokens.po))).status,
    ).toBe(204);
    expect((await call('GET', decks(), as(tokens.leaver))).status).toBe(404);
    problem(await add(tokens.leaver, { name: 'Parting gift', cards: '1,2' }), 404);
    problem(await remove(tokens.leaver, mine.id), 404);
    expect(await custom()).toEqual(before);
  });

  it('refuses malformed decks (400, naming the field) and stores none of them', async () => {
    expect((await add(tokens.po, { name: 'Taken', cards: '1,2' })).status).toBe(201);
    const before = await custom();
    const cases: Array<[string, unknown, string | undefined, RegExp]> = [
      ['malformed JSON', '{"name": "Broken", "cards": ', undefined, /Malformed JSON/],
      ['an array body', '[]', undefined, /JSON object/],
      ['no fields', {}, 'name', /Give the deck a name/],
      ['no cards', { name: 'No cards' }, 'cards', /List the cards/],
      ['no name', { cards: '1,2' }, 'name', /Give the deck a name/],
      ['a blank name', { name: '   ', cards: '1,2' }, 'name', /Give the deck a name/],
      ['a 5000-character name', { name: 'x'.repeat(5000), cards: '1,2' }, 'name', /at most 40/],
      ['a 41-character name', { name: 'x'.repeat(41), cards: '1,2' }, 'name', /at most 40/],
      ['one card', { name: 'One', cards: '5' }, 'cards', /2 to 20 cards/],
      [
        '100 cards',
        { name: 'Hundred', cards: Array.from({ length: 100 }, (_, i) => i).join(',') },
        'cards',
        /2 to 20 cards, separated by commas \(this has 100\)/,
      ],
      ['a huge cards text', { name: 'Huge', cards: 'x,'.repeat(3000) }, 'cards', /Too many cards/],
      ['a card twice', { name: 'Twice', cards: '1, 2, 2' }, 'cards', /“2” is on the deck twice/],
      ['a card twice, in other case', { name: 'Case', cards: 'S, M, s' }, 'cards', /twice/],
      ['a card too long', { name: 'Long', cards: '1,123456789' }, 'cards', /at most 8 characters/],
      ['a control character', { name: 'Bell', cards: '1,\u0007' }, 'cards', /control characters/],
      ['a name taken', { name: 'Taken', cards: '3,4' }, 'name', /already a deck called “Taken”/],
      ['a name taken, in other case', { name: 'tAKEN', cards: '3,4' }, 'name', /already a deck/],
      ['a built-in deck’s name', { name: 'T-shirt sizes', cards: 'S,M' }, 'name', /already a deck/],
      ['cards not a string', { name: 'Array', cards: ['1', '2'] }, 'cards', /cards/],
      ['a name not a string', { name: 42, cards: '1,2' }, 'name', /name/],
      ['an unknown field', { name: 'Extra', cards: '1,2', id: 'x' }, 'id', /Unknown field/],
      ['a NUL', { name: 'Nul\u0000', cards: '1,2' }, 'name', /NUL/],
    ];
    for (const [what, body, field, detail] of cases) {
      const answer = await add(tokens.po, body);
      expect(answer.status, what).toBe(400);
      if (field) expect(answer.json.field, what).toBe(field);
      expect(answer.json.detail, what).toMatch(detail);
    }
    expect(await custom()).toEqual(before);
  });

  it('keeps at most 20 decks a product: the 21st is refused (409) until one is removed', async () => {
    const limitsId = (await call('POST', '/products', as(tokens.po, { name: 'Limits' }))).json.id as string;
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const added = await add(tokens.po, { name: `Deck ${i}`, cards: `${i},${i + 1}` }, limitsId);
      expect(added.status, `deck ${i}`).toBe(201);
      ids.push(added.json.id);
    }
    expect(problem(await add(tokens.po, { name: 'Deck 21', cards: '1,2' }, limitsId), 409)).toMatch(
      /at most 20 decks/,
    );
    expect(await names(limitsId)).toHaveLength(20);
    expect(await names(limitsId)).not.toContain('Deck 21');
    expect((await remove(tokens.po, ids[0], limitsId)).status).toBe(204);
    expect((await add(tokens.po, { name: 'Deck 21', cards: '1,2' }, limitsId)).status).toBe(201);
    expect((await names(limitsId)).at(-1)).toBe('Deck 21');
  });

  it('is in the OpenAPI document, with its body and refusals', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    const list = doc.paths['/products/{productId}/poker-decks'];
    expect(list.get.operationId).toBe('listPokerDecks');
    expect(list.post.operationId).toBe('addPokerDeck');
    expect(list.post.description).toMatch(/separated by commas/);
    expect(Object.keys(list.post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409']),
    );
    const removal = doc.paths['/products/{productId}/poker-decks/{deckId}'].delete;
    expect(removal.operationId).toBe('removePokerDeck');
    expect(Object.keys(removal.responses)).toEqual(expect.arrayContaining(['204', '401', '403', '404']));
  });
});
