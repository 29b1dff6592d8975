import { describe, expect, it } from 'vitest';
import {
  acceptRefusal,
  reconcileTicks,
  rejectRefusal,
  reviewLines,
  type Tick,
  tickApplies,
  verdict,
} from './review-rules';

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

const key = /^criterion:[0-9a-f]{32}$/;
const [c1, c2] = reviewLines(criteria, []).map((l) => l.key);

describe('review lines', () => {
  it('names each scenario by the digest of its text, in order, then the Definition of Done', () => {
    const lines = reviewLines(criteria, dod);
    expect(lines.map((l) => l.label)).toEqual([
      '1. Book a free slot',
      '2. A taken slot',
      'Automated tests',
      'Release notes',
    ]);
    expect(lines.map((l) => l.kind)).toEqual(['criterion', 'criterion', 'dod', 'dod']);
    expect(lines[0].key).toMatch(key);
    expect(lines[1].key).toMatch(key);
    expect(lines[0].key).not.toBe(lines[1].key);
    expect(lines.slice(2).map((l) => l.key)).toEqual(['dod:tests', 'dod:docs']);
  });
  it('gives only the Definition of Done when there are no criteria or they do not parse', () => {
    expect(reviewLines('', dod).map((l) => l.key)).toEqual(['dod:tests', 'dod:docs']);
    expect(reviewLines('Scenario: x\n  Given a\nFeature: y\nFeature: z', dod).map((l) => l.key)).toEqual([
      'dod:tests',
      'dod:docs',
    ]);
  });
  it('keeps a scenario’s key wherever it moves and whatever the whitespace, comments or tags', () => {
    const moved = `Feature: Booking\n\n  @smoke\n  Scenario:   A taken slot\n    # why\n    Given a   taken slot\n    When I book it\n    Then I am told it is taken\n\n  Scenario: Book a free slot\n    Given a free slot\n    When I book it\n    Then it is mine`;
    expect(reviewLines(moved, []).map((l) => l.key)).toEqual([c2, c1]);
  });
  it('gives a scenario a new key when its name, a step, a table, an example or the background changes', () => {
    const variants = [
      criteria.replace('A taken slot', 'A slot taken'),
      criteria.replace('Then I am told it is taken', 'Then I am told it is free'),
      criteria.replace('Then I am told it is taken', 'Then I am told it is taken\n    | slot |\n    | 9am |'),
      `Background:\n  Given I am signed in\n\n${criteria}`,
    ];
    for (const v of variants) expect(reviewLines(v, [])[1].key, v).not.toBe(c2);
    const outline = (rows: string) =>
      reviewLines(
        `Scenario Outline: Book\n  Given <n> slots\n  Then I book one\n  Examples:\n    | n |\n${rows}`,
        [],
      )[0].key;
    expect(outline('    | 1 |')).not.toBe(outline('    | 2 |'));
  });
  it('tells identical scenarios apart by their order', () => {
    const twice = `${criteria}\n\nScenario: A taken slot\n  Given a taken slot\n  When I book it\n  Then I am told it is taken`;
    expect(reviewLines(twice, []).map((l) => l.key)).toEqual([c1, c2, `${c2}.2`]);
  });
});

describe('ticks belong to what was judged', () => {
  const lines = reviewLines(criteria, dod);
  const ticks: Tick[] = [
    { line: c1, label: '1. Book a free slot', met: true },
    { line: c2, label: '2. A taken slot', met: false, feedback: 'Offer the next slot' },
    { line: 'dod:tests', label: 'Automated tests', met: true },
  ];
  it('applies each tick to its line, and nothing is outdated while the criteria stand', () => {
    const c = reconcileTicks(lines, ticks);
    expect(c.results).toEqual({ [c1]: true, [c2]: false, 'dod:tests': true });
    expect(c.outdated).toEqual([]);
    expect(c.lines.map((l) => [l.met, l.changedSinceTicked])).toEqual([
      [true, false],
      [false, false],
      [true, false],
      [null, false],
    ]);
    expect(c.lines[1].feedback).toBe('Offer the next slot');
  });
  it('a scenario inserted above starts un-ticked and the old ticks stay with their scenarios', () => {
    const inserted = `Scenario: Book for someone else\n  Given a free slot\n  When I book it for my child\n  Then it is theirs\n\n${criteria}`;
    const c = reconcileTicks(reviewLines(inserted, dod), ticks);
    expect(c.lines.map((l) => [l.label, l.met])).toEqual([
      ['1. Book for someone else', null],
      ['2. Book a free slot', true],
      ['3. A taken slot', false],
      ['Automated tests', true],
      ['Release notes', null],
    ]);
    expect(c.outdated).toEqual([]);
  });
  it('an edited scenario starts un-ticked, flagged as changed, and its old tick is outdated', () => {
    const edited = criteria.replace('Given a free slot', 'Given a free slot this week');
    const c = reconcileTicks(reviewLines(edited, dod), ticks);
    expect(c.lines[0]).toMatchObject({ label: '1. Book a free slot', met: null, changedSinceTicked: true });
    expect(c.lines[1]).toMatchObject({ met: false, changedSinceTicked: false });
    expect(c.outdated).toEqual([
      { line: c1, label: '1. Book a free slot', met: true, reason: 'changed', replacedBy: c.lines[0].key },
    ]);
  });
  it('a renamed scenario at the same number is flagged as changed too', () => {
    const renamed = criteria.replace('Scenario: A taken slot', 'Scenario: Someone else has the slot');
    const c = reconcileTicks(reviewLines(renamed, dod), ticks);
    expect(c.lines[1]).toMatchObject({ met: null, changedSinceTicked: true });
    expect(c.outdated).toMatchObject([{ line: c2, met: false, reason: 'changed' }]);
  });
  it('a removed scenario leaves its tick outdated, as removed', () => {
    const c = reconcileTicks(reviewLines(criteria.split('\n\n')[0], dod), ticks);
    expect(c.lines.map((l) => l.key)).toEqual([c1, 'dod:tests', 'dod:docs']);
    expect(c.outdated).toEqual([
      { line: c2, label: '2. A taken slot', met: false, reason: 'removed', replacedBy: null },
    ]);
  });
  it('a Definition of Done line whose text changed loses its tick', () => {
    const reworded = [{ id: 'tests', text: 'Automated tests, run in CI' }, dod[1]];
    expect(tickApplies(ticks[2], reviewLines('', reworded)[0])).toBe(false);
    const c = reconcileTicks(reviewLines(criteria, reworded), ticks);
    expect(c.lines[2]).toMatchObject({ key: 'dod:tests', met: null, changedSinceTicked: true });
    expect(c.outdated).toMatchObject([{ line: 'dod:tests', label: 'Automated tests', reason: 'changed' }]);
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
    expect(acceptRefusal(lines, { ...allMet, [c2]: false })).toMatch(/not met \(2\. A taken slot\)/);
  });
  it('is refused while a line marked not met was removed or edited since, until that tick is cleared', () => {
    const onlyFirst = reviewLines(criteria.split('\n\n')[0], dod);
    const ticks: Tick[] = [
      ...onlyFirst.map((l) => ({ line: l.key, label: l.label, met: true })),
      { line: c2, label: '2. A taken slot', met: false },
    ];
    const c = reconcileTicks(onlyFirst, ticks);
    expect(verdict(onlyFirst, c.results).acceptable).toBe(true);
    expect(acceptRefusal(onlyFirst, c.results, c.outdated)).toMatch(
      /“2\. A taken slot” was marked not met and the criteria changed since \(removed\).*clear the outdated tick/,
    );
    const cleared = reconcileTicks(onlyFirst, ticks.slice(0, -1));
    expect(acceptRefusal(onlyFirst, cleared.results, cleared.outdated)).toBeNull();
  });
  it('is not blocked by an outdated tick that was met, once the lines as they read now are met', () => {
    expect(acceptRefusal(lines, allMet, [{ label: '2. Old', met: true, reason: 'changed' }])).toBeNull();
  });
  it('is refused while a line is not checked', () => {
    const { 'dod:docs': _, ...rest } = allMet;
    expect(acceptRefusal(lines, rest)).toMatch(/Check every line.*Release notes/);
  });
});

describe('reject', () => {
  const lines = reviewLines(criteria, dod);
  const results = { [c1]: true, [c2]: false, 'dod:tests': false };
  it('needs feedback naming each unmet line', () => {
    expect(rejectRefusal(lines, results, [])).toMatch(/missing for: 2\. A taken slot; Automated tests/);
    expect(rejectRefusal(lines, results, [{ line: c2, needed: 'Show the next free slot' }])).toMatch(
      /missing for: Automated tests/,
    );
    expect(
      rejectRefusal(lines, results, [
        { line: c2, needed: '  ' },
        { line: 'dod:tests', needed: 'x' },
      ]),
    ).toMatch(/missing for: 2\./);
    expect(
      rejectRefusal(lines, results, [
        { line: c2, needed: 'Show the next free slot' },
        { line: 'dod:tests', needed: 'A test for the taken slot' },
      ]),
    ).toBeNull();
  });
  it('needs at least one line marked not met', () => {
    expect(rejectRefusal(lines, { [c1]: true }, [])).toMatch(/mark at least one/);
  });
  it('refuses feedback on lines that are not the item’s or that are met', () => {
    expect(rejectRefusal(lines, results, [{ line: 'criterion:0', needed: 'x' }])).toMatch(/not a line/);
    expect(
      rejectRefusal(lines, results, [
        { line: c2, needed: 'a' },
        { line: 'dod:tests', needed: 'b' },
        { line: c1, needed: 'c' },
      ]),
    ).toMatch(/marked met/);
  });
});
