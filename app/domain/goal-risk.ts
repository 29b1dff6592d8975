import type { Burndown } from './burndown';

/**
 * Is the sprint goal at risk? A projection from the burndown, said as soon as it misses (issue 18), not at the
 * review. Pure: the service gives it the sprint's burndown (its days are those of a time zone) and today there.
 *
 * The rule, plainly:
 * - The pace is the average burn of the sprint's finished days: the points completed (net of reopened ones) on the
 *   days before today, divided by the number of those days. Today is not over, so it does not count in the pace;
 *   what was done today already counts in the points remaining.
 * - The days left are today and the days after it, up to the last day of the sprint.
 * - The projection at the end is the points remaining now minus the pace times the days left. More than nothing
 *   left is "at risk": the shortfall is that number (at least 1 point), and the projected finish is the day the
 *   remaining points would be done at that pace, which falls after the sprint (or never, with no pace at all).
 * - "Too early to tell" before the sprint has had enough finished days (two, or one for a sprint of two days), and
 *   when the sprint holds no estimated work. After the last day, nothing can be done any more: whatever remains is
 *   the shortfall.
 * Scope added or removed mid-sprint counts through the points remaining; days are calendar days as the burndown's.
 */

export const goalRiskStates = ['too_early', 'on_track', 'at_risk'] as const;
export type GoalRiskState = (typeof goalRiskStates)[number];

export interface GoalRiskProjection {
  state: GoalRiskState;
  /** all points in scope today (done and not done) */
  scope: number;
  /** points in scope and not done today */
  remaining: number;
  /** points per day at the current pace (one decimal) */
  pace: number;
  /** points projected to be left at the end of the last day (at least 1 when at risk, 0 otherwise) */
  shortfall: number;
  /** YYYY-MM-DD: the day the remaining points would be done at this pace; null when never (no pace) or all done */
  projectedFinish: string | null;
  /** YYYY-MM-DD: the sprint's last day */
  lastDay: string;
  /** today and the days after it within the sprint */
  daysLeft: number;
}

/** Finished days needed before the pace says anything. */
export const minimumDaysToTell = 2;

const dayMs = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/** The projection of a sprint's burndown on `today` (YYYY-MM-DD in the burndown's time zone). */
export function goalRisk(burndown: Burndown, today: string): GoalRiskProjection {
  const { days } = burndown;
  const lastDay = days[days.length - 1]?.date ?? today;
  const finished = days.filter((d) => d.date < today);
  const upToToday = days.filter((d) => d.date <= today);
  let scope = burndown.committed;
  for (const d of upToToday) scope += d.added - d.removed;
  const remaining = upToToday.length > 0 ? (upToToday[upToToday.length - 1].remaining ?? 0) : scope;
  const burned = finished.reduce((sum, d) => sum + d.completed, 0);
  const pace = finished.length > 0 ? Math.max(0, burned / finished.length) : 0;
  const daysLeft = days.length - finished.length;
  const base = {
    scope,
    remaining,
    pace: Math.round(pace * 10) / 10,
    lastDay,
    daysLeft,
  };
  const needed = Math.min(minimumDaysToTell, Math.max(days.length - 1, 1));
  if (remaining <= 0 && base.scope > 0)
    return { ...base, state: 'on_track', shortfall: 0, projectedFinish: null };
  if (base.scope <= 0 || finished.length < needed)
    return { ...base, state: 'too_early', shortfall: 0, projectedFinish: null };
  const left = remaining - pace * daysLeft;
  // Today counts as a day to work: at `pace` points a day, the remaining points are done on this day.
  const projectedFinish = pace > 0 ? addDays(today, Math.max(Math.ceil(remaining / pace), 1) - 1) : null;
  if (left > 1e-9)
    return { ...base, state: 'at_risk', shortfall: Math.max(1, Math.round(left)), projectedFinish };
  return { ...base, state: 'on_track', shortfall: 0, projectedFinish };
}

/** "Fri 12 Dec" for a calendar date (the day it names, whatever the reader's time zone). */
export function shortDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** The projection in words, as the banner and the stakeholders read it. */
export function describeGoalRisk(p: GoalRiskProjection): string {
  if (p.state === 'too_early')
    return p.scope <= 0
      ? 'Too early to tell: the sprint holds no estimated work yet.'
      : 'Too early to tell: the pace shows after the first days of the sprint.';
  if (p.state === 'on_track')
    return p.remaining <= 0
      ? 'On track: every point in the sprint is done.'
      : `On track: the ${p.remaining} points left should be done by ${shortDay(p.projectedFinish ?? p.lastDay)} at the current pace.`;
  const finish =
    p.projectedFinish === null
      ? 'nothing has been finished yet, so the work is not projected to finish within the sprint'
      : `at the current pace they would be done on ${shortDay(p.projectedFinish)}, not within the sprint`;
  return `At risk: about ${p.shortfall} of ${p.scope} points will not be done by ${shortDay(p.lastDay)} at the current pace (${finish}).`;
}

/** What the product owner does about a goal at risk. */
export const goalRiskResponses = ['scope_cut', 'swap', 'accept_risk'] as const;
export type GoalRiskResponse = (typeof goalRiskResponses)[number];
export const goalRiskResponseLabels: Record<GoalRiskResponse, string> = {
  scope_cut: 'Cut scope',
  swap: 'Swap items',
  accept_risk: 'Accept the risk',
};

/**
 * Which state change to record, given the last one recorded: the first time a sprint is seen at risk, and the
 * first time it is back on track after that. "Too early" records nothing.
 */
export function goalRiskChange(
  lastRecorded: 'at_risk' | 'back_on_track' | null,
  now: GoalRiskState,
): 'at_risk' | 'back_on_track' | null {
  if (now === 'at_risk' && lastRecorded !== 'at_risk') return 'at_risk';
  if (now === 'on_track' && lastRecorded === 'at_risk') return 'back_on_track';
  return null;
}
