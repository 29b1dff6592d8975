import { describe, expect, it } from 'vitest';
import { escapeMarkdown, type SessionSummary, summaryMarkdown } from './session-summary';

const summary: SessionSummary = {
  title: 'Refinement <b>#12</b>',
  kind: 'Refinement workshop',
  productName: 'Harbor',
  startedAt: '2026-11-28 10:00 UTC',
  endedAt: '2026-11-28 11:00 UTC',
  facilitator: 'Olivia',
  participants: [
    { name: 'Olivia', spectator: false },
    { name: 'Sam', spectator: true },
  ],
  items: [
    {
      title: 'Book | cancel',
      type: 'story',
      status: 'ready',
      estimateBefore: null,
      estimateAfter: 5,
      ready: true,
      readyMet: 4,
      readyTotal: 4,
      rounds: 2,
      lastTally: { mean: 5, median: '5', wideSpread: false },
    },
    {
      title: 'Reminders',
      type: 'story',
      status: 'new',
      estimateBefore: 3,
      estimateAfter: 3,
      ready: false,
      readyMet: 1,
      readyTotal: 4,
      rounds: 1,
      lastTally: { mean: 6, median: '3', wideSpread: true },
    },
  ],
  newStories: [{ title: 'Cancel by SMS', parentTitle: 'Book | cancel' }],
  openQuestions: [{ text: 'Which SMS provider?', author: 'Tom', itemTitle: 'Reminders' }],
  resolvedQuestions: 1,
};

describe('session summary markdown', () => {
  it('lists who took part, estimate changes, readiness, new stories and open questions', () => {
    const md = summaryMarkdown(summary);
    expect(md).toContain('- Sam (watching)');
    expect(md).toContain('| Book \\| cancel | – → 5 | yes | 2 | ready |');
    expect(md).toContain('| Reminders | 3 | no (1/4) | 1, wide spread | new |');
    expect(md).toContain('- Cancel by SMS (from Book \\| cancel)');
    expect(md).toContain('- Which SMS provider? (Tom, on Reminders)');
  });
  it('escapes what people typed, so a title cannot become HTML or a table cell', () => {
    expect(summaryMarkdown(summary).split('\n')[0]).toBe('# Refinement \\<b\\>\\#12\\</b\\>');
    expect(escapeMarkdown('a\nb')).toBe('a b');
  });
  it('says so when nothing happened', () => {
    const md = summaryMarkdown({
      ...summary,
      participants: [],
      items: [],
      newStories: [],
      openQuestions: [],
      resolvedQuestions: 0,
    });
    expect(md).toContain('Nobody joined.');
    expect(md).toContain('The agenda was empty.');
    expect(md).toMatch(/## New stories\n\nNone\./);
  });
});
