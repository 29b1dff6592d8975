import { describe, expect, it } from 'vitest';
import { type SwapSprintItem, type UrgentSwapInput, urgentSwapImpact } from './urgent-swap';

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
