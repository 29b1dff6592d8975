import { describe, expect, it } from 'vitest';
import { debtPlanLine, deliveredDebt, plannedDebt, shareInForce } from './debt-share';

const debt = (estimate: number | null) => ({ type: 'tech_debt', estimate });
const story = (estimate: number | null) => ({ type: 'story', estimate });

describe('plannedDebt', () => {
  it('takes the share of the planned points without a capacity and says it in one line', () => {
    const plan = plannedDebt([debt(5), story(20), story(15)], 20, null);
    expect(plan).toMatchObject({
      basis: 'planned',
      plannedPoints: 40,
      debtPoints: 5,
      debtPercent: 13,
      targetPoints: 8,
      tolerancePoints: 2,
      status: 'under',
    });
    expect(debtPlanLine(plan)).toBe('Technical debt: 5 of 40 points planned (13 %), share 20 % → 8 points');
  });

  it('takes the share of the capacity when the sprint has one', () => {
    const plan = plannedDebt([debt(8), story(30)], 20, 50);
    expect(plan).toMatchObject({ basis: 'capacity', basisPoints: 50, targetPoints: 10, status: 'on' });
    expect(debtPlanLine(plan)).toContain('share 20 % of the capacity (50) → 10 points');
  });

  it('is on share within five percentage points either side, over beyond', () => {
    expect(plannedDebt([debt(6), story(34)], 20, null).status).toBe('on');
    expect(plannedDebt([debt(10), story(30)], 20, null).status).toBe('on');
    expect(plannedDebt([debt(11), story(29)], 20, null).status).toBe('over');
    expect(plannedDebt([debt(5), story(35)], 20, null).status).toBe('under');
  });

  it('says "none" without a share, and shows the figures all the same', () => {
    const plan = plannedDebt([debt(3), story(7)], null, null);
    expect(plan.status).toBe('none');
    expect(plan.targetPoints).toBeNull();
    expect(debtPlanLine(plan)).toBe('Technical debt: 3 of 10 points planned (30 %), no share set');
  });

  it('counts an unestimated item as unknown, not as 0', () => {
    const plan = plannedDebt([debt(2), debt(null), story(18)], 20, null);
    expect(plan).toMatchObject({ debtPoints: 2, unestimatedDebt: 1, status: 'unknown' });
    expect(debtPlanLine(plan)).toContain('1 debt item not estimated');
    // On the planned basis an unestimated story moves the share's points too.
    expect(plannedDebt([debt(4), story(16), story(null)], 20, null)).toMatchObject({
      status: 'unknown',
      unestimatedOther: 1,
    });
  });

  it('with a capacity, an unestimated story changes nothing and known debt over the share stays over', () => {
    expect(plannedDebt([debt(10), story(null)], 20, 50).status).toBe('on');
    expect(plannedDebt([debt(20), debt(null)], 20, 50).status).toBe('over');
    expect(plannedDebt([debt(2), debt(null)], 20, 50).status).toBe('unknown');
  });

  it('has no percentage for an empty sprint', () => {
    expect(plannedDebt([], 20, null)).toMatchObject({ debtPercent: null, targetPoints: 0, status: 'on' });
  });
});

describe('deliveredDebt', () => {
  it('is the share of the accepted points that were debt, against the share', () => {
    const d = deliveredDebt(
      [
        { type: 'tech_debt', points: 5, outcome: 'accepted' },
        { type: 'story', points: 15, outcome: 'accepted' },
        { type: 'tech_debt', points: 8, outcome: 'rejected' },
      ],
      20,
    );
    expect(d).toMatchObject({ acceptedPoints: 20, debtPoints: 5, percent: 25, status: 'on' });
    expect(deliveredDebt([{ type: 'story', points: 10, outcome: 'accepted' }], 20)).toMatchObject({
      percent: 0,
      status: 'under',
    });
  });

  it('is unknown with nothing accepted or an unestimated accepted item; none without a share', () => {
    expect(deliveredDebt([], 20)).toMatchObject({ percent: null, status: 'unknown' });
    expect(
      deliveredDebt(
        [
          { type: 'tech_debt', points: null, outcome: 'accepted' },
          { type: 'story', points: 10, outcome: 'accepted' },
        ],
        20,
      ),
    ).toMatchObject({ percent: 0, unestimatedDebt: 1, status: 'unknown' });
    expect(deliveredDebt([{ type: 'story', points: 10, outcome: 'accepted' }], null).status).toBe('none');
  });
});

describe('shareInForce', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const changes = [
    { at: at(10), before: null, after: 20 },
    { at: at(20), before: 20, after: 10 },
  ];
  it('is the last change before the moment, or what the first later change started from', () => {
    expect(shareInForce(changes, at(15), 10)).toBe(20);
    expect(shareInForce(changes, at(25), 10)).toBe(10);
    expect(shareInForce(changes, at(5), 10)).toBeNull();
  });
  it('is the current share when it was never changed through the log', () => {
    expect(shareInForce([], at(5), 15)).toBe(15);
  });
});
