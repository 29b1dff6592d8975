import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { deckLabels, deckNames, isDeckName, parseCustomDeck, roundDeck } from '~/domain/poker';
import { can } from '~/domain/roles';
import { lockProduct } from '~/services/backlog/items.server';
import { authorize, isUuid } from '~/services/products.server';
import type { FormReply } from '~/utils/form-submission';
import type { Db, Tx } from '../../../db/client';
import { products } from '../../../db/schema';

/*
 * A product's own planning poker decks (Settings), and the deck a round is opened with. Adding and removing are
 * commands (`deck-commands.server.ts`): the API and the Settings forms run them there.
 */

export interface CustomDeck {
  id: string;
  name: string;
  cards: string[];
}

/** A product keeps at most this many decks of its own. */
export const maxCustomDecks = 20;

/** The product owner and the team keep the decks: they are the ones who estimate with them. */
const deckPermission = 'item.estimate' as const;

export async function customDecksOf(db: Db | Tx, productId: string): Promise<CustomDeck[]> {
  const [row] = await db
    .select({ decks: products.pokerDecks })
    .from(products)
    .where(eq(products.id, productId));
  return Array.isArray(row?.decks) ? row.decks : [];
}

/** The decks a round can be opened with: the built-in ones, then the product's own, each with its cards. */
export function deckChoices(custom: readonly CustomDeck[]) {
  return [
    ...deckNames.map((name) => ({ key: name as string, ...roundDeck(name, null) })),
    ...custom.map((d) => ({ key: d.id, ...roundDeck(d.name, d.cards) })),
  ];
}
export type DeckChoice = ReturnType<typeof deckChoices>[number];

export async function listPokerDecks(db: Db, productId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  const custom = await customDecksOf(db, productId);
  return {
    // `key` is what a round is opened with (`fibonacci`); `name` is what people read.
    builtIn: deckNames.map((name) => ({
      key: name,
      name: deckLabels[name],
      cards: roundDeck(name, null).cards,
    })),
    custom,
    mayEdit: can(role, deckPermission),
  };
}

export const addDeckSchema = z.strictObject({
  name: z.string({ message: 'Give the deck a name' }).max(200, 'A deck name is at most 40 characters'),
  cards: z.string({ message: 'List the cards, separated by commas' }).max(1000, 'Too many cards'),
});

async function authorizeDecks(db: Db, productId: string, actorId: string) {
  const role = await authorize(db, productId, actorId, 'product.view');
  if (!can(role, deckPermission))
    throw new AppError('forbidden', 'Only the product owner and the team keep the poker decks');
}

/** Adds a deck of the product's own, validated (2–20 distinct cards of at most 8 characters, a unique name). */
export async function addPokerDeck(
  db: Db,
  productId: string,
  actorId: string,
  raw: z.input<typeof addDeckSchema>,
): Promise<CustomDeck> {
  const shape = addDeckSchema.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'cards') });
  }
  await authorizeDecks(db, productId, actorId);
  const input = parseCustomDeck(shape.data.name, shape.data.cards);
  if (!input.ok) throw new AppError('invalid', input.message, { field: input.field });
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const decks = await customDecksOf(tx, productId);
    if (decks.length >= maxCustomDecks)
      throw new AppError('conflict', `A product has at most ${maxCustomDecks} decks of its own`);
    const taken = new Set([
      ...decks.map((d) => d.name.toLowerCase()),
      ...Object.values(deckLabels).map((l) => l.toLowerCase()),
    ]);
    if (taken.has(input.name.toLowerCase()))
      throw new AppError('invalid', `There is already a deck called “${input.name}”`, { field: 'name' });
    const deck: CustomDeck = { id: randomUUID(), name: input.name, cards: input.cards };
    await tx
      .update(products)
      .set({ pokerDecks: [...decks, deck] })
      .where(eq(products.id, productId));
    return deck;
  });
}

/** Removes one of the product's decks. Rounds played with it keep their cards. */
export async function removePokerDeck(db: Db, productId: string, actorId: string, deckId: string) {
  await authorizeDecks(db, productId, actorId);
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const decks = await customDecksOf(tx, productId);
    const kept = decks.filter((d) => d.id !== deckId);
    if (kept.length === decks.length) throw new AppError('not_found', 'No such deck in this product');
    await tx.update(products).set({ pokerDecks: kept }).where(eq(products.id, productId));
  });
}

/**
 * The deck a round opens with: a built-in one by name, or one of this product's own by id (its cards are copied
 * onto the round, so editing or removing the deck later changes no round). Another product's deck is unknown here.
 */
export async function resolveRoundDeck(
  tx: Tx,
  productId: string,
  choice: string,
): Promise<{ key: string; deck: string; cards: string[] | null }> {
  if (isDeckName(choice)) return { key: choice, deck: choice, cards: null };
  const found = isUuid(choice)
    ? (await customDecksOf(tx, productId)).find((d) => d.id === choice)
    : undefined;
  if (!found) throw new AppError('invalid', 'No such deck in this product', { field: 'deck' });
  return { key: found.id, deck: found.name, cards: [...found.cards] };
}

/**
 * The deck the room offers first when a round opens: the one the session's last round was opened with, else
 * the session's own deck. Kept in the session's settings as `lastDeck` by `startEstimateRound`.
 */
export function preferredDeckKey(session: { settings: Record<string, unknown> }): string {
  const last = session.settings.lastDeck;
  if (typeof last === 'string' && last) return last;
  const deck = session.settings.deck;
  return isDeckName(deck) ? deck : 'fibonacci';
}

/** What the Settings page's deck forms answer: which form, its reply, and what was done. */
export interface DeckFormReply {
  intent: 'addDeck' | 'removeDeck';
  result: FormReply;
  message?: string;
}

export const isDeckIntent = (value: unknown): value is 'addDeck' | 'removeDeck' =>
  value === 'addDeck' || value === 'removeDeck';
