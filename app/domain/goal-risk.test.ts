import { describe, expect, it } from 'vitest';
import { burndown, type ScopeEvent } from './burndown';
import { describeGoalRisk, goalRisk, goalRiskChange } from './goal-risk';

// A ten-day sprint, Mon 1 Dec to Wed 10 Dec 2025, started on its first day at 09:00 UTC.
const sprint = {
  start: new Date('2025-12-01T00:00:00Z'),
  end: new Date('2025-12-10T00:00:00Z'),
  startedAt: new Date('2025-12-01T09:00:00Z'),
};
const at = (day: string, time = '08:00') => new Date(`${day}T${time}:00Z`);
const commit = (points: number[]): ScopeEvent[] =>
  points.map((p, i) => ({ at: at('2025-12-01'), kind: 'added', itemId: `i${i}`, points: p }));
const done = (itemId: string, day: string, time?: string): ScopeEvent => ({
  at: at(day, time),
  kind: 'done',
  itemId,
});
const riskOn = (events: ScopeEvent[], today: string, timeZone = 'UTC') =>
  goalRisk(burndown(sprint, events, at(today, '12:00'), timeZone), today);

describe('goalRisk', () => {
  it('is too early to tell on the first day, and before the sprint starts', () => {
    expect(riskOn(commit([5, 5]), '2025-12-01').state).toBe('too_early');
    expect(riskOn(commit([5, 5]), '2025-11-28').state).toBe('too_early');
    // one finished day is not a pace yet either
    expect(riskOn(commit([5, 5]), '2025-12-02').state).toBe('too_early');
  });

  it('is too early to tell without estimated work', () => {
    const events: ScopeEvent[] = [{ at: at('2025-12-01'), kind: 'added', itemId: 'a', points: null }];
    const p = riskOn(events, '2025-12-05');
    expect(p.state).toBe('too_early');
    expect(describeGoalRisk(p)).toMatch(/no estimated work/);
  });

  it('flags a sprint with nothing done after two days: no pace, no finish within the sprint', () => {
    const p = riskOn(commit([8, 13, 13]), '2025-12-03');
    expect(p).toMatchObject({
      state: 'at_risk',
      scope: 34,
      remaining: 34,
      pace: 0,
      shortfall: 34,
      projectedFinish: null,
      lastDay: '2025-12-10',
      daysLeft: 8,
    });
    expect(describeGoalRisk(p)).toMatch(/^At risk: about 34 of 34 points will not be done by Wed 10 Dec/);
  });

  it('projects the shortfall and the finish date from the average pace of the finished days', () => {
    // 34 points; 2 + 3 + 3 done on the first four days: a pace of 2/day, 26 left, 6 days left → 14 short.
    const events = [
      ...commit([2, 3, 3, 26]),
      done('i0', '2025-12-01', '15:00'),
      done('i1', '2025-12-02'),
      done('i2', '2025-12-04'),
    ];
    const p = riskOn(events, '2025-12-05');
    expect(p.state).toBe('at_risk');
    expect(p.pace).toBe(2);
    expect(p.daysLeft).toBe(6);
    expect(p.shortfall).toBe(14);
    // 26 points at 2 a day, today counting: done on the 13th day from today
    expect(p.projectedFinish).toBe('2025-12-17');
    expect(describeGoalRisk(p)).toBe(
      'At risk: about 14 of 34 points will not be done by Wed 10 Dec at the current pace (at the current pace they would be done on Wed 17 Dec, not within the sprint).',
    );
  });

  it('is on track when the pace finishes the remaining points in the days left', () => {
    // 20 points; 4 a day on the first two days, 12 left, 8 days left at 4/day
    const events = [...commit([4, 4, 12]), done('i0', '2025-12-01', '15:00'), done('i1', '2025-12-02')];
    const p = riskOn(events, '2025-12-03');
    expect(p).toMatchObject({
      state: 'on_track',
      shortfall: 0,
      remaining: 12,
      projectedFinish: '2025-12-05',
    });
    expect(describeGoalRisk(p)).toMatch(/^On track: the 12 points left should be done by Fri 5 Dec/);
  });

  it('counts scope added mid-sprint: the same pace can then miss', () => {
    const base = [...commit([4, 4, 12]), done('i0', '2025-12-01', '15:00'), done('i1', '2025-12-02')];
    expect(riskOn(base, '2025-12-03').state).toBe('on_track');
    const added: ScopeEvent = { at: at('2025-12-03', '09:00'), kind: 'added', itemId: 'big', points: 40 };
    const p = riskOn([...base, added], '2025-12-03');
    expect(p.state).toBe('at_risk');
    expect(p.scope).toBe(60);
    expect(p.remaining).toBe(52);
    expect(p.shortfall).toBe(52 - 4 * 8);
  });

  it('counts scope removed: cutting scope can bring the sprint back on track', () => {
    const base = [...commit([2, 20, 10]), done('i0', '2025-12-02')];
    expect(riskOn(base, '2025-12-04').state).toBe('at_risk');
    const cut: ScopeEvent = { at: at('2025-12-04', '09:00'), kind: 'removed', itemId: 'i1' };
    // 10 left, pace 2/3 a day over 3 finished days, 7 days left: still short
    expect(riskOn([...base, cut], '2025-12-04').state).toBe('at_risk');
    const cut2: ScopeEvent = { at: at('2025-12-04', '10:00'), kind: 'removed', itemId: 'i2' };
    expect(riskOn([...base, cut, cut2], '2025-12-04').state).toBe('on_track');
  });

  it('is on track when everything is done, even on the first day', () => {
    const p = riskOn([...commit([3]), done('i0', '2025-12-01', '15:00')], '2025-12-01');
    expect(p).toMatchObject({ state: 'on_track', remaining: 0, shortfall: 0 });
    expect(describeGoalRisk(p)).toMatch(/every point in the sprint is done/);
  });

  it('does not let a reopened item speed the pace up', () => {
    const events = [
      ...commit([5, 5, 20]),
      done('i0', '2025-12-01', '15:00'),
      { at: at('2025-12-02'), kind: 'reopened', itemId: 'i0' } as ScopeEvent,
    ];
    const p = riskOn(events, '2025-12-03');
    expect(p.pace).toBe(0);
    expect(p.state).toBe('at_risk');
  });

  it('after the last day, whatever remains is the shortfall', () => {
    const events = [...commit([5, 5]), done('i0', '2025-12-03')];
    const p = riskOn(events, '2025-12-12');
    expect(p).toMatchObject({ state: 'at_risk', remaining: 5, shortfall: 5, daysLeft: 0 });
  });

  it('reads days in the burndown’s time zone: a late change in Los Angeles counts on that day there', () => {
    // Done at 05:00 UTC on the 3rd is the evening of the 2nd in Los Angeles: a finished day there on the 3rd.
    const events = [...commit([10, 10]), done('i0', '2025-12-03', '05:00')];
    const la = goalRisk(
      burndown(sprint, events, at('2025-12-03', '20:00'), 'America/Los_Angeles'),
      '2025-12-03',
    );
    const utc = goalRisk(burndown(sprint, events, at('2025-12-03', '20:00'), 'UTC'), '2025-12-03');
    expect(la.pace).toBe(5);
    expect(utc.pace).toBe(0);
  });

  it('a two-day sprint tells after its first day', () => {
    const short = { ...sprint, end: new Date('2025-12-02T00:00:00Z') };
    const events = [...commit([5, 5])];
    const p = goalRisk(burndown(short, events, at('2025-12-02', '12:00')), '2025-12-02');
    expect(p.state).toBe('at_risk');
  });
});

describe('goalRiskChange', () => {
  it('records the first time at risk, and back on track only after being at risk', () => {
    expect(goalRiskChange(null, 'at_risk')).toBe('at_risk');
    expect(goalRiskChange('at_risk', 'at_risk')).toBeNull();
    expect(goalRiskChange('at_risk', 'on_track')).toBe('back_on_track');
    expect(goalRiskChange(null, 'on_track')).toBeNull();
    expect(goalRiskChange('back_on_track', 'on_track')).toBeNull();
    expect(goalRiskChange('back_on_track', 'at_risk')).toBe('at_risk');
    expect(goalRiskChange('at_risk', 'too_early')).toBeNull();
  });
});
