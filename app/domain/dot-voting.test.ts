import { describe, expect, it } from 'vitest';
import { applyDotRequests, dotTotals, dotsRefusal } from './dot-voting';

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

describe('a batch of dot requests (group commit)', () => {
  it('applies each request against the ones before it, as if each were alone', () => {
    const current = new Map([['p', new Map([['a', 2]])]]);
    const { outcomes, writes } = applyDotRequests(rules, current, [
      { participantId: 'p', itemId: 'b', dots: 3 }, // 2 + 3 = 5: the whole budget
      { participantId: 'p', itemId: 'c', dots: 1 }, // over the budget now
      { participantId: 'q', itemId: 'c', dots: 3 }, // someone else's budget is their own
      { participantId: 'p', itemId: 'a', dots: 0 }, // frees two
      { participantId: 'p', itemId: 'c', dots: 2 }, // fits again
    ]);
    expect(outcomes).toEqual([
      { ok: true, used: 5, left: 0 },
      { ok: false, refusal: expect.stringMatching(/over your budget of 5 dots: you have 0 left/) },
      { ok: true, used: 3, left: 2 },
      { ok: true, used: 3, left: 2 },
      { ok: true, used: 5, left: 0 },
    ]);
    expect(writes).toEqual([
      { participantId: 'p', itemId: 'b', dots: 3 },
      { participantId: 'q', itemId: 'c', dots: 3 },
      { participantId: 'p', itemId: 'a', dots: 0 },
      { participantId: 'p', itemId: 'c', dots: 2 },
    ]);
    expect(current.get('p')).toEqual(new Map([['a', 2]]));
  });

  it('writes only the last value of an item changed twice, and nothing for refused requests', () => {
    const { outcomes, writes } = applyDotRequests(rules, new Map(), [
      { participantId: 'p', itemId: 'a', dots: 1 },
      { participantId: 'p', itemId: 'a', dots: 4 },
      { participantId: 'p', itemId: 'a', dots: 3 },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(writes).toEqual([{ participantId: 'p', itemId: 'a', dots: 3 }]);
  });
});
