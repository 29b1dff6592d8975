import { describe, expect, it } from 'vitest';
import { compareIssueKeys, orderByRank, rankPlacement } from './jira-rank';

describe('rankPlacement', () => {
  it.each([
    {
      name: 'moved into the middle → after the one above',
      order: ['A-1', 'A-3', 'A-2'],
      moved: 'A-3',
      expected: { rankAfterIssue: 'A-1' },
    },
    {
      name: 'moved to the bottom → after the one above',
      order: ['A-1', 'A-2', 'A-3'],
      moved: 'A-3',
      expected: { rankAfterIssue: 'A-2' },
    },
    {
      name: 'moved to the top → before the one below',
      order: ['A-3', 'A-1', 'A-2'],
      moved: 'A-3',
      expected: { rankBeforeIssue: 'A-1' },
    },
    {
      name: 'two items, moved to the top',
      order: ['A-2', 'A-1'],
      moved: 'A-2',
      expected: { rankBeforeIssue: 'A-1' },
    },
    { name: 'the only linked item → nothing to rank against', order: ['A-1'], moved: 'A-1', expected: null },
    { name: 'not in the order → null', order: ['A-1', 'A-2'], moved: 'A-9', expected: null },
    { name: 'an empty order → null', order: [], moved: 'A-1', expected: null },
  ])('$name', ({ order, moved, expected }) => {
    expect(rankPlacement(order, moved)).toEqual(expected);
  });
});

describe('orderByRank', () => {
  it('orders by LexoRank in plain string order, unranked issues last by key number', () => {
    const issues = [
      { key: 'A-10', rank: null },
      { key: 'A-2', rank: '0|i0000z:' },
      { key: 'A-9', rank: null },
      { key: 'A-1', rank: '0|i00010:' },
      { key: 'A-3', rank: '0|hzzzzz:' },
      { key: 'A-4', rank: '1|a00000:' },
      { key: 'A-5', rank: '0|I00000:' },
    ];
    expect(orderByRank(issues).map((i) => i.key)).toEqual(['A-5', 'A-3', 'A-2', 'A-1', 'A-4', 'A-9', 'A-10']);
    expect(issues[0].key).toBe('A-10'); // a new array; the input is left alone
  });

  it('keeps the other properties, and orders equal ranks by key number', () => {
    const issues = [
      { key: 'B-12', rank: '0|a:', summary: 'twelve' },
      { key: 'B-3', rank: '0|a:', summary: 'three' },
    ];
    expect(orderByRank(issues)).toEqual([issues[1], issues[0]]);
  });
});

describe('compareIssueKeys', () => {
  it('compares key numbers as numbers, projects by name, an odd key by its text', () => {
    const keys = ['B-1', 'A-10', 'A-9', 'A-odd', 'A-100', 'AB-2'];
    expect([...keys].sort(compareIssueKeys)).toEqual(['A-9', 'A-10', 'A-100', 'A-odd', 'AB-2', 'B-1']);
  });
});
