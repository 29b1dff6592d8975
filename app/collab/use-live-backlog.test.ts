import { describe, expect, it } from 'vitest';
import { backlogChangeMatters } from './use-live-backlog';

describe('which backlog changes reload a backlog list', () => {
  it('skips live text edits unless a text search could match the new words', () => {
    const typed = { kind: 'text_edited', itemIds: ['a'], at: 1 };
    expect(backlogChangeMatters(typed, {})).toBe(false);
    expect(backlogChangeMatters(typed, { q: '' })).toBe(false);
    expect(backlogChangeMatters(typed, { q: 'reminder' })).toBe(true);
  });

  it('reloads for every other change, and for a change it cannot read', () => {
    for (const kind of ['moved', 'created', 'edited', 'archived', 'imported', 'proposal_applied']) {
      expect(backlogChangeMatters({ kind, itemIds: [], at: 1 }, {})).toBe(true);
    }
    expect(backlogChangeMatters(undefined, {})).toBe(true);
    expect(backlogChangeMatters('garbage', {})).toBe(true);
  });
});
