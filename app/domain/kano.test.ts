import { describe, expect, it } from 'vitest';
import { type KanoAnswer, type KanoCategory, kanoAnswers, kanoCategory, kanoSummary } from './kano';

/**
 * The standard Kano evaluation table, written out independently of the implementation.
 * Functional answer (row) / dysfunctional answer (column) → category.
 */
const expected: Array<[KanoAnswer, KanoAnswer, KanoCategory]> = [
  ['like', 'like', 'questionable'],
  ['like', 'expect', 'attractive'],
  ['like', 'neutral', 'attractive'],
  ['like', 'tolerate', 'attractive'],
  ['like', 'dislike', 'performance'],
  ['expect', 'like', 'reverse'],
  ['expect', 'expect', 'indifferent'],
  ['expect', 'neutral', 'indifferent'],
  ['expect', 'tolerate', 'indifferent'],
  ['expect', 'dislike', 'must_be'],
  ['neutral', 'like', 'reverse'],
  ['neutral', 'expect', 'indifferent'],
  ['neutral', 'neutral', 'indifferent'],
  ['neutral', 'tolerate', 'indifferent'],
  ['neutral', 'dislike', 'must_be'],
  ['tolerate', 'like', 'reverse'],
  ['tolerate', 'expect', 'indifferent'],
  ['tolerate', 'neutral', 'indifferent'],
  ['tolerate', 'tolerate', 'indifferent'],
  ['tolerate', 'dislike', 'must_be'],
  ['dislike', 'like', 'reverse'],
  ['dislike', 'expect', 'reverse'],
  ['dislike', 'neutral', 'reverse'],
  ['dislike', 'tolerate', 'reverse'],
  ['dislike', 'dislike', 'questionable'],
];

describe('kanoCategory', () => {
  it('covers all 25 cells', () => {
    expect(expected).toHaveLength(25);
    expect(new Set(expected.map(([f, d]) => `${f}/${d}`)).size).toBe(25);
    expect(kanoAnswers).toHaveLength(5);
  });
  it.each(expected)('%s / %s → %s', (functional, dysfunctional, category) => {
    expect(kanoCategory(functional, dysfunctional)).toBe(category);
  });
  it('refuses an unknown answer', () => {
    expect(() => kanoCategory('love' as KanoAnswer, 'dislike')).toThrow(/Not a Kano answer pair/);
  });
});

const r = (functional: KanoAnswer, dysfunctional: KanoAnswer) => ({ functional, dysfunctional });
const M = r('expect', 'dislike');
const O = r('like', 'dislike');
const A = r('like', 'neutral');
const I = r('neutral', 'neutral');
const R = r('dislike', 'like');
const Q = r('like', 'like');

describe('kanoSummary', () => {
  it('has no dominant category without answers', () => {
    const s = kanoSummary([]);
    expect(s).toMatchObject({ total: 0, dominant: null, better: null, worse: null });
    expect(Object.values(s.counts).every((n) => n === 0)).toBe(true);
  });
  it('counts each category and picks the most frequent', () => {
    const s = kanoSummary([A, A, A, O, M, I, R, Q]);
    expect(s.counts).toEqual({
      must_be: 1,
      performance: 1,
      attractive: 3,
      indifferent: 1,
      reverse: 1,
      questionable: 1,
    });
    expect(s.total).toBe(8);
    expect(s.dominant).toBe('attractive');
  });
  it('breaks ties M > O > A > I', () => {
    expect(kanoSummary([I, A, O, M]).dominant).toBe('must_be');
    expect(kanoSummary([I, A, O]).dominant).toBe('performance');
    expect(kanoSummary([I, I, A, A]).dominant).toBe('attractive');
    expect(kanoSummary([I, R]).dominant).toBe('indifferent');
  });
  it('puts reverse and questionable last in ties but still reports them when they dominate', () => {
    expect(kanoSummary([R, Q]).dominant).toBe('reverse');
    expect(kanoSummary([Q, Q, M]).dominant).toBe('questionable');
  });
  it('computes Berger’s better/worse coefficients over A, O, M and I', () => {
    const s = kanoSummary([A, A, O, M, I, R, Q]);
    expect(s.better).toBe(0.6); // (2 + 1) / 5
    expect(s.worse).toBe(-0.4); // -(1 + 1) / 5
    expect(kanoSummary([R, Q]).better).toBeNull();
  });
});
