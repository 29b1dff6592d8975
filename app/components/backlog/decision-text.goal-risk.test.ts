import { describe, expect, it } from 'vitest';
import { decisionKindLabels, describeDecision } from './decision-text';

const entry = (kind: string, after: unknown, reason = '', actorName = 'someone') => ({
  id: 1,
  itemId: null,
  kind,
  before: null,
  after,
  reason,
  createdAt: new Date(),
  actorName,
});

describe('the decision log on a sprint goal at risk', () => {
  it('says when the goal was flagged, what the product owner did, and when it was back on track', () => {
    const after = { sprintId: 's', sprintName: 'Sprint 7' };
    expect(
      describeDecision(
        entry('sprint_goal_at_risk', after, 'At risk: about 8 of 34 points …'),
        () => undefined,
      ),
    ).toBe('The goal of ‘Sprint 7’ was flagged at risk: At risk: about 8 of 34 points …');
    expect(
      describeDecision(
        entry(
          'sprint_goal_risk_response',
          { ...after, response: 'scope_cut' },
          'Search moves out',
          'Olivia PO',
        ),
        () => undefined,
      ),
    ).toBe('Olivia PO responded to the risk to the goal of ‘Sprint 7’: cut scope (Search moves out)');
    expect(describeDecision(entry('sprint_goal_back_on_track', after), () => undefined)).toBe(
      'The goal of ‘Sprint 7’ is back on track',
    );
    expect(decisionKindLabels.sprint_goal_risk_response).toBe('Response to a goal at risk');
  });
});
