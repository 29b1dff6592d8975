import { describe, expect, it } from 'vitest';
import { burndown, type ScopeEvent } from './burndown';
import { goalRisk } from './goal-risk';
import {
  burndownAfterSwap,
  goalProjectionWithSwap,
  type SwapSprintItem,
  sameDisplaced,
  type UrgentSwapInput,
  urgentSwapImpact,
} from './urgent-swap';

const item = (id: string, points: number | null, done = false): SwapSprintItem => ({
  id,
  title: `Item ${id}`,
  points,
  done,
});

const base: UrgentSwapInput = {
  urgent: { id: 'u', points: 5 },
  sprintItems: [item('a', 8, true), item('b', 5), item('c', 3), item('d', 2)],
  capacity: null,
  behind: [
    { id: 'x', title: 'X', points: 10 },
    { id: 'u', title: 'Urgent', points: 5 },
    { id: 'y', title: 'Y', points: 10 },
  ],
  velocities: [10, 10, 10],
  firstSprint: 2,
};

function impact(input: Partial<UrgentSwapInput> = {}) {
  const result = urgentSwapImpact({ ...base, ...input });
  if (result.kind !== 'impact') throw new Error('expected an impact');
  return result;
}

describe('urgentSwapImpact', () => {
  it('asks for an estimate before it can weigh an unestimated request', () => {
    expect(urgentSwapImpact({ ...base, urgent: { id: 'u', points: null } })).toEqual({
      kind: 'needs_estimate',
    });
  });

  it('keeps the sprint at its current load by displacing unfinished items from the bottom of the order', () => {
    const r = impact();
    expect(r.basis).toBe('current_load');
    expect(r.budget).toBe(18);
    expect(r.displaced.map((i) => i.id)).toEqual(['c', 'd']);
    expect(r.displacedPoints).toBe(5);
    expect(r.loadAfter).toBe(18);
    expect(r.remainingBefore).toBe(10);
    expect(r.remainingAfter).toBe(10);
    expect(r.overBudget).toBe(false);
  });

  it('uses the capacity when the sprint has one, and displaces nothing while there is room', () => {
    const r = impact({ capacity: 25 });
    expect(r.basis).toBe('capacity');
    expect(r.displaced).toEqual([]);
    expect(r.loadAfter).toBe(23);
    expect(r.shiftedCount).toBe(0);
  });

  it('never displaces done or unestimated items, and says when the sprint stays over budget', () => {
    const r = impact({
      urgent: { id: 'u', points: 13 },
      sprintItems: [item('a', 8, true), item('b', 3), item('n', null)],
      capacity: 10,
    });
    expect(r.displaced.map((i) => i.id)).toEqual(['b']);
    expect(r.loadAfter).toBe(21);
    expect(r.overBudget).toBe(true);
  });

  it('moves the items behind later by the displaced points; the urgent item itself is not counted behind', () => {
    const r = impact({ urgent: { id: 'u', points: 10 }, capacity: 18 });
    // b, c, d (10 points) leave; X (10) was likely in sprint 2, now after 10 displaced points in sprint 3
    expect(r.displaced.map((i) => i.id)).toEqual(['b', 'c', 'd']);
    expect(r.shiftedCount).toBe(2);
    const x = r.shifted[0];
    expect(x.id).toBe('x');
    expect(x.before).toMatchObject({ kind: 'range', likely: 2 });
    expect(x.after).toMatchObject({ kind: 'range', likely: 3 });
    expect(r.shifted.map((s) => s.id)).toEqual(['x', 'y']);
  });

  it('lists at most the limit of shifted items but counts them all', () => {
    const behind = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, title: `I${i}`, points: 5 }));
    const r = urgentSwapImpact({ ...base, urgent: { id: null, points: 5 }, behind }, 4);
    if (r.kind !== 'impact') throw new Error('expected an impact');
    expect(r.shifted).toHaveLength(4);
    expect(r.shiftedCount).toBeGreaterThan(4);
  });

  it('shows no forecast shift without velocity history', () => {
    expect(impact({ velocities: [10] }).shiftedCount).toBe(0);
  });
});

describe('goalProjectionWithSwap', () => {
  // A ten-day sprint, Mon 1 Dec to Wed 10 Dec 2025, started on its first day.
  const sprint = {
    start: new Date('2025-12-01T00:00:00Z'),
    end: new Date('2025-12-10T00:00:00Z'),
    startedAt: new Date('2025-12-01T09:00:00Z'),
  };
  const at = (day: string, time = '08:00') => new Date(`${day}T${time}:00Z`);
  const history: ScopeEvent[] = [
    { at: at('2025-12-01'), kind: 'added', itemId: 'a', points: 8 },
    { at: at('2025-12-01'), kind: 'added', itemId: 'b', points: 8 },
    { at: at('2025-12-01'), kind: 'added', itemId: 'c', points: 4 },
    { at: at('2025-12-02'), kind: 'done', itemId: 'a' },
  ];
  const today = '2025-12-04';
  const now = at(today, '12:00');

  it('projects the goal exactly as it would be had the swap been made today', () => {
    // the urgent item of 13 points comes in, c (4) leaves: +9 points still to do
    const real = burndown(
      sprint,
      [
        ...history,
        { at: at(today, '10:00'), kind: 'added', itemId: 'u', points: 13 },
        { at: at(today, '10:00'), kind: 'removed', itemId: 'c' },
      ],
      now,
    );
    const { before, after } = goalProjectionWithSwap(burndown(sprint, history, now), today, 9);
    expect(after).toEqual(goalRisk(real, today));
    expect(before.remaining).toBe(12);
    expect(after.remaining).toBe(21);
    expect(before.state).toBe('on_track');
    expect(after.state).toBe('at_risk');
  });

  it('brings the goal back when the swap frees more than it adds', () => {
    const real = burndown(
      sprint,
      [
        ...history,
        { at: at(today, '10:00'), kind: 'added', itemId: 'u', points: 1 },
        { at: at(today, '10:00'), kind: 'removed', itemId: 'b' },
      ],
      now,
    );
    const { after } = goalProjectionWithSwap(burndown(sprint, history, now), today, -7);
    expect(after).toEqual(goalRisk(real, today));
    expect(after.remaining).toBe(5);
  });

  it('changes the commitment before the sprint starts, and nothing for a swap of equal points', () => {
    const early = burndown(sprint, history.slice(0, 3), at('2025-11-28'));
    expect(burndownAfterSwap(early, '2025-11-28', 5).committed).toBe(early.committed + 5);
    const b = burndown(sprint, history, now);
    expect(burndownAfterSwap(b, today, 0)).toBe(b);
  });
});

describe('sameDisplaced', () => {
  it('accepts the same items in the same order only', () => {
    expect(sameDisplaced(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameDisplaced([], [])).toBe(true);
    expect(sameDisplaced(['a'], ['a', 'b'])).toBe(false);
    expect(sameDisplaced(['b', 'a'], ['a', 'b'])).toBe(false);
  });
});
