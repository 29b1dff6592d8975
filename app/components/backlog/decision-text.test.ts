import { describe, expect, it } from 'vitest';
import { describeDecision } from './decision-text';

describe('the decision log in words', () => {
  it('says who held three amigos on an item, the cases added and the questions left open', () => {
    const entry = {
      id: 1,
      itemId: 'i1',
      kind: 'three_amigos_held',
      before: null,
      after: {
        participants: [{ name: 'Olivia' }, { name: 'Dev' }, { name: 'Tess' }],
        cases: ['Scenario: Declined'],
        openQuestions: ['Who pays?'],
      },
      reason: '',
      createdAt: '2026-12-03T04:00:00Z',
      actorName: 'Olivia',
    };
    expect(describeDecision(entry, () => 'Book a visit')).toBe(
      'Three amigos on ‘Book a visit’ ended in a shared understanding (Olivia, Dev, Tess): 1 case added, 1 open question: “Who pays?”',
    );
    expect(
      describeDecision({ ...entry, after: { participants: [], cases: [], openQuestions: [] } }, () => 'X'),
    ).toMatch(/0 cases added, no open question$/);
  });
});
