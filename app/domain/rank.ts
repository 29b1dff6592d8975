/**
 * Backlog ranks are fractional-index keys: a move rewrites only the moved row, and there is always room between
 * two neighbours. Keys compare by plain code-unit order (`<`), never `localeCompare`; in Postgres the rank column
 * must sort with the "C" collation for the same reason.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Plain string order, the only order the keys are valid under. */
export const compareRanks = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Keys this long mean many inserts at one spot; the caller should `rebalance` (a UI-invisible rewrite). */
export const rankRebalanceLength = 64;

/** The library accepts its bounds in either order; a reversed pair here is always a caller bug, so we refuse it. */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) {
    throw new Error(
      `Cannot rank between "${before}" and "${after}": the first key must sort before the second`,
    );
  }
  return generate(before, after);
}

/** A key above the current first item (or the first key of an empty list). */
export const rankAtTop = (first: string | null) => generate(null, first);

/** A key below the current last item (or the first key of an empty list). */
export const rankAtBottom = (last: string | null) => generate(last, null);

/**
 * `n` ascending keys for a fresh list. They are consecutive "integer" keys (a0, a1, …, az, b00, …): equal gaps, the
 * shortest keys the scheme has, and unbounded room above, below and between each pair.
 */
export function ranksForCount(n: number): string[] {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`Cannot make ${n} ranks: need a non-negative whole number`);
  return generateNKeysBetween(null, null, n);
}

/** Fresh short keys for an existing order of `n` items (apply them in the current order, in one transaction). */
export const rebalance = (n: number) => ranksForCount(n);

/**
 * True when the string is a well-formed key. Checked here because the library only validates the head and the
 * integer part: it would happily place items around "a0 " or "a/", which then sort unpredictably.
 */
export function isValidRank(key: string): boolean {
  if (!/^[A-Za-z][0-9A-Za-z]*$/.test(key)) return false;
  const head = key.charCodeAt(0);
  // the head encodes the integer part's length: a → 2 chars, b → 3, …; Z → 2, Y → 3, …
  const intLength = head >= 97 ? head - 97 + 2 : 90 - head + 2;
  if (key.length < intLength) return false;
  if (key.length > intLength && key.endsWith('0')) return false; // "a0V0" and "a0V" would be the same position
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

export const needsRebalance = (key: string) => key.length > rankRebalanceLength;

function generate(a: string | null, b: string | null): string {
  for (const key of [a, b])
    if (key !== null && !isValidRank(key)) throw new Error(`Not a valid rank key: "${key}"`);
  return generateKeyBetween(a, b);
}
