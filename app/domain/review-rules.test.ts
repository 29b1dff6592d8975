import { describe, expect, it } from 'vitest';
import { acceptRefusal, rejectRefusal, reviewLines, verdict } from './review-rules';

const criteria = `Scenario: Book a free slot
  Given a free slot
  When I book it
  Then it is mine

Scenario: A taken slot
  Given a taken slot
  When I book it
  Then I am told it is taken`;
const dod = [
  { id: 'tests', text: 'Automated tests' },
  { id: 'docs', text: 'Release notes' },
];

describe('review lines', () => {
  it('numbers the scenarios from 1, then the Definition of Done', () => {
    expect(reviewLines(criteria, dod)).toEqual([
      { key: 'criterion:1', kind: 'criterion', label: '1. Book a free slot' },
      { key: 'criterion:2', kind: 'criterion', label: '2. A taken slot' },
      { key: 'dod:tests', kind: 'dod', label: 'Automated tests' },
      { key: 'dod:docs', kind: 'dod', label: 'Release notes' },
    ]);
  });
  it('gives only the Definition of Done when there are no criteria or they do not parse', () => {
    expect(reviewLines('', dod).map((l) => l.key)).toEqual(['dod:tests', 'dod:docs']);
    expect(reviewLines('Scenario: x\n  Given a\nFeature: y\nFeature: z', dod).map((l) => l.key)).toEqual([
      'dod:tests',
      'dod:docs',
    ]);
  });
});

describe('accept', () => {
  const lines = reviewLines(criteria, dod);
  const allMet = Object.fromEntries(lines.map((l) => [l.key, true]));
  it('is allowed only when every line is met', () => {
    expect(acceptRefusal(lines, allMet)).toBeNull();
    expect(verdict(lines, allMet).acceptable).toBe(true);
  });
  it('is refused with an unmet line, naming it', () => {
    expect(acceptRefusal(lines, { ...allMet, 'criterion:2': false })).toMatch(/not met \(2\. A taken slot\)/);
  });
  it('is refused while a line is not checked', () => {
    const { 'dod:docs': _, ...rest } = allMet;
    expect(acceptRefusal(lines, rest)).toMatch(/Check every line.*Release notes/);
  });
});

describe('reject', () => {
  const lines = reviewLines(criteria, dod);
  const results = { 'criterion:1': true, 'criterion:2': false, 'dod:tests': false };
  it('needs feedback naming each unmet line', () => {
    expect(rejectRefusal(lines, results, [])).toMatch(/missing for: 2\. A taken slot; Automated tests/);
    expect(
      rejectRefusal(lines, results, [{ line: 'criterion:2', needed: 'Show the next free slot' }]),
    ).toMatch(/missing for: Automated tests/);
    expect(
      rejectRefusal(lines, results, [
        { line: 'criterion:2', needed: '  ' },
        { line: 'dod:tests', needed: 'x' },
      ]),
    ).toMatch(/missing for: 2\./);
    expect(
      rejectRefusal(lines, results, [
        { line: 'criterion:2', needed: 'Show the next free slot' },
        { line: 'dod:tests', needed: 'A test for the taken slot' },
      ]),
    ).toBeNull();
  });
  it('needs at least one line marked not met', () => {
    expect(rejectRefusal(lines, { 'criterion:1': true }, [])).toMatch(/mark at least one/);
  });
  it('refuses feedback on lines that are not the item’s or that are met', () => {
    expect(rejectRefusal(lines, results, [{ line: 'criterion:9', needed: 'x' }])).toMatch(/not a line/);
    expect(
      rejectRefusal(lines, results, [
        { line: 'criterion:2', needed: 'a' },
        { line: 'dod:tests', needed: 'b' },
        { line: 'criterion:1', needed: 'c' },
      ]),
    ).toMatch(/marked met/);
  });
});
