import { describe, expect, it } from 'vitest';
import { compareRanks, rankBetween } from './ranks';

const FORMAT = /^0\|[0-9a-z]{6}:[0-9a-z]*$/;

describe('rank strings', () => {
  it('starts mid-range and steps on at the end, as Jira hands out ranks', () => {
    const first = rankBetween(null, null);
    expect(first).toBe('0|i00000:');
    let last = first;
    for (let i = 0; i < 500; i++) {
      const next = rankBetween(last, null);
      expect(next).toMatch(FORMAT);
      expect(compareRanks(last, next)).toBe(-1);
      last = next;
    }
  });

  it('always finds a rank strictly between two neighbours, however often one spot is used', () => {
    const order = [rankBetween(null, null)];
    order.push(rankBetween(order[0], null));
    // a fixed pseudo-random sequence, so a failure can be replayed
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3000; i++) {
      const at = i % 7 === 0 ? 1 : Math.floor(random() * (order.length + 1));
      const rank = rankBetween(order[at - 1] ?? null, order[at] ?? null);
      expect(rank).toMatch(FORMAT);
      order.splice(at, 0, rank);
    }
    for (let i = 1; i < order.length; i++) expect(compareRanks(order[i - 1], order[i])).toBe(-1);
    expect(Math.max(...order.map((rank) => rank.length))).toBeLessThan(200);
  });

  it('refuses neighbours out of order', () => {
    expect(() => rankBetween('0|i00001:', '0|i00000:')).toThrow();
  });
});
