/**
 * LexoRank-like rank strings, as Jira keeps in its Rank field: `0|i0000f:` or, between two neighbours, `0|i0000f:i`.
 * A rank is a base-36 fraction: six digits before the colon, any number after, never a trailing zero, so comparing
 * the strings compares the ranks.
 */

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BUCKET = '0|';
/** The spacing between ranks handed out in a row (Jira leaves room too). */
const STEP = 36 ** 2;

/** The digits of a rank string, trailing zeros dropped: `0|i00100:` → `i001`. */
function digitsOf(rank: string): string {
  const match = /^0\|([0-9a-z]{6}):([0-9a-z]*)$/.exec(rank);
  if (!match) throw new Error(`Not a rank: ${rank}`);
  return (match[1] + match[2]).replace(/0+$/, '');
}

function format(digits: string): string {
  const padded = digits.padEnd(6, '0');
  return `${BUCKET}${padded.slice(0, 6)}:${padded.slice(6)}`;
}

/** A fraction strictly between `a` and `b` (`b` null: 1), neither with trailing zeros. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a ? DIGITS.indexOf(a[0]) : 0;
  const digitB = b !== null ? DIGITS.indexOf(b[0]) : DIGITS.length;
  if (digitB - digitA > 1) return DIGITS[Math.round((digitA + digitB) / 2)];
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[digitA] + midpoint(a.slice(1), null);
}

/** A rank strictly between two ranks; either side may be missing (the start or the end of the order). */
export function rankBetween(before: string | null, after: string | null): string {
  const a = before === null ? '' : digitsOf(before);
  const b = after === null ? null : digitsOf(after);
  if (b !== null && a >= b) throw new Error(`Ranks out of order: ${before} >= ${after}`);
  if (b === null && before !== null) {
    // At the end: step on from the last rank while the six digits have room, as Jira does.
    const next = Number.parseInt(a.padEnd(6, '0').slice(0, 6), 36) + STEP;
    if (next < 36 ** 6) return format(next.toString(36).padStart(6, '0').replace(/0+$/, ''));
  }
  return format(midpoint(a, b));
}

export const compareRanks = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
