import { calendarDayIn } from '~/utils/dates';

/**
 * Burndown and burn-up from a recorded sequence of events (the decision log's sprint entries, in time order).
 * Pure: the service maps decision-log entries to these events. An event's day is the calendar day it happened on
 * in the viewer's time zone (UTC unless given), so "today" and each day's changes match the viewer's own clock.
 */

export type ScopeEvent =
  /** the item joins the scope with its points (null: unestimated, counts 0 until estimated) */
  | { at: Date; kind: 'added'; itemId: string; points: number | null }
  | { at: Date; kind: 'removed'; itemId: string }
  /** the item's estimate changed while in scope */
  | { at: Date; kind: 'estimated'; itemId: string; points: number | null }
  | { at: Date; kind: 'done'; itemId: string }
  /** done no longer: back to remaining (e.g. rejected at review, or moved back by the team) */
  | { at: Date; kind: 'reopened'; itemId: string };

export interface BurndownDay {
  /** YYYY-MM-DD */
  date: string;
  /** points in scope and not done at the end of the day; null for days still to come */
  remaining: number | null;
  /** points finished that day (net of reopened) */
  completed: number;
  /** scope added that day (new items and raised estimates) */
  added: number;
  /** scope removed that day (removed items and lowered estimates) */
  removed: number;
  /** the straight line from the commitment down to zero on the last day */
  ideal: number;
}

export interface Burndown {
  /** points in scope when the sprint started (events before its first day) */
  committed: number;
  days: BurndownDay[];
}

const dayMs = 86_400_000;
/** A sprint's first and last day are calendar dates, carried as midnight UTC of that date. */
const calendarDateOf = (d: Date) => d.toISOString().slice(0, 10);

interface Entry {
  points: number;
  done: boolean;
}

/** Applies one event to the scope; returns its effect on scope and completed points. */
function apply(scope: Map<string, Entry>, event: ScopeEvent): { scope: number; completed: number } {
  const current = scope.get(event.itemId);
  switch (event.kind) {
    case 'added': {
      if (current) return { scope: 0, completed: 0 };
      const points = event.points ?? 0;
      scope.set(event.itemId, { points, done: false });
      return { scope: points, completed: 0 };
    }
    case 'removed': {
      if (!current) return { scope: 0, completed: 0 };
      scope.delete(event.itemId);
      return { scope: -current.points, completed: current.done ? -current.points : 0 };
    }
    case 'estimated': {
      if (!current) return { scope: 0, completed: 0 };
      const points = event.points ?? 0;
      const delta = points - current.points;
      current.points = points;
      return { scope: delta, completed: current.done ? delta : 0 };
    }
    case 'done':
      if (!current || current.done) return { scope: 0, completed: 0 };
      current.done = true;
      return { scope: 0, completed: current.points };
    case 'reopened':
      if (!current?.done) return { scope: 0, completed: 0 };
      current.done = false;
      return { scope: 0, completed: -current.points };
  }
}

function remainingOf(scope: Map<string, Entry>): number {
  let sum = 0;
  for (const entry of scope.values()) if (!entry.done) sum += entry.points;
  return sum;
}

/**
 * The sprint's burndown: one row per day from `start` to `end` (both inclusive, the calendar dates they fall on in
 * UTC). Events before the first day make up the commitment; events after the last day are ignored; days after
 * `now` have no remaining value yet. Events, the start and `now` fall on days of `timeZone`.
 */
export function burndown(
  sprint: { start: Date; end: Date; startedAt?: Date | null },
  events: readonly ScopeEvent[],
  now: Date = new Date(),
  timeZone = 'UTC',
): Burndown {
  const dayOf = (d: Date) => calendarDayIn(d, timeZone);
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const firstDay = calendarDateOf(sprint.start);
  // Planning usually happens on the first day: what was in scope when the sprint was started is the commitment.
  const committedBy =
    sprint.startedAt && dayOf(sprint.startedAt) === firstDay ? sprint.startedAt.getTime() : null;
  const scope = new Map<string, Entry>();
  let i = 0;
  while (
    i < sorted.length &&
    (dayOf(sorted[i].at) < firstDay || (committedBy !== null && sorted[i].at.getTime() <= committedBy))
  ) {
    apply(scope, sorted[i++]);
  }
  const committed = remainingOf(scope);

  const startMs = Date.parse(`${firstDay}T00:00:00Z`);
  const dayCount = Math.max(
    1,
    Math.round((Date.parse(`${calendarDateOf(sprint.end)}T00:00:00Z`) - startMs) / dayMs) + 1,
  );
  const today = dayOf(now);
  const days: BurndownDay[] = [];
  for (let d = 0; d < dayCount; d++) {
    const date = calendarDateOf(new Date(startMs + d * dayMs));
    let added = 0;
    let removed = 0;
    let completed = 0;
    while (i < sorted.length && dayOf(sorted[i].at) === date) {
      const effect = apply(scope, sorted[i++]);
      if (effect.scope > 0) added += effect.scope;
      else removed -= effect.scope;
      completed += effect.completed;
    }
    const ideal = dayCount === 1 ? 0 : Math.round(committed * (1 - d / (dayCount - 1)) * 10) / 10;
    days.push({
      date,
      remaining: date <= today ? remainingOf(scope) : null,
      completed,
      added,
      removed,
      ideal,
    });
  }
  return { committed, days };
}

export interface BurnupPoint {
  /** a label for the period, e.g. the sprint's name */
  label: string;
  /** all points in scope at the end of the period */
  scope: number;
  /** points done by the end of the period */
  done: number;
}

/**
 * Burn-up for a release or an epic: total scope and done points at the end of each period (e.g. each sprint).
 * `periods` are consecutive, each with its last moment; events are the epic's or release's item events.
 */
export function burnup(
  periods: ReadonlyArray<{ label: string; end: Date }>,
  events: readonly ScopeEvent[],
): BurnupPoint[] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const scope = new Map<string, Entry>();
  let i = 0;
  return periods.map((period) => {
    while (i < sorted.length && sorted[i].at.getTime() <= period.end.getTime()) apply(scope, sorted[i++]);
    let total = 0;
    let done = 0;
    for (const entry of scope.values()) {
      total += entry.points;
      if (entry.done) done += entry.points;
    }
    return { label: period.label, scope: total, done };
  });
}
