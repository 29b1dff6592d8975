import { describe, expect, it } from 'vitest';
import { decisionKindLabels, describeDecision } from './decision-text';

const entry = (after: unknown, reason = '') => ({
  id: 1,
  itemId: 'u',
  kind: 'urgent_swap',
  before: null,
  after,
  reason,
  createdAt: new Date(),
  actorName: 'Olivia PO',
});

describe('the decision log on an urgent request swapped into the sprint', () => {
  it('says what came in, what left, the load, the goal, what moves later and the trade-off', () => {
    const text = describeDecision(
      entry(
        {
          requestTitle: 'Checkout down on Safari',
          points: 5,
          sprintName: 'Sprint 3',
          displaced: [
            { id: 'b', title: 'Refund email', points: 3 },
            { id: 'c', title: '<b>Export</b>', points: 2 },
          ],
          displacedPoints: 5,
          loadBefore: 20,
          loadAfter: 20,
          goalBefore: { state: 'on_track' },
          goalAfter: { state: 'at_risk' },
          shiftedCount: 4,
          criteriaVersion: 2,
        },
        'Customers cannot pay',
      ),
      () => undefined,
    );
    expect(text).toBe(
      'Olivia PO brought the urgent request ‘Checkout down on Safari’ (5 points) into ‘Sprint 3’: ‘Refund email’, ‘<b>Export</b>’ (5 points) went back to the top of the backlog; load 20 → 20; goal on track → at risk; 4 items behind move later. Trade-off: Customers cannot pay · criteria v2',
    );
    expect(decisionKindLabels.urgent_swap).toBe('Urgent request swapped into the sprint');
  });

  it('says so when nothing had to leave', () => {
    const text = describeDecision(
      entry({ requestTitle: 'Fix', points: 1, displaced: [], loadBefore: 5, loadAfter: 6, shiftedCount: 1 }),
      () => undefined,
    );
    expect(text).toContain(
      'nothing left the sprint; load 5 → 6; goal too early to tell → too early to tell; 1 item behind moves later',
    );
  });
});
