/**
 * Planning poker: decks and the tally shown after a reveal. Pure, shared by the server (which keeps votes
 * secret until the reveal) and the room (which shows the tally).
 */
export const decks = {
  fibonacci: ['0', '1', '2', '3', '5', '8', '13', '21', '?', 'coffee'],
  tshirt: ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', 'coffee'],
} as const;
export type DeckName = keyof typeof decks;
export const deckNames = Object.keys(decks) as DeckName[];

/** Cards that say "I cannot estimate" or "I need a break": shown, but not counted in the statistics. */
export const nonEstimates: ReadonlySet<string> = new Set(['?', 'coffee']);

export const deckLabels: Record<DeckName, string> = {
  fibonacci: 'Fibonacci (0–21)',
  tshirt: 'T-shirt sizes',
};

/** A deck by its built-in name, or as its cards in order (a product's own deck, as a round keeps it). */
export type Deck = DeckName | readonly string[];

export const isDeckName = (value: unknown): value is DeckName =>
  typeof value === 'string' && Object.hasOwn(decks, value);

/** The cards of a deck, in order. */
export function cardsOf(deck: Deck): readonly string[] {
  return typeof deck === 'string' ? decks[deck] : deck;
}

/**
 * A round's deck as stored: `cards` is the snapshot of a product's own deck taken when the round opened (then
 * `deck` is that deck's name), or null for a built-in deck (then `deck` names it). An unknown name has no cards.
 */
export function roundDeck(deck: string, cards: readonly string[] | null | undefined) {
  if (cards) return { label: deck, cards: [...cards], numeric: isNumericDeck(cards) };
  const builtIn = isDeckName(deck) ? deck : null;
  return {
    label: builtIn ? deckLabels[builtIn] : deck,
    cards: builtIn ? [...decks[builtIn]] : [],
    numeric: builtIn ? isNumericDeck(decks[builtIn]) : false,
  };
}

/** A deck is numeric when every card but ? and coffee is a number: only then are a mean and points suggested. */
export function isNumericDeck(deck: Deck): boolean {
  const estimates = cardsOf(deck).filter((c) => !nonEstimates.has(c));
  return estimates.length > 0 && estimates.every((c) => /^\d+(\.\d+)?$/.test(c));
}

export function isOnDeck(deck: Deck, value: string): boolean {
  return cardsOf(deck).includes(value);
}

/** What a product's own deck may be: a few cards short enough to fit on a card. */
export const customDeckRules = { minCards: 2, maxCards: 20, maxCardLength: 8, maxNameLength: 40 } as const;

export type DeckInput =
  | { ok: true; name: string; cards: string[] }
  | { ok: false; field: 'name' | 'cards'; message: string };

/**
 * A product's own deck from what the person typed: a name and the cards separated by commas, in order (lowest
 * first, so the spread counts steps). 2–20 cards, each at most 8 characters, no card twice (case ignored).
 */
export function parseCustomDeck(name: string, cardsText: string): DeckInput {
  const { minCards, maxCards, maxCardLength, maxNameLength } = customDeckRules;
  const title = name.trim().replace(/\s+/g, ' ');
  if (!title) return { ok: false, field: 'name', message: 'Give the deck a name' };
  if (title.length > maxNameLength)
    return { ok: false, field: 'name', message: `A deck name is at most ${maxNameLength} characters` };
  const cards = cardsText
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (cards.length < minCards || cards.length > maxCards)
    return {
      ok: false,
      field: 'cards',
      message: `A deck has ${minCards} to ${maxCards} cards, separated by commas (this has ${cards.length})`,
    };
  const long = cards.find((c) => c.length > maxCardLength);
  if (long !== undefined)
    return {
      ok: false,
      field: 'cards',
      message: `Each card is at most ${maxCardLength} characters: “${long.slice(0, 20)}” is longer`,
    };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  const odd = cards.find((c) => /[\u0000-\u001f\u007f]/.test(c));
  if (odd !== undefined)
    return { ok: false, field: 'cards', message: 'A card cannot hold control characters' };
  const seen = new Set<string>();
  for (const card of cards) {
    const key = card.toLowerCase();
    if (seen.has(key)) return { ok: false, field: 'cards', message: `“${card}” is on the deck twice` };
    seen.add(key);
  }
  return { ok: true, name: title, cards };
}

/** How far apart (in cards of the deck) the lowest and highest estimate may be before the team should talk. */
export const wideSpreadSteps = 3;

export interface Tally {
  votes: number;
  /** every card of the deck that was played, in deck order, with how many played it */
  distribution: Array<{ value: string; count: number }>;
  /** on numeric decks only (Fibonacci, a deck of numbers); null for T-shirt sizes or when nobody gave a number */
  mean: number | null;
  /** a card: the middle estimate, in deck order (the lower middle for an even count) */
  median: string | null;
  /** the most played estimate cards (several on a tie), in deck order */
  mode: string[];
  /** highest estimate at least `wideSpreadSteps` cards above the lowest */
  wideSpread: boolean;
  /** how many played ? or coffee */
  abstained: number;
}

export function tally(deck: Deck, values: readonly string[]): Tally {
  const cards = cardsOf(deck);
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const distribution = cards
    .filter((card) => counts.has(card))
    .map((card) => ({ value: card, count: counts.get(card)! }));
  const estimates = values
    .filter((v) => cards.includes(v) && !nonEstimates.has(v))
    .sort((a, b) => cards.indexOf(a) - cards.indexOf(b));
  const numeric = isNumericDeck(cards) ? estimates.map(Number) : [];
  const mean =
    numeric.length > 0 ? Math.round((numeric.reduce((s, n) => s + n, 0) / numeric.length) * 10) / 10 : null;
  const median = estimates.length > 0 ? estimates[Math.floor((estimates.length - 1) / 2)] : null;
  const top = Math.max(0, ...distribution.filter((d) => !nonEstimates.has(d.value)).map((d) => d.count));
  const mode =
    top > 0
      ? distribution.filter((d) => !nonEstimates.has(d.value) && d.count === top).map((d) => d.value)
      : [];
  const wideSpread =
    estimates.length > 1 &&
    cards.indexOf(estimates[estimates.length - 1]) - cards.indexOf(estimates[0]) >= wideSpreadSteps;
  return {
    votes: values.length,
    distribution,
    mean,
    median,
    mode,
    wideSpread,
    abstained: values.filter((v) => nonEstimates.has(v)).length,
  };
}

/** The estimate a facilitator would most likely commit: the median card when it is whole points. */
export function suggestedEstimate(deck: Deck, result: Tally): number | null {
  if (!isNumericDeck(deck) || result.median === null) return null;
  const n = Number(result.median);
  return Number.isInteger(n) && n >= 0 && n <= 1000 ? n : null;
}
