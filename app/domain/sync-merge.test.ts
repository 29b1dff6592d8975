import { describe, expect, it } from 'vitest';
import { mergeField, mergeIssue, sameSyncedValue } from './sync-merge';
import type { SyncedField, SyncedValues } from './tracker';

const agreed: SyncedValues = {
  summary: 'Book a slot',
  description: 'As a patient\nI want to book',
  criteria: 'Given a free slot',
  storyPoints: 3,
  labels: ['mvp', 'web'],
  parentKey: 'BOOK-1',
};

/** A value of each field different from the agreed one, and a third one. */
const changed: { [F in SyncedField]: [SyncedValues[F], SyncedValues[F]] } = {
  summary: ['Book a slot online', 'Book any slot'],
  description: ['As a patient\nI want to book online', 'As a nurse'],
  criteria: ['Given a free slot\nThen it is mine', null],
  storyPoints: [5, null],
  labels: [['mvp'], ['mvp', 'web', 'mobile']],
  parentKey: ['BOOK-2', null],
};

const fields = Object.keys(changed) as SyncedField[];
const noLive = { liveFields: new Set<SyncedField>() };
const live = { liveFields: new Set<SyncedField>(['description', 'criteria']) };
const withField = <F extends SyncedField>(values: SyncedValues, field: F, value: SyncedValues[F]) => ({
  ...values,
  [field]: value,
});

describe('mergeIssue: the rule, for every field', () => {
  const cases = fields.flatMap((field) => {
    const [one, two] = changed[field];
    return [
      {
        name: `${field}: unchanged on both sides → nothing`,
        base: agreed,
        ours: agreed,
        theirs: agreed,
        expected: { apply: {}, push: {}, conflicts: [], deferred: {}, base: agreed },
      },
      {
        name: `${field}: changed only in Jira → apply`,
        base: agreed,
        ours: agreed,
        theirs: withField(agreed, field, one),
        expected: {
          apply: { [field]: one },
          push: {},
          conflicts: [],
          deferred: {},
          base: withField(agreed, field, one),
        },
      },
      {
        name: `${field}: changed only in Refinery → push`,
        base: agreed,
        ours: withField(agreed, field, one),
        theirs: agreed,
        expected: {
          apply: {},
          push: { [field]: one },
          conflicts: [],
          deferred: {},
          base: withField(agreed, field, one),
        },
      },
      {
        name: `${field}: changed on both sides to the same value → nothing`,
        base: agreed,
        ours: withField(agreed, field, one),
        theirs: withField(agreed, field, one),
        expected: { apply: {}, push: {}, conflicts: [], deferred: {}, base: withField(agreed, field, one) },
      },
      {
        name: `${field}: changed on both sides differently → Jira wins, conflict recorded`,
        base: agreed,
        ours: withField(agreed, field, one),
        theirs: withField(agreed, field, two),
        expected: {
          apply: { [field]: two },
          push: {},
          conflicts: [{ field, ours: one, theirs: two, outcome: 'kept_jira' }],
          deferred: {},
          base: withField(agreed, field, two),
        },
      },
      {
        name: `${field}: no base yet, values differ → Jira's applies, no conflict`,
        base: null,
        ours: withField(agreed, field, one),
        theirs: withField(agreed, field, two),
        expected: {
          apply: { [field]: two },
          push: {},
          conflicts: [],
          deferred: {},
          base: withField(agreed, field, two),
        },
      },
      {
        name: `${field}: no base yet, same values → nothing`,
        base: null,
        ours: agreed,
        theirs: agreed,
        expected: { apply: {}, push: {}, conflicts: [], deferred: {}, base: agreed },
      },
    ];
  });

  it.each(cases)('$name', ({ base, ours, theirs, expected }) => {
    expect(mergeIssue(base, ours, theirs, noLive)).toEqual(expected);
  });
});

describe('mergeIssue: fields being edited live', () => {
  it.each([
    {
      name: 'changed on both sides → Jira deferred, conflict recorded, base kept',
      base: agreed,
      ours: { ...agreed, description: 'ours', criteria: 'Given ours' },
      theirs: { ...agreed, description: 'theirs', criteria: 'Given theirs' },
      expected: {
        apply: {},
        push: {},
        conflicts: [
          { field: 'description', ours: 'ours', theirs: 'theirs', outcome: 'deferred_live' },
          { field: 'criteria', ours: 'Given ours', theirs: 'Given theirs', outcome: 'deferred_live' },
        ],
        deferred: { description: 'theirs', criteria: 'Given theirs' },
        base: agreed,
      },
    },
    {
      name: 'changed only in Jira → deferred without a conflict, base kept',
      base: agreed,
      ours: agreed,
      theirs: { ...agreed, description: 'theirs' },
      expected: { apply: {}, push: {}, conflicts: [], deferred: { description: 'theirs' }, base: agreed },
    },
    {
      name: 'changed only in Refinery → pushed all the same',
      base: agreed,
      ours: { ...agreed, criteria: 'Given ours' },
      theirs: agreed,
      expected: {
        apply: {},
        push: { criteria: 'Given ours' },
        conflicts: [],
        deferred: {},
        base: { ...agreed, criteria: 'Given ours' },
      },
    },
    {
      name: "no base yet, values differ → deferred, base is Refinery's so the next sync applies Jira's",
      base: null,
      ours: { ...agreed, description: 'ours' },
      theirs: { ...agreed, description: 'theirs' },
      expected: {
        apply: {},
        push: {},
        conflicts: [],
        deferred: { description: 'theirs' },
        base: { ...agreed, description: 'ours' },
      },
    },
    {
      name: 'a field not live is merged as usual next to a live one',
      base: agreed,
      ours: { ...agreed, summary: 'ours', description: 'ours' },
      theirs: { ...agreed, summary: 'theirs', description: 'theirs' },
      expected: {
        apply: { summary: 'theirs' },
        push: {},
        conflicts: [
          { field: 'summary', ours: 'ours', theirs: 'theirs', outcome: 'kept_jira' },
          { field: 'description', ours: 'ours', theirs: 'theirs', outcome: 'deferred_live' },
        ],
        deferred: { description: 'theirs' },
        base: { ...agreed, summary: 'theirs' },
      },
    },
  ])('$name', ({ base, ours, theirs, expected }) => {
    expect(mergeIssue(base, ours, theirs, live)).toEqual(expected);
  });

  it('applies the deferred value on the next sync, once nobody edits live', () => {
    const ours = { ...agreed, description: 'ours' };
    const theirs = { ...agreed, description: 'theirs' };
    const first = mergeIssue(agreed, ours, theirs, live);
    const second = mergeIssue(first.base, ours, theirs, noLive);
    expect(second.apply).toEqual({ description: 'theirs' });
    expect(second.conflicts).toEqual([
      { field: 'description', ours: 'ours', theirs: 'theirs', outcome: 'kept_jira' },
    ]);

    const firstLink = mergeIssue(null, ours, theirs, live);
    expect(mergeIssue(firstLink.base, ours, theirs, noLive)).toMatchObject({
      apply: { description: 'theirs' },
      conflicts: [],
    });
  });
});

describe('what counts as the same value', () => {
  it.each([
    ['labels', ['a', 'b'], ['b', 'a', 'a'], true],
    ['labels', ['a'], ['a', 'b'], false],
    ['labels', [], [], true],
    ['description', 'a\r\nb  \n', 'a\nb', true],
    ['description', '\n\na\n\n', 'a', true],
    ['description', 'a\n\nb', 'a\nb', false],
    ['description', '  indented', 'indented', false],
    ['summary', 'Title ', 'Title', true],
    ['criteria', null, '', true],
    ['criteria', null, '\n', true],
    ['criteria', null, 'Given a', false],
    ['storyPoints', null, 0, false],
    ['storyPoints', 0.5, 0.5, true],
    ['parentKey', '', null, true],
    ['parentKey', 'A-1', 'A-2', false],
  ] as const)('%s: %j vs %j → %s', (field, a, b, same) => {
    expect(sameSyncedValue(field, a as never, b as never)).toBe(same);
  });

  it('does nothing when the two sides differ only in line endings, trailing spaces or label order', () => {
    const ours = { ...agreed, description: 'As a patient  \r\nI want to book\n', labels: ['web', 'mvp'] };
    expect(mergeIssue(agreed, ours, agreed, noLive)).toEqual({
      apply: {},
      push: {},
      conflicts: [],
      deferred: {},
      base: agreed,
    });
    expect(mergeIssue(null, ours, agreed, noLive).apply).toEqual({});
  });
});

describe('mergeField', () => {
  it.each([
    ['none', agreed, agreed, agreed, false],
    ['apply', agreed, agreed, { ...agreed, storyPoints: 8 }, false],
    ['push', agreed, { ...agreed, storyPoints: 8 }, agreed, false],
    ['kept_jira', agreed, { ...agreed, storyPoints: 8 }, { ...agreed, storyPoints: 13 }, false],
    ['deferred', agreed, agreed, { ...agreed, storyPoints: 8 }, true],
    ['deferred_live', agreed, { ...agreed, storyPoints: 8 }, { ...agreed, storyPoints: 13 }, true],
    ['apply', null, agreed, { ...agreed, storyPoints: 8 }, false],
    ['deferred', null, agreed, { ...agreed, storyPoints: 8 }, true],
  ] as const)('%s', (outcome, base, ours, theirs, isLive) => {
    expect(mergeField('storyPoints', base, ours, theirs, isLive)).toBe(outcome);
  });
});
