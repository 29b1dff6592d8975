import { describe, expect, it } from 'vitest';
import {
  compareRanks,
  isValidRank,
  needsRebalance,
  rankAtBottom,
  rankAtTop,
  rankBetween,
  ranksForCount,
  rebalance,
} from './rank';

/** Small deterministic PRNG so a failing run can be replayed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const strictlyAscending = (keys: string[]) => keys.every((k, i) => i === 0 || keys[i - 1] < k);

describe('rankBetween', () => {
  it('places a key strictly between two keys', () => {
    const [a, b] = ranksForCount(2);
    const m = rankBetween(a, b);
    expect(a < m && m < b).toBe(true);
  });
  it('works at both open ends', () => {
    const k = rankBetween(null, null);
    expect(rankBetween(null, k) < k).toBe(true);
    expect(rankBetween(k, null) > k).toBe(true);
  });
  it('refuses equal or reversed bounds with a clear message', () => {
    expect(() => rankBetween('a1', 'a0')).toThrow(/first key must sort before the second/);
    expect(() => rankBetween('a1', 'a1')).toThrow(/"a1" and "a1"/);
  });
  it('refuses malformed keys and names them', () => {
    expect(() => rankBetween('a0', 'zz')).toThrow(/Not a valid rank key: "zz"/);
    expect(() => rankBetween('', null)).toThrow(/Not a valid rank key/);
    expect(() => rankAtTop('a0 ')).toThrow(/Not a valid rank key: "a0 "/);
  });
  it('keeps strict order and uniqueness over 2,000 random insertions', () => {
    const random = mulberry32(42);
    const keys: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(random() * (keys.length + 1));
      const key = rankBetween(at === 0 ? null : keys[at - 1], at === keys.length ? null : keys[at]);
      keys.splice(at, 0, key);
    }
    expect(new Set(keys).size).toBe(2000);
    expect(keys.every(isValidRank)).toBe(true);
    expect(strictlyAscending(keys)).toBe(true);
    expect([...keys].sort(compareRanks)).toEqual(keys);
    // random inserts spread out, so keys stay short
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(20);
  });
  it('keeps key growth linear and modest when inserting at the same spot again and again', () => {
    const [first, last] = ranksForCount(2);
    let upper = last;
    let lower = first;
    const lengths: number[] = [];
    for (let i = 0; i < 200; i++) {
      // alternate between "right after first" and "right before last": the two worst cases
      if (i % 2 === 0) upper = rankBetween(first, upper);
      else lower = rankBetween(lower, last);
      lengths.push(Math.max(upper.length, lower.length));
    }
    expect(first < upper && lower < last).toBe(true);
    // about one character per ~6 halvings of a base-62 digit; 100 inserts on one side stays well under 40 chars
    expect(Math.max(...lengths)).toBeLessThanOrEqual(40);
  });
});

describe('rankAtTop / rankAtBottom', () => {
  it('gives the first key of an empty list', () => {
    expect(rankAtTop(null)).toBe('a0');
    expect(rankAtBottom(null)).toBe('a0');
  });
  it('keeps going up and down 1,000 times with short keys', () => {
    let top = 'a0';
    let bottom = 'a0';
    for (let i = 0; i < 1000; i++) {
      const t = rankAtTop(top);
      const b = rankAtBottom(bottom);
      expect(t < top).toBe(true);
      expect(b > bottom).toBe(true);
      top = t;
      bottom = b;
    }
    expect(top.length).toBeLessThanOrEqual(4);
    expect(bottom.length).toBeLessThanOrEqual(4);
  });
});

describe('ranksForCount / rebalance', () => {
  it('returns n ascending unique keys', () => {
    for (const n of [0, 1, 2, 61, 62, 63, 10_000]) {
      const keys = ranksForCount(n);
      expect(keys).toHaveLength(n);
      expect(new Set(keys).size).toBe(n);
      expect(strictlyAscending(keys)).toBe(true);
      expect(keys.every(isValidRank)).toBe(true);
    }
  });
  it('keeps keys for 10,000 items short', () => {
    expect(Math.max(...ranksForCount(10_000).map((k) => k.length))).toBeLessThanOrEqual(4);
  });
  it('leaves room between every neighbour and at both ends', () => {
    const keys = ranksForCount(100);
    for (let i = 1; i < keys.length; i++) {
      const m = rankBetween(keys[i - 1], keys[i]);
      expect(keys[i - 1] < m && m < keys[i]).toBe(true);
    }
    expect(rankAtTop(keys[0]) < keys[0]).toBe(true);
    expect(rankAtBottom(keys[99]) > keys[99]).toBe(true);
  });
  it('rebalance turns long keys back into short ones', () => {
    let k = 'a1';
    for (let i = 0; i < 600; i++) k = rankBetween('a0', k);
    expect(needsRebalance(k)).toBe(true);
    const fresh = rebalance(3);
    expect(fresh.every((r) => !needsRebalance(r))).toBe(true);
  });
  it('refuses a negative or fractional count', () => {
    expect(() => ranksForCount(-1)).toThrow(/non-negative whole number/);
    expect(() => ranksForCount(1.5)).toThrow(/non-negative whole number/);
  });
});

describe('isValidRank / compareRanks', () => {
  it('recognises library keys', () => {
    expect(isValidRank('a0')).toBe(true);
    expect(isValidRank(rankBetween('a0', 'a1'))).toBe(true);
    expect(isValidRank('')).toBe(false);
    expect(isValidRank('a')).toBe(false);
    expect(isValidRank('a0 ')).toBe(false);
    expect(isValidRank('a/')).toBe(false);
    expect(isValidRank('a0V0')).toBe(false);
    expect(isValidRank('b0')).toBe(false);
    expect(isValidRank('Zz')).toBe(true);
  });
  it('compares by code units, not locale (uppercase sorts before lowercase)', () => {
    expect(compareRanks('Zz', 'a0')).toBe(-1);
    expect(compareRanks('a0', 'a0')).toBe(0);
    expect(compareRanks('a0V', 'a0')).toBe(1);
  });
});
