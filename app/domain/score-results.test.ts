import { describe, expect, it } from 'vitest';
import {
  anonymousGroupMinimum,
  partStats,
  proposedSessionOrder,
  type Score,
  scoreResults,
  stakeholderWeight,
} from './score-results';

const round2 = (n: number) => Math.round(n * 100) / 100;

describe('score results', () => {
  it('gives mean, median, spread and variation, weighted by stakeholder group', () => {
    expect(partStats([1, 3, 8].map((value) => ({ value, weight: 1 })))).toMatchObject({
      count: 3,
      mean: 4,
      median: 3,
      spread: 7,
      min: 1,
      max: 8,
    });
    expect(partStats([2, 4].map((value) => ({ value, weight: 1 })))!.median).toBe(3);
    // A group with weight 3 counts three times: (8*3 + 2) / 4 = 6.5
    expect(
      partStats([
        { value: 8, weight: 3 },
        { value: 2, weight: 1 },
      ])!.mean,
    ).toBe(6.5);
    expect(
      partStats([
        { value: 5, weight: 1 },
        { value: 5, weight: 1 },
      ])!.variation,
    ).toBe(0);
    expect(partStats([])).toBeNull();
  });

  it('computes WSJF from the mean parts, MoSCoW majority, Kano category, and flags the most contested item', () => {
    const s = (
      participantId: string,
      itemId: string,
      part: Score['part'],
      value: string | number,
    ): Score => ({ participantId, itemId, part, value: String(value) });
    const scores: Score[] = [
      s('p', 'a', 'userBusinessValue', 8),
      s('q', 'a', 'userBusinessValue', 8),
      s('p', 'a', 'timeCriticality', 5),
      s('q', 'a', 'timeCriticality', 5),
      s('p', 'a', 'riskReduction', 2),
      s('q', 'a', 'riskReduction', 2),
      s('p', 'a', 'jobSize', 3),
      s('p', 'b', 'userBusinessValue', 1),
      s('q', 'b', 'userBusinessValue', 20),
      s('p', 'b', 'moscow', 'must'),
      s('q', 'b', 'moscow', 'must'),
      s('r', 'b', 'moscow', 'could'),
      s('p', 'b', 'kanoFunctional', 'like'),
      s('p', 'b', 'kanoDysfunctional', 'dislike'),
      s('q', 'b', 'kanoFunctional', 'like'),
      s('q', 'b', 'kanoDysfunctional', 'dislike'),
      s('r', 'b', 'kanoFunctional', 'like'), // incomplete pair: ignored
    ];
    const [a, b, c] = scoreResults(
      ['a', 'b', 'c'],
      scores,
      () => 1,
      (id) => (id === 'b' ? 5 : null),
    );
    expect(a.wsjf).toBe(5); // (8 + 5 + 2) / 3
    expect(a.contested).toBe(false);
    expect(b.parts.userBusinessValue).toMatchObject({ mean: 10.5, spread: 19 });
    expect(b.wsjf).toBeNull(); // time criticality and risk reduction unscored
    expect(b.moscow.top).toBe('must');
    expect(b.kano).toMatchObject({ dominant: 'performance' });
    expect(b.contested).toBe(true);
    expect(c).toMatchObject({ wsjf: null, kano: null, disagreement: 0, contested: false });
    // With the agreed part weights (value ×2, time ×1, risk ×3): (2·8 + 5 + 3·2) / 3
    const [weighted] = scoreResults(['a'], scores, undefined, undefined, {
      businessValue: 2,
      timeCriticality: 1,
      riskReduction: 3,
    });
    expect(weighted.wsjf).toBe(9);
  });

  it('proposes an order by dots, by WSJF, or by both, keeping the current order on ties', () => {
    const current = ['a', 'b', 'c', 'd'];
    const dots = new Map([
      ['c', 5],
      ['b', 2],
    ]);
    const wsjf = new Map<string, number | null>([
      ['a', 1],
      ['b', 4],
      ['c', 2],
      ['d', null],
    ]);
    expect(proposedSessionOrder('dots', current, dots, wsjf)).toEqual(['c', 'b', 'a', 'd']);
    expect(proposedSessionOrder('wsjf', current, dots, wsjf)).toEqual(['b', 'c', 'a', 'd']);
    // places: c 0+1, b 1+0, a 2+2, d 3+3 → b and c tie at 1: current order puts b first
    expect(proposedSessionOrder('combined', current, dots, wsjf)).toEqual(['b', 'c', 'a', 'd']);
  });

  describe('stakeholder weights in anonymous results', () => {
    const weights: Record<string, number> = { Board: 4, Sales: 2, Support: 1 };
    const weigh =
      (groups: Record<string, string | null>, anonymous: boolean) =>
      (id: string, scorers: readonly string[]) =>
        stakeholderWeight(
          id,
          scorers,
          (p) => groups[p] ?? null,
          (g) => weights[g],
          anonymous,
        );

    it('named results use every group’s weight, however small the group', () => {
      const w = weigh({ a: 'Board', b: 'Sales', c: 'Support' }, false);
      expect(['a', 'b', 'c'].map((id) => w(id, ['a', 'b', 'c']))).toEqual([4, 2, 1]);
    });

    it('anonymous: one scorer per group with weights 1, 2 and 4 all count 1, so the counts no longer decode each vote', () => {
      const groups = { a: 'Board', b: 'Sales', c: 'Support' };
      expect(['a', 'b', 'c'].map((id) => weigh(groups, true)(id, ['a', 'b', 'c']))).toEqual([1, 1, 1]);
      const s = (participantId: string, value: string): Score => ({
        participantId,
        itemId: 'x',
        part: 'moscow',
        value,
      });
      // Weighted, must = 5 could only be Board + Support; unweighted, must = 2 says only that two of three chose it.
      const named = scoreResults(
        ['x'],
        [s('a', 'must'), s('b', 'should'), s('c', 'must')],
        weigh(groups, false),
      )[0];
      expect(named.moscow.counts).toMatchObject({ must: 5, should: 2 });
      const anonymous = scoreResults(
        ['x'],
        [s('a', 'must'), s('b', 'should'), s('c', 'must')],
        weigh(groups, true),
      )[0];
      expect(anonymous.moscow.counts).toMatchObject({ must: 2, should: 1 });
    });

    it(`anonymous: a group of ${anonymousGroupMinimum} or more scorers keeps its weight when everyone else is at least ${anonymousGroupMinimum} too`, () => {
      const groups = { a: 'Board', b: 'Board', c: 'Board', d: null, e: null, f: 'Sales' };
      const scorers = ['a', 'b', 'c', 'd', 'e', 'f'];
      const w = weigh(groups, true);
      // Sales has one scorer: weight 1, joining d and e (three at weight 1); Board's three keep 4.
      expect(scorers.map((id) => w(id, scorers))).toEqual([4, 4, 4, 1, 1, 1]);
      const mean = scoreResults(
        ['x'],
        scorers.map((p, i) => ({
          participantId: p,
          itemId: 'x',
          part: 'businessValue',
          value: String(i + 1),
        })),
        w,
      )[0];
      expect(mean.parts.businessValue!.mean).toBe(round2((4 * (1 + 2 + 3) + 4 + 5 + 6) / 15));
    });

    it('anonymous: when only one or two scores would count 1 beside weighted ones, everyone counts 1', () => {
      const groups = { a: 'Board', b: 'Board', c: 'Board', d: null };
      const scorers = ['a', 'b', 'c', 'd'];
      expect(scorers.map((id) => weigh(groups, true)(id, scorers))).toEqual([1, 1, 1, 1]);
      // Counted per item and part: the same people weigh 4 where all of Board scored it and a fourth did not.
      expect(['a', 'b', 'c'].map((id) => weigh(groups, true)(id, ['a', 'b', 'c']))).toEqual([4, 4, 4]);
      // A group with two scorers on this part counts 1, even if it has more members elsewhere.
      expect(
        ['a', 'b', 'd', 'e', 'f'].map((id) =>
          weigh({ ...groups, e: null, f: null }, true)(id, ['a', 'b', 'd', 'e', 'f']),
        ),
      ).toEqual([1, 1, 1, 1, 1]);
    });
  });
});
