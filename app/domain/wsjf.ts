/**
 * Weighted Shortest Job First (SAFe): WSJF = Cost of Delay / Job Size, where
 * Cost of Delay = user-business value + time criticality + risk reduction/opportunity enablement.
 */
import { z } from 'zod';

/**
 * SAFe's modified Fibonacci for every WSJF part. We deliberately stop at 20 (no 40/100): the parts are relative
 * scores where the smallest item in the set gets 1, and a wider scale only invites false precision between
 * stakeholders. Poker's 21 is a different scale (story points) and is refused here on purpose.
 */
export const fibonacciScale = [1, 2, 3, 5, 8, 13, 20] as const;
export type WsjfPartValue = (typeof fibonacciScale)[number];

export const wsjfPartSchema = z.literal(fibonacciScale, {
  error: `Use one of ${fibonacciScale.join(', ')} (SAFe's modified Fibonacci)`,
});

export interface WsjfParts {
  userBusinessValue: number | null | undefined;
  timeCriticality: number | null | undefined;
  riskReduction: number | null | undefined;
  jobSize: number | null | undefined;
}

export type CostOfDelayParts = Omit<WsjfParts, 'jobSize'>;

/** The four parts of an item, each optional until someone scores it. */
export const wsjfPartsSchema = z.object({
  userBusinessValue: wsjfPartSchema.nullable(),
  timeCriticality: wsjfPartSchema.nullable(),
  riskReduction: wsjfPartSchema.nullable(),
  jobSize: wsjfPartSchema.nullable(),
});

/** Missing, zero, negative or non-finite parts cannot be scored: treating them as 0 would invent a priority. */
const usable = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Rounds half up to 2 decimals; the epsilon keeps 1.005 from becoming 1.00 through binary floating point. */
export const round2 = (v: number) => Math.round((v + Number.EPSILON) * 100) / 100;

export function costOfDelay(parts: CostOfDelayParts): number | null {
  const { userBusinessValue: a, timeCriticality: b, riskReduction: c } = parts;
  if (!usable(a) || !usable(b) || !usable(c)) return null;
  return a + b + c;
}

/**
 * The score, rounded to 2 decimals, or null when it cannot be computed. Parts are not forced onto the scale
 * here: aggregated scores (means across stakeholders) are fractional and still need a score.
 */
export function wsjfScore(parts: WsjfParts): number | null {
  const cod = costOfDelay(parts);
  if (cod === null || !usable(parts.jobSize)) return null;
  return round2(cod / parts.jobSize);
}

export interface Spread {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** population standard deviation: the scorers in a session are all the scorers, not a sample of them */
  stdDev: number;
}

/**
 * How far scorers disagree on one part. Values are returned unrounded so callers can aggregate further;
 * round for display only. Null when nobody scored, because a spread of nothing is not a spread of zero.
 */
export function spread(values: readonly number[]): Spread | null {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return { count: n, min: sorted[0], max: sorted[n - 1], mean, median, stdDev: Math.sqrt(variance) };
}

/**
 * Distance in scale steps between two values on the WSJF scale (e.g. 2 → 8 is 3 steps), or null when either is
 * off the scale. Lets a session flag wide disagreement the same way poker does.
 */
export function scaleSteps(a: number, b: number): number | null {
  const ia = (fibonacciScale as readonly number[]).indexOf(a);
  const ib = (fibonacciScale as readonly number[]).indexOf(b);
  return ia < 0 || ib < 0 ? null : Math.abs(ia - ib);
}

/** How much each cost-of-delay part counts, as the product's stakeholders agreed (issue 17); 1 each is plain WSJF. */
export interface WsjfWeights {
  businessValue: number;
  timeCriticality: number;
  riskReduction: number;
}

export const equalWsjfWeights: WsjfWeights = { businessValue: 1, timeCriticality: 1, riskReduction: 1 };

/** Whether the weights are plain WSJF's (1 each): nothing to weigh, nothing to say. */
export const isEqualWeighting = (w: WsjfWeights) =>
  w.businessValue === 1 && w.timeCriticality === 1 && w.riskReduction === 1;

/**
 * WSJF with agreed part weights: (w₁·value + w₂·time criticality + w₃·risk reduction) / job size, rounded as
 * `wsjfScore`. With the equal weights it is exactly `wsjfScore`; weights that are not positive numbers score nothing.
 */
export function weightedWsjfScore(parts: WsjfParts, weights: WsjfWeights): number | null {
  const w = [weights.businessValue, weights.timeCriticality, weights.riskReduction];
  if (!w.every(usable)) return null;
  const { userBusinessValue: a, timeCriticality: b, riskReduction: c } = parts;
  if (!usable(a) || !usable(b) || !usable(c) || !usable(parts.jobSize)) return null;
  return round2((w[0] * a + w[1] * b + w[2] * c) / parts.jobSize);
}
