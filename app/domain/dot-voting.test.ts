import { describe, expect, it } from 'vitest';
import {
  applyDotRequests,
  dotBudgetText,
  dotButtonRefusal,
  dotPileText,
  dotPileUnit,
  dotTotals,
  dotsRefusal,
} from './dot-voting';

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

describe('the dot buttons', () => {
  const open = { open: true, dots: 1, cap: 3, left: 2 };
  it('let a voter add and remove within the cap and the budget', () => {
    expect(dotButtonRefusal('add', open)).toBeNull();
    expect(dotButtonRefusal('remove', open)).toBeNull();
  });
  it('say why adding is refused: the cap first, then the budget', () => {
    expect(dotButtonRefusal('add', { ...open, dots: 3, left: 0 })).toBe(
      'At most 3 dots on one item: this one has 3.',
    );
    expect(dotButtonRefusal('add', { ...open, left: 0 })).toBe(
      'No dots left: take a dot off another item to place it here.',
    );
  });
  it('say why removing is refused, and that nothing changes while voting is not open', () => {
    expect(dotButtonRefusal('remove', { ...open, dots: 0 })).toBe(
      'There is no dot on this item to take off.',
    );
    for (const change of ['add', 'remove'] as const)
      expect(dotButtonRefusal(change, { ...open, open: false })).toMatch(/^Voting is not open/);
  });
  it('say plainly when no dots are left', () => {
    expect(dotBudgetText(0, 5)).toBe('No dots left');
    expect(dotBudgetText(2, 5)).toBe('2 of 5 dots left');
  });
});

describe('the revealed dot piles', () => {
  it('draw one circle per dot while the biggest pile fits, else scale every pile alike', () => {
    expect(dotPileUnit(0)).toBe(1);
    expect(dotPileUnit(30)).toBe(1);
    expect(dotPileUnit(31)).toBe(2);
    expect(dotPileUnit(600)).toBe(20);
    expect(dotPileUnit(601)).toBe(21);
  });
  it('say each pile in words', () => {
    expect(dotPileText(7, 3)).toBe('7 dots from 3 voters');
    expect(dotPileText(1, 1)).toBe('1 dot from 1 voter');
    expect(dotPileText(0, 0)).toBe('no dots');
  });
});
