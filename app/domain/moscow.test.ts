import { describe, expect, it } from 'vitest';
import {
  compareMoscowThenWsjf,
  compareWsjf,
  type Moscow,
  moscowLabels,
  moscowSchema,
  moscowValues,
} from './moscow';

const item = (id: string, moscow: Moscow | null, wsjf: number | null, rank: string) => ({
  id,
  moscow,
  wsjf,
  rank,
});
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe('moscow values', () => {
  it('are must, should, could, wont with labels', () => {
    expect(moscowValues).toEqual(['must', 'should', 'could', 'wont']);
    expect(moscowLabels.wont).toBe('Won’t have (this time)');
    expect(moscowSchema.safeParse('should').success).toBe(true);
    expect(moscowSchema.safeParse("won't").error?.issues[0].message).toBe(
      'Use one of must, should, could, wont',
    );
  });
});

describe('compareMoscowThenWsjf', () => {
  it('orders by MoSCoW group, unset last', () => {
    const xs = [
      item('w', 'wont', 9, 'a0'),
      item('n', null, 9, 'a1'),
      item('c', 'could', 1, 'a2'),
      item('m', 'must', 1, 'a3'),
      item('s', 'should', 1, 'a4'),
    ];
    expect(ids([...xs].sort(compareMoscowThenWsjf))).toEqual(['m', 's', 'c', 'w', 'n']);
  });
  it('orders by WSJF descending inside a group, with missing WSJF last', () => {
    const xs = [
      item('low', 'must', 1.5, 'a0'),
      item('none', 'must', null, 'a1'),
      item('high', 'must', 12, 'a2'),
      item('mid', 'must', 3.33, 'a3'),
    ];
    expect(ids([...xs].sort(compareMoscowThenWsjf))).toEqual(['high', 'mid', 'low', 'none']);
  });
  it('keeps the current order for equal scores (rank tiebreak, by code units)', () => {
    const xs = [
      item('third', 'should', 2, 'a2'),
      item('first', 'should', 2, 'Zz'),
      item('second', 'should', 2, 'a0V'),
      item('nil2', null, null, 'a5'),
      item('nil1', null, null, 'a4'),
    ];
    expect(ids([...xs].sort(compareMoscowThenWsjf))).toEqual(['first', 'second', 'third', 'nil1', 'nil2']);
  });
  it('is a consistent comparator (antisymmetric, zero only for identical keys)', () => {
    const xs = [
      item('a', 'must', 3, 'a0'),
      item('b', 'must', null, 'a1'),
      item('c', null, 3, 'a2'),
      item('d', 'could', 0.5, 'a3'),
    ];
    for (const x of xs) {
      expect(compareMoscowThenWsjf(x, x)).toBe(0);
      for (const y of xs)
        if (x !== y)
          expect(Math.sign(compareMoscowThenWsjf(x, y))).toBe(-Math.sign(compareMoscowThenWsjf(y, x)));
    }
  });
});

describe('compareWsjf', () => {
  it('ignores MoSCoW and sorts by WSJF, nulls last, then rank', () => {
    const xs = [
      item('a', 'must', 1, 'a0'),
      item('b', 'wont', 8, 'a1'),
      item('c', null, null, 'a2'),
      item('d', 'could', 8, 'a0V'),
    ];
    expect(ids([...xs].sort(compareWsjf))).toEqual(['d', 'b', 'a', 'c']);
  });
});
