/**
 * Kano model: each feature gets a functional question ("How do you feel if it has X?") and a dysfunctional one
 * ("… if it does not have X?"). The standard evaluation table (Kano 1984; Berger et al. 1993) maps the pair of
 * answers to a category.
 */
import { z } from 'zod';

export const kanoAnswers = ['like', 'expect', 'neutral', 'tolerate', 'dislike'] as const;
export type KanoAnswer = (typeof kanoAnswers)[number];
export const kanoAnswerSchema = z.enum(kanoAnswers);

export const kanoAnswerLabels: Record<KanoAnswer, string> = {
  like: 'I like it',
  expect: 'I expect it',
  neutral: 'I am neutral',
  tolerate: 'I can tolerate it',
  dislike: 'I dislike it',
};

export const kanoCategories = [
  'must_be',
  'performance',
  'attractive',
  'indifferent',
  'reverse',
  'questionable',
] as const;
export type KanoCategory = (typeof kanoCategories)[number];

export const kanoCategoryLabels: Record<KanoCategory, string> = {
  must_be: 'Must-be',
  performance: 'Performance (one-dimensional)',
  attractive: 'Attractive (delighter)',
  indifferent: 'Indifferent',
  reverse: 'Reverse',
  questionable: 'Questionable',
};

const [M, O, A, I, R, Q] = kanoCategories;

/** Rows: functional answer; columns: dysfunctional answer; both in `kanoAnswers` order. */
const table: ReadonlyArray<readonly KanoCategory[]> = [
  /*            like expect neutral tolerate dislike */
  /* like     */ [Q, A, A, A, O],
  /* expect   */ [R, I, I, I, M],
  /* neutral  */ [R, I, I, I, M],
  /* tolerate */ [R, I, I, I, M],
  /* dislike  */ [R, R, R, R, Q],
];

export function kanoCategory(functional: KanoAnswer, dysfunctional: KanoAnswer): KanoCategory {
  const row = kanoAnswers.indexOf(functional);
  const col = kanoAnswers.indexOf(dysfunctional);
  if (row < 0 || col < 0) throw new Error(`Not a Kano answer pair: ${functional} / ${dysfunctional}`);
  return table[row][col];
}

export interface KanoResponse {
  functional: KanoAnswer;
  dysfunctional: KanoAnswer;
}

export interface KanoSummary {
  total: number;
  counts: Record<KanoCategory, number>;
  /** the most frequent category; null without answers */
  dominant: KanoCategory | null;
  /** Berger's customer-satisfaction coefficients: (A+O)/(A+O+M+I) and −(O+M)/(A+O+M+I); null when undefined */
  better: number | null;
  worse: number | null;
}

/**
 * Ties go to the category that hurts most when ignored (Berger et al.: M > O > A > I). Reverse and questionable
 * come last: they signal a misunderstood question rather than a product decision.
 */
const tieOrder: readonly KanoCategory[] = [M, O, A, I, R, Q];

export function kanoSummary(responses: readonly KanoResponse[]): KanoSummary {
  const counts = Object.fromEntries(kanoCategories.map((c) => [c, 0])) as Record<KanoCategory, number>;
  for (const r of responses) counts[kanoCategory(r.functional, r.dysfunctional)]++;
  let dominant: KanoCategory | null = null;
  for (const c of tieOrder)
    if (counts[c] > 0 && (dominant === null || counts[c] > counts[dominant])) dominant = c;
  const base = counts.attractive + counts.performance + counts.must_be + counts.indifferent;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    total: responses.length,
    counts,
    dominant,
    better: base ? round((counts.attractive + counts.performance) / base) : null,
    worse: base ? round(-(counts.performance + counts.must_be) / base) : null,
  };
}
