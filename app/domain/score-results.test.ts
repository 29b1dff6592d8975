import { describe, expect, it } from 'vitest';
import { partStats, proposedSessionOrder, type Score, scoreResults } from './score-results';

describe('score results', () => {
  it('gives mean, median, spread and variation, weighted by stakeholder group', () => {
    expect(partStats([1, 3, 8].map((value) => ({ value, weight: 1 })))).toMatchObject({ count: 3, mean: 4, median: 3, spread: 7, min: 1, max: 8 });
    expect(partStats([2, 4].map((value) => ({ value, weight: 1 })))!.median).toBe(3);
    // A group with weight 3 counts three times: (8*3 + 2) / 4 = 6.5
    expect(partStats([{ value: 8, weight: 3 }, { value: 2, weight: 1 }])!.mean).toBe(6.5);
    expect(partStats([{ value: 5, weight: 1 }, { value: 5, weight: 1 }])!.variation).toBe(0);
    expect(partStats([])).toBeNull();
  });

  it('computes WSJF from the mean parts, MoSCoW majority, Kano category, and flags the most contested item', () => {
    const s = (participantId: string, itemId: string, part: Score['part'], value: string | number): Score => ({ participantId, itemId, part, value: String(value) });
    const scores: Score[] = [
      s('p', 'a', 'userBusinessValue', 8), s('q', 'a', 'userBusinessValue', 8),
      s('p', 'a', 'timeCriticality', 5), s('q', 'a', 'timeCriticality', 5),
      s('p', 'a', 'riskReduction', 2), s('q', 'a', 'riskReduction', 2),
      s('p', 'a', 'jobSize', 3),
      s('p', 'b', 'userBusinessValue', 1), s('q', 'b', 'userBusinessValue', 20),
      s('p', 'b', 'moscow', 'must'), s('q', 'b', 'moscow', 'must'), s('r', 'b', 'moscow', 'could'),
      s('p', 'b', 'kanoFunctional', 'like'), s('p', 'b', 'kanoDysfunctional', 'dislike'),
      s('q', 'b', 'kanoFunctional', 'like'), s('q', 'b', 'kanoDysfunctional', 'dislike'),
      s('r', 'b', 'kanoFunctional', 'like'), // incomplete pair: ignored
    ];
    const [a, b, c] = scoreResults(['a', 'b', 'c'], scores, () => 1, (id) => (id === 'b' ? 5 : null));
    expect(a.wsjf).toBe(5); // (8 + 5 + 2) / 3
    expect(a.contested).toBe(false);
    expect(b.parts.userBusinessValue).toMatchObject({ mean: 10.5, spread: 19 });
    expect(b.wsjf).toBeNull(); // time criticality and risk reduction unscored
    expect(b.moscow.top).toBe('must');
    expect(b.kano).toMatchObject({ dominant: 'performance' });
    expect(b.contested).toBe(true);
    expect(c).toMatchObject({ wsjf: null, kano: null, disagreement: 0, contested: false });
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
});
