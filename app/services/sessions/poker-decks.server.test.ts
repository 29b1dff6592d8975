import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, testServices } from '~/api/test-harness.server';
import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import { createApiToken } from '~/services/api-tokens.server';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import { firstError } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { createLogger } from '../../../server/logger';
import { joinSession } from './commands.server';
import { runDeckForm } from './deck-form.server';
import { runSessionCommand } from './dispatch.server';
import { castEstimate, revealEstimates, roundsFor, startEstimateRound } from './poker.server';
import { addPokerDeck, listPokerDecks, removePokerDeck } from './poker-decks.server';
import { createSession } from './sessions.server';

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'allowed';
}

describe.each(testBackends)('a product’s own poker decks, on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  let itemId: string;
  let services: Pick<AppServices, 'db' | 'live' | 'log'>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    other = await seedTeam(database.db, 'Other');
    itemId = (await createItem(database.db, team.productId, team.po, { title: 'Reports' })).id;
    services = { db: database.db, log: createLogger('silent'), live: { update: async () => {} } } as never;
  });
  afterAll(() => database.close());

  /** A session on the item, the product owner and Tom joined, the item current. */
  async function session() {
    const created = await createSession(database.db, team.productId, team.po, {
      title: 'Poker',
      agenda: [itemId],
    });
    await joinSession(database.db, created.id, team.po);
    await joinSession(database.db, created.id, team.dev);
    return created.id;
  }

  it('keeps decks added by the product owner and the team, validated', async () => {
    const db = database.db;
    const hours = await addPokerDeck(db, team.productId, team.po, {
      name: 'Hours',
      cards: '1, 2, 4, 8, 16, ?',
    });
    expect(hours.cards).toEqual(['1', '2', '4', '8', '16', '?']);
    const sizes = await addPokerDeck(db, team.productId, team.dev, {
      name: 'Sizes',
      cards: 'tiny,small,big',
    });
    const listed = await listPokerDecks(db, team.productId, team.stakeholder);
    expect(listed.custom.map((d) => d.name)).toEqual(['Hours', 'Sizes']);
    expect(listed.mayEdit).toBe(false);
    expect(listed.builtIn.map((d) => d.name)).toEqual(['Fibonacci (0–21)', 'T-shirt sizes']);
    // Malformed decks: one card, 21 cards, a card over 8 characters, a card twice, no name, a name taken.
    const add = (cards: string, name = 'New') => addPokerDeck(db, team.productId, team.po, { name, cards });
    expect(await refusal(add('5'))).toBe('invalid');
    expect(await refusal(add(Array.from({ length: 21 }, (_, i) => i).join(',')))).toBe('invalid');
    expect(await refusal(add('1,2,123456789'))).toBe('invalid');
    expect(await refusal(add('1,2,2'))).toBe('invalid');
    expect(await refusal(add('1,2', ' '))).toBe('invalid');
    expect(await refusal(add('1,2', 'hours'))).toBe('invalid');
    expect(await refusal(add('1,2', 'T-shirt sizes'))).toBe('invalid');
    expect(await refusal(addPokerDeck(db, team.productId, team.po, { name: 'x', cards: 3 as never }))).toBe(
      'invalid',
    );
    expect(
      await refusal(
        addPokerDeck(db, team.productId, team.po, { name: 'x', cards: '1,2', extra: 1 } as never),
      ),
    ).toBe('invalid');
    // Who: a stakeholder may not; someone of another product does not see the product.
    expect(
      await refusal(addPokerDeck(db, team.productId, team.stakeholder, { name: 'S', cards: '1,2' })),
    ).toBe('forbidden');
    expect(await refusal(addPokerDeck(db, team.productId, other.po, { name: 'O', cards: '1,2' }))).toBe(
      'not_found',
    );
    // Removing: another product's owner cannot, nor can anyone remove a deck through another product.
    const foreign = await addPokerDeck(db, other.productId, other.po, { name: 'Theirs', cards: 'a,b' });
    expect(await refusal(removePokerDeck(db, team.productId, team.po, foreign.id))).toBe('not_found');
    expect(await refusal(removePokerDeck(db, other.productId, team.po, foreign.id))).toBe('not_found');
    expect(await refusal(removePokerDeck(db, team.productId, team.stakeholder, sizes.id))).toBe('forbidden');
    await removePokerDeck(db, team.productId, team.dev, sizes.id);
    expect((await listPokerDecks(db, team.productId, team.po)).custom.map((d) => d.name)).toEqual(['Hours']);
    // The settings form says which field is wrong and keeps what was typed.
    const form = new FormData();
    form.set('intent', 'addDeck');
    form.set('name', 'Bad');
    form.set('cards', '1');
    const answer = await runDeckForm(services, team.productId, team.po, form);
    expect(answer).toMatchObject({
      status: 400,
      reply: { intent: 'addDeck', result: { initialValue: { name: 'Bad', cards: '1' } } },
    });
    expect(firstError(answer.reply.result)).toMatchObject({ field: 'cards' });
  });

  it('opens a round with the product’s own deck: its cards, a mean only when they are numbers', async () => {
    const db = database.db;
    const [hours] = (await listPokerDecks(db, team.productId, team.po)).custom;
    const sessionId = await session();
    const round = await runSessionCommand(services, 'startEstimateRound', sessionId, team.po, {
      deck: hours.id,
    });
    expect(round).toMatchObject({ deck: 'Hours', cards: ['1', '2', '4', '8', '16', '?'] });
    // Only cards of the round's deck count.
    expect(await refusal(castEstimate(db, sessionId, team.dev, '5'))).toBe('invalid');
    await castEstimate(db, sessionId, team.dev, '16');
    await castEstimate(db, sessionId, team.po, '2');
    await revealEstimates(db, sessionId, team.po);
    const [view] = await roundsFor(db, sessionId, itemId, null);
    expect(view).toMatchObject({ deckLabel: 'Hours', numeric: true, cards: hours.cards });
    expect(view.tally).toMatchObject({ mean: 9, wideSpread: true });
    // The next round offers the same deck; a word deck has no mean.
    const again = await startEstimateRound(db, sessionId, team.po);
    expect(again.deck).toBe('Hours');
    const words = await addPokerDeck(db, team.productId, team.po, { name: 'Words', cards: 'tiny,small,big' });
    await revealEstimates(db, sessionId, team.po);
    await startEstimateRound(db, sessionId, team.po, { deck: words.id });
    await castEstimate(db, sessionId, team.dev, 'big');
    await revealEstimates(db, sessionId, team.po);
    const [wordy] = await roundsFor(db, sessionId, itemId, null);
    expect(wordy).toMatchObject({ deckLabel: 'Words', numeric: false, tally: { mean: null, median: 'big' } });
    // A removed deck: its rounds keep their cards, and the next round falls back to the session's deck.
    await removePokerDeck(db, team.productId, team.po, words.id);
    expect((await roundsFor(db, sessionId, itemId, null))[0].cards).toEqual(['tiny', 'small', 'big']);
    const fallback = await startEstimateRound(db, sessionId, team.po);
    expect(fallback).toMatchObject({ deck: 'fibonacci', cards: null });
  });

  it('creates a session with the product’s own deck: its first round opens with it; another product’s is refused', async () => {
    const db = database.db;
    const [hours] = (await listPokerDecks(db, team.productId, team.po)).custom;
    const [theirs] = (await listPokerDecks(db, other.productId, other.po)).custom;
    const created = await createSession(db, team.productId, team.po, {
      title: 'Poker in hours',
      agenda: [itemId],
      deck: hours.id,
    });
    await joinSession(db, created.id, team.po);
    const round = await startEstimateRound(db, created.id, team.po, {});
    expect(round).toMatchObject({ deck: hours.name, cards: hours.cards });
    await expect(
      createSession(db, team.productId, team.po, { title: 'Theirs', agenda: [itemId], deck: theirs.id }),
    ).rejects.toMatchObject({ code: 'invalid', extra: { field: 'deck' } });
  });

  it('refuses another product’s deck, an unknown deck and a malformed one when opening a round', async () => {
    const db = database.db;
    const sessionId = await session();
    const [theirs] = (await listPokerDecks(db, other.productId, other.po)).custom;
    const start = (deck: unknown) =>
      runSessionCommand(services, 'startEstimateRound', sessionId, team.po, { deck } as never);
    expect(await refusal(start(theirs.id))).toBe('invalid');
    expect(await refusal(start('00000000-0000-4000-8000-000000000000'))).toBe('invalid');
    expect(await refusal(start('poker'))).toBe('invalid');
    expect(await refusal(start('constructor'))).toBe('invalid');
    // Over the API, the same: 400, and no round was opened.
    const call = apiClient({ ...testServices(database), live: services.live });
    const token = (await createApiToken(db, team.po, 'decks')).token;
    const post = async (body: unknown) =>
      (await call('POST', `/sessions/${sessionId}/rounds`, { token, body })).status;
    expect(await post({ deck: theirs.id })).toBe(400);
    expect(await post({ deck: 12 })).toBe(400);
    expect(await post({ deck: 'x'.repeat(100) })).toBe(400);
    expect(await roundsFor(db, sessionId, itemId, null)).toEqual([]);
    expect(await post({ deck: 'tshirt' })).toBe(201);
    const [opened] = await roundsFor(db, sessionId, itemId, null);
    expect(opened).toMatchObject({ deck: 'tshirt', deckLabel: 'T-shirt sizes', numeric: false, cards: null });
  });
});
