import { describe, expect, it } from 'vitest';
import {
  costOfDelay,
  fibonacciScale,
  round2,
  scaleSteps,
  spread,
  wsjfPartSchema,
  wsjfPartsSchema,
  wsjfScore,
} from './wsjf';

const parts = (
  userBusinessValue: number | null,
  timeCriticality: number | null,
  riskReduction: number | null,
  jobSize: number | null,
) => ({
  userBusinessValue,
  timeCriticality,
  riskReduction,
  jobSize,
});

describe('wsjfPartSchema', () => {
  it('accepts exactly the SAFe scale 1, 2, 3, 5, 8, 13, 20', () => {
    expect([...fibonacciScale]).toEqual([1, 2, 3, 5, 8, 13, 20]);
    for (const v of fibonacciScale) expect(wsjfPartSchema.safeParse(v).success).toBe(true);
  });
  it('refuses values off the scale, poker-only values and non-numbers with a message naming the scale', () => {
    for (const v of [0, 4, 21, 40, 100, -1, 1.5, '5', null, Number.NaN]) {
      const r = wsjfPartSchema.safeParse(v);
      expect(r.success, String(v)).toBe(false);
      expect(r.error?.issues[0].message).toContain('1, 2, 3, 5, 8, 13, 20');
    }
  });
  it('validates an item’s parts, each nullable', () => {
    expect(wsjfPartsSchema.safeParse(parts(8, null, 3, 5)).success).toBe(true);
    expect(wsjfPartsSchema.safeParse(parts(8, 4, 3, 5)).success).toBe(false);
  });
});

describe('costOfDelay', () => {
  it('adds the three parts', () => {
    expect(costOfDelay({ userBusinessValue: 8, timeCriticality: 5, riskReduction: 2 })).toBe(15);
  });
  it('is null when any part is missing, zero or negative', () => {
    expect(costOfDelay({ userBusinessValue: 8, timeCriticality: null, riskReduction: 2 })).toBeNull();
    expect(costOfDelay({ userBusinessValue: 8, timeCriticality: undefined, riskReduction: 2 })).toBeNull();
    expect(costOfDelay({ userBusinessValue: 0, timeCriticality: 1, riskReduction: 2 })).toBeNull();
    expect(costOfDelay({ userBusinessValue: -3, timeCriticality: 1, riskReduction: 2 })).toBeNull();
  });
});

describe('wsjfScore', () => {
  it('divides cost of delay by job size', () => {
    expect(wsjfScore(parts(8, 5, 2, 5))).toBe(3);
    expect(wsjfScore(parts(20, 20, 20, 1))).toBe(60);
    expect(wsjfScore(parts(1, 1, 1, 20))).toBe(0.15);
  });
  it('rounds to 2 decimals, half up', () => {
    expect(wsjfScore(parts(1, 1, 8, 3))).toBe(3.33);
    expect(wsjfScore(parts(8, 8, 4, 3))).toBe(6.67);
    expect(wsjfScore(parts(1, 1, 3, 13))).toBe(0.38); // 0.3846…
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2.675)).toBe(2.68);
  });
  it('scores fractional (aggregated) parts too', () => {
    expect(wsjfScore(parts(6.5, 3, 2.5, 4))).toBe(3);
  });
  it('is null when any part or the job size is missing or zero', () => {
    expect(wsjfScore(parts(null, 5, 2, 5))).toBeNull();
    expect(wsjfScore(parts(8, null, 2, 5))).toBeNull();
    expect(wsjfScore(parts(8, 5, null, 5))).toBeNull();
    expect(wsjfScore(parts(8, 5, 2, null))).toBeNull();
    expect(wsjfScore(parts(8, 5, 2, 0))).toBeNull();
    expect(wsjfScore(parts(0, 5, 2, 3))).toBeNull();
    expect(wsjfScore(parts(8, 5, 2, Number.POSITIVE_INFINITY))).toBeNull();
    expect(
      wsjfScore({ userBusinessValue: 8, timeCriticality: 5, riskReduction: 2, jobSize: undefined }),
    ).toBeNull();
  });
  it('ranks a small valuable job above a big one with the same cost of delay', () => {
    expect(wsjfScore(parts(8, 5, 3, 2))!).toBeGreaterThan(wsjfScore(parts(8, 5, 3, 13))!);
  });
});

describe('spread', () => {
  it('is null for no scores', () => {
    expect(spread([])).toBeNull();
  });
  it('describes a single score', () => {
    expect(spread([5])).toEqual({ count: 1, min: 5, max: 5, mean: 5, median: 5, stdDev: 0 });
  });
  it('computes min, max, mean, median and population standard deviation', () => {
    const s = spread([2, 4, 4, 4, 5, 5, 7, 9])!;
    expect(s).toMatchObject({ count: 8, min: 2, max: 9, mean: 5, median: 4.5 });
    expect(s.stdDev).toBe(2);
  });
  it('takes the middle value for an odd count regardless of input order', () => {
    expect(spread([13, 1, 3])!.median).toBe(3);
  });
  it('does not mutate its input and ignores non-finite values', () => {
    const input = [8, 1, Number.NaN, 3];
    const s = spread(input)!;
    expect(input).toEqual([8, 1, Number.NaN, 3]);
    expect(s.count).toBe(3);
    expect(s.mean).toBe(4);
  });
  it('shows disagreement the mean hides', () => {
    const agree = spread([5, 5, 5, 5])!;
    const split = spread([1, 1, 8, 8, 8])!;
    expect(split.mean).toBeCloseTo(agree.mean + 0.2, 10);
    expect(agree.stdDev).toBe(0);
    expect(split.stdDev).toBeCloseTo(3.43, 2);
    expect(split.max - split.min).toBe(7);
  });
});

describe('scaleSteps', () => {
  it('counts steps on the scale and refuses values off it', () => {
    expect(scaleSteps(2, 8)).toBe(3);
    expect(scaleSteps(20, 1)).toBe(6);
    expect(scaleSteps(5, 5)).toBe(0);
    expect(scaleSteps(4, 5)).toBeNull();
  });
});
