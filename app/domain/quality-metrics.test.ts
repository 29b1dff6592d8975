import { describe, expect, it } from 'vitest';
import { outcomeRate, percent, pokerSpread, rate, spreadSteps, sprintQuality } from './quality-metrics';

describe('the PO quality numbers', () => {
  it('rejection rate and not-ready share per sprint, with no data rather than zero', () => {
    expect(
      sprintQuality([
        { sprintId: 's1', name: 'Sprint 1', accepted: 3, rejected: 1, committed: 5, enteredNotReady: 2 },
        { sprintId: 's2', name: 'Sprint 2', accepted: 0, rejected: 0, committed: 0, enteredNotReady: 0 },
      ]),
    ).toEqual([
      { sprintId: 's1', name: 'Sprint 1', rejectionRate: 0.25, notReadyShare: 0.4 },
      { sprintId: 's2', name: 'Sprint 2', rejectionRate: null, notReadyShare: null },
    ]);
    expect(rate(1, 3)).toBe(0.333);
  });

  it('measures the poker spread in cards of the deck, ignoring ? and coffee', () => {
    expect(spreadSteps('fibonacci', ['3', '5', '13'])).toBe(3); // 3 → 5 → 8 → 13
    expect(spreadSteps('fibonacci', ['5', '?', 'coffee'])).toBeNull();
    expect(spreadSteps('tshirt', ['S', 'L'])).toBe(2);
    expect(
      pokerSpread([
        { deck: 'fibonacci', values: ['3', '5', '13'] }, // 3: wide
        { deck: 'fibonacci', values: ['5', '5'] }, // 0
        { deck: 'tshirt', values: ['M', 'L'] }, // 1
        { deck: 'fibonacci', values: ['8'] }, // not counted
      ]),
    ).toEqual({ rounds: 3, meanSteps: 1.3, wideShare: 0.333 });
    expect(pokerSpread([])).toEqual({ rounds: 0, meanSteps: null, wideShare: null });
  });

  it('outcome rate counts only released items with a metric and a recorded outcome', () => {
    const result = outcomeRate([
      { successMetric: 'No-shows fall below 5 %', outcome: 'moved' },
      { successMetric: 'Bookings per week +10 %', outcome: 'not_moved' },
      { successMetric: 'Time to invoice', outcome: 'unknown' },
      { successMetric: 'NPS', outcome: null },
      { successMetric: '   ', outcome: 'moved' },
      { successMetric: null, outcome: 'moved' },
    ]);
    expect(result).toEqual({ released: 4, recorded: 2, moved: 1, rate: 0.5 });
    expect(percent(result.rate)).toBe('50 %');
    expect(percent(null)).toBe('no data');
    expect(percent(0.333)).toBe('33.3 %');
  });
});
