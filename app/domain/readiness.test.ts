import { describe, expect, it } from 'vitest';
import { checklistSchema, evaluateReadiness, overrideReasonSchema } from './readiness';

const checklist = [
  { id: 'story', text: 'Written as a user story' },
  { id: 'ac', text: 'Acceptance criteria agreed' },
  { id: 'est', text: 'Estimated by the team' },
];
const all = { story: true, ac: true, est: true };

describe('evaluateReadiness', () => {
  it('is ready when every check is met and nothing blocks it', () => {
    expect(evaluateReadiness({ checklist, checked: all, unresolvedDependencies: 0 })).toEqual({
      ready: true,
      met: 3,
      total: 3,
      missing: [],
      blockedByDependencies: false,
      overridden: false,
    });
  });
  it('lists the unmet checks by text, in checklist order', () => {
    const r = evaluateReadiness({ checklist, checked: { ac: true, est: false }, unresolvedDependencies: 0 });
    expect(r).toMatchObject({
      ready: false,
      met: 1,
      total: 3,
      missing: ['Written as a user story', 'Estimated by the team'],
    });
  });
  it('is not ready with an unresolved dependency even when the checklist is complete', () => {
    const r = evaluateReadiness({ checklist, checked: all, unresolvedDependencies: 2 });
    expect(r).toMatchObject({
      ready: false,
      met: 3,
      missing: [],
      blockedByDependencies: true,
      overridden: false,
    });
  });
  it('ignores checks for ids no longer on the checklist', () => {
    const r = evaluateReadiness({
      checklist,
      checked: { ...all, est: false, removed: true },
      unresolvedDependencies: 0,
    });
    expect(r).toMatchObject({ ready: false, met: 2, total: 3 });
  });
  it('counts only a real true as checked', () => {
    const checked = { story: true, ac: 'yes', est: 1 } as unknown as Record<string, boolean>;
    expect(evaluateReadiness({ checklist, checked, unresolvedDependencies: 0 }).met).toBe(1);
  });
  it('lets an override with a reason make an unready item ready, and says so', () => {
    const r = evaluateReadiness({
      checklist,
      checked: {},
      unresolvedDependencies: 1,
      override: { reason: 'Needed for the demo; risk accepted' },
    });
    expect(r).toMatchObject({ ready: true, met: 0, blockedByDependencies: true, overridden: true });
    expect(r.missing).toHaveLength(3);
  });
  it('does not accept an empty or blank override reason', () => {
    for (const reason of ['', '   ', '\n\t']) {
      const r = evaluateReadiness({
        checklist,
        checked: {},
        unresolvedDependencies: 0,
        override: { reason },
      });
      expect(r).toMatchObject({ ready: false, overridden: false });
    }
    expect(
      evaluateReadiness({ checklist, checked: {}, unresolvedDependencies: 0, override: null }).ready,
    ).toBe(false);
  });
  it('does not report an override that was not needed', () => {
    const r = evaluateReadiness({
      checklist,
      checked: all,
      unresolvedDependencies: 0,
      override: { reason: 'just in case' },
    });
    expect(r).toMatchObject({ ready: true, overridden: false });
  });
  it('treats an empty checklist as met, so only dependencies decide', () => {
    expect(evaluateReadiness({ checklist: [], checked: {}, unresolvedDependencies: 0 })).toMatchObject({
      ready: true,
      met: 0,
      total: 0,
    });
    expect(evaluateReadiness({ checklist: [], checked: {}, unresolvedDependencies: 1 }).ready).toBe(false);
  });
});

describe('checklistSchema', () => {
  it('accepts 1 to 30 items and trims texts', () => {
    const r = checklistSchema.safeParse([{ id: 'a', text: '  Small enough for one sprint  ' }]);
    expect(r.success && r.data[0].text).toBe('Small enough for one sprint');
    const thirty = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, text: `Check ${i}` }));
    expect(checklistSchema.safeParse(thirty).success).toBe(true);
  });
  it('refuses an empty list and more than 30 items', () => {
    expect(checklistSchema.safeParse([]).error?.issues[0].message).toMatch(/at least one/);
    const many = Array.from({ length: 31 }, (_, i) => ({ id: `c${i}`, text: `Check ${i}` }));
    expect(checklistSchema.safeParse(many).error?.issues[0].message).toMatch(/at most 30/);
  });
  it('refuses blank and over-long texts', () => {
    expect(checklistSchema.safeParse([{ id: 'a', text: '   ' }]).error?.issues[0].message).toMatch(
      /cannot be empty/,
    );
    expect(checklistSchema.safeParse([{ id: 'a', text: 'x'.repeat(200) }]).success).toBe(true);
    expect(checklistSchema.safeParse([{ id: 'a', text: 'x'.repeat(201) }]).error?.issues[0].message).toMatch(
      /200/,
    );
  });
  it('refuses duplicate ids and points at the duplicate', () => {
    const r = checklistSchema.safeParse([
      { id: 'a', text: 'One' },
      { id: 'b', text: 'Two' },
      { id: 'a', text: 'Three' },
    ]);
    expect(r.error?.issues[0]).toMatchObject({ message: 'Duplicate checklist id "a"', path: [2, 'id'] });
  });
  it('refuses missing ids and unknown shapes', () => {
    expect(checklistSchema.safeParse([{ id: '', text: 'x' }]).success).toBe(false);
    expect(checklistSchema.safeParse([{ text: 'x' }]).success).toBe(false);
    expect(checklistSchema.safeParse('x').success).toBe(false);
  });
});

describe('overrideReasonSchema', () => {
  it('needs a non-blank reason', () => {
    expect(overrideReasonSchema.safeParse('  ').success).toBe(false);
    expect(overrideReasonSchema.safeParse(' Demo for the board ').data).toBe('Demo for the board');
  });
});
