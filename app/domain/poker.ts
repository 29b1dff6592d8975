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

export function isOnDeck(deck: DeckName, value: string): boolean {
  return (decks[deck] as readonly string[]).includes(value);
}

/** How far apart (in cards of the deck) the lowest and highest estimate may be before the team should talk. */
export const wideSpreadSteps = 3;

export interface Tally {
  votes: number;
  /** every card of the deck that was played, in deck order, with how many played it */
  distribution: Array<{ value: string; count: number }>;
  /** over the numeric cards only (Fibonacci); null for T-shirt sizes or when nobody gave a number */
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

export function tally(deck: DeckName, values: readonly string[]): Tally {
  const cards = decks[deck] as readonly string[];
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const distribution = cards
    .filter((card) => counts.has(card))
    .map((card) => ({ value: card, count: counts.get(card)! }));
  const estimates = values
    .filter((v) => cards.includes(v) && !nonEstimates.has(v))
    .sort((a, b) => cards.indexOf(a) - cards.indexOf(b));
  const numeric = deck === 'fibonacci' ? estimates.map(Number) : [];
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

/** The estimate a facilitator would most likely commit: the median card when it is a number. */
export function suggestedEstimate(deck: DeckName, result: Tally): number | null {
  if (deck !== 'fibonacci' || result.median === null) return null;
  const n = Number(result.median);
  return Number.isFinite(n) ? n : null;
}
