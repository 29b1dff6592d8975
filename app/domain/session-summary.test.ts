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

describe('three amigos summary markdown', () => {
  const amigos: SessionSummary = {
    ...summary,
    title: 'Three amigos',
    kind: 'Three amigos',
    items: [],
    newStories: [],
    openQuestions: [],
    resolvedQuestions: 0,
    threeAmigos: {
      story: 'Pay a *deposit*',
      agreed: false,
      people: [
        { name: 'Olivia', part: 'Product owner', marked: true },
        { name: 'Tom', part: 'Developer', marked: false },
        { name: 'Quinn', part: 'Tester', marked: true },
      ],
      questions: [
        { text: 'Refund on cancel?', answered: true },
        { text: 'Which <b>provider</b>?', answered: false },
      ],
      dependencies: [{ text: 'Needs MB WAY', on: 'Check MB WAY support' }],
      assumptions: ['Deposits are in euros'],
      cases: ['Scenario: no card\n  Given a first assessment\n  Then the booking <script>waits</script>'],
    },
  };
  it('names the story, who marked the shared understanding, and every note by kind', () => {
    const md = summaryMarkdown(amigos);
    expect(md).toContain('On Pay a \\*deposit\\*: no shared understanding marked by all three yet.');
    expect(md).toContain('- Developer: Tom (not marked)');
    expect(md).toContain('- Tester: Quinn (understood)');
    expect(md).toContain('- Refund on cancel? (answered)');
    expect(md).toContain('- Which \\<b\\>provider\\</b\\>? (open)');
    expect(md).toContain('- Needs MB WAY (on Check MB WAY support)');
    expect(md).toContain('- Deposits are in euros');
  });
  it('keeps a case’s lines as an indented code block, which shows any markup as typed', () => {
    const md = summaryMarkdown(amigos);
    expect(md).toContain(
      '    Scenario: no card\n      Given a first assessment\n      Then the booking <script>waits</script>\n',
    );
  });
  it('has no second, general list of open questions', () => {
    expect(summaryMarkdown({ ...amigos, openQuestions: summary.openQuestions })).not.toContain(
      '## Open questions',
    );
  });
  it('leaves the section out of other kinds of session', () => {
    expect(summaryMarkdown(summary)).not.toContain('## Three amigos');
  });
});
