import { describe, expect, it } from 'vitest';
import { dotTotals, dotsRefusal } from './dot-voting';

const rules = { budget: 5, cap: 3 };

describe('dot voting rules', () => {
  it('allows dots within the per-item cap and the budget, counting a move as a replacement', () => {
    const current = new Map([
      ['a', 2],
      ['b', 2],
    ]);
    expect(dotsRefusal(rules, current, 'c', 1)).toBeNull();
    expect(dotsRefusal(rules, current, 'a', 3)).toBeNull(); // 3 + 2 = 5
    expect(dotsRefusal(rules, current, 'a', 0)).toBeNull();
  });
  it('refuses over the budget, over the cap, and nonsense', () => {
    const current = new Map([
      ['a', 3],
      ['b', 2],
    ]);
    expect(dotsRefusal(rules, current, 'c', 1)).toMatch(/over your budget of 5 dots: you have 0 left/);
    expect(dotsRefusal(rules, new Map(), 'c', 4)).toMatch(/At most 3 dots on one item/);
    expect(dotsRefusal(rules, new Map(), 'c', -1)).toMatch(/zero or more/);
    expect(dotsRefusal(rules, new Map(), 'c', 1.5)).toMatch(/whole number/);
  });
  it('totals dots per item, most first, ties in agenda order, undotted items at zero', () => {
    const totals = dotTotals(
      ['a', 'b', 'c', 'd'],
      [
        { participantId: 'p', itemId: 'b', dots: 2 },
        { participantId: 'q', itemId: 'b', dots: 1 },
        { participantId: 'q', itemId: 'c', dots: 3 },
        { participantId: 'p', itemId: 'a', dots: 0 },
        { participantId: 'p', itemId: 'zzz', dots: 3 },
      ],
    );
    expect(totals).toEqual([
      { itemId: 'b', dots: 3, voters: 2 },
      { itemId: 'c', dots: 3, voters: 1 },
      { itemId: 'a', dots: 0, voters: 0 },
      { itemId: 'd', dots: 0, voters: 0 },
    ]);
  });
});
