import { calendarDayIn } from '~/utils/dates';

/**
 * Backlog stability: how much the order moved each week, and why. Pure: the service maps decision-log entries to
 * order changes. A week is an ISO week (Monday to Sunday) of calendar days in the viewer's time zone (UTC unless
 * given), as burndown days are.
 *
 * Which decisions are order changes (the service decides, documented here because the numbers depend on it):
 * - `moved`: one item from one place to another; places are positions in the whole order (1 is the top), as the
 *   move recorded them.
 * - `proposal_applied`: every item of an applied WSJF/MoSCoW proposal whose place changed; its places are
 *   positions among the items the proposal ordered (the log keeps that order, not the whole backlog's), so the
 *   distance is a lower bound of the distance in the whole order.
 * Not counted: `created` and `split` add items (the others shift by one, nobody reordered them), and items coming
 * back from a sprint (`sprint_item_rejected` goes to the top, `sprint_item_unfinished` to a chosen place) re-enter
 * the order with no recorded place before, as a review outcome rather than a reprioritisation; the decision log
 * shows them.
 */

export type OrderChangeKind = 'moved' | 'proposal_applied';

export interface OrderChange {
  at: Date;
  itemId: string;
  /** the place before, 1 is the top */
  from: number;
  /** the place after */
  to: number;
  /** the reason written down with the change ('' when none was given) */
  reason: string;
  actor: string;
  kind: OrderChangeKind;
}

/**
 * A week is a radical reshuffle when more than this share of the backlog moved (with at least
 * `reshuffleMinItems` items: in a four-item backlog one move is 25 % and no reshuffle) …
 */
export const reshuffleShare = 0.2;
export const reshuffleMinItems = 3;
/** … or when any one move went this many places or more. */
export const reshuffleDistance = 10;
/** What a move without a reason says in its place. */
export const noReasonGiven = 'no reason given';

export interface StabilityMove extends OrderChange {
  /** how many places it went, |from − to| */
  distance: number;
  /** true when no reason was written down */
  noReason: boolean;
}

export type ReshuffleCause = 'share' | 'distance';

export interface StabilityWeek {
  /** the Monday the week starts on, YYYY-MM-DD */
  start: string;
  /** the ISO week: "2026-W49" */
  isoWeek: string;
  /** distinct items whose place changed that week */
  itemsMoved: number;
  /** all places moved, summed over the week's changes */
  totalDistance: number;
  /** the longest single change, in places */
  largestMove: number;
  /**
   * The share of the backlog that did not move that week, 0 to 1: 1 − itemsMoved / backlog size (the size is the
   * items in the order now, or more when the week's places or moved items show it was bigger). 1 is untouched.
   */
  stabilityIndex: number;
  /** a radical reshuffle (see the thresholds above), and why */
  reshuffle: boolean;
  causes: ReshuffleCause[];
  /** the week's changes, oldest first */
  moves: StabilityMove[];
}

const dayMs = 86_400_000;
const dayOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayString = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The Monday (YYYY-MM-DD) of the ISO week a calendar day (YYYY-MM-DD) falls in. */
export function mondayOf(day: string): string {
  const t = dayOf(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return dayString(t - weekday * dayMs);
}

/** "2026-W49": the ISO week (year of its Thursday) of the week starting on that Monday. */
export function isoWeekOf(monday: string): string {
  const thursday = new Date(dayOf(monday) + 3 * dayMs);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / dayMs / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface StabilityOptions {
  /** items in the order now (not archived) */
  backlogSize: number;
  /** how many weeks back, the current one included */
  weeks: number;
  now: Date;
  /** the viewer's time zone (UTC unless given) */
  timeZone?: string;
}

/** The first Monday of the window: `weeks` weeks back, the current week included. */
export function windowStart(now: Date, weeks: number, timeZone = 'UTC'): string {
  return dayString(dayOf(mondayOf(calendarDayIn(now, timeZone))) - (weeks - 1) * 7 * dayMs);
}

/**
 * The weeks of the window with at least one order change, newest first (a week not listed had none: fully
 * stable). Changes that do not change a place (from = to) and changes outside the window are left out.
 */
export function backlogStability(
  changes: readonly OrderChange[],
  options: StabilityOptions,
): StabilityWeek[] {
  const zone = options.timeZone ?? 'UTC';
  const first = windowStart(options.now, options.weeks, zone);
  const last = mondayOf(calendarDayIn(options.now, zone));
  const byWeek = new Map<string, OrderChange[]>();
  for (const change of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (change.from === change.to) continue;
    const week = mondayOf(calendarDayIn(change.at, zone));
    if (week < first || week > last) continue;
    const list = byWeek.get(week) ?? [];
    list.push(change);
    byWeek.set(week, list);
  }
  return [...byWeek.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([start, list]) => weekOf(start, list, options.backlogSize));
}

function weekOf(start: string, changes: OrderChange[], backlogSize: number): StabilityWeek {
  const moves: StabilityMove[] = changes.map((c) => {
    const reason = c.reason.trim();
    return { ...c, reason, distance: Math.abs(c.from - c.to), noReason: reason === '' };
  });
  const itemsMoved = new Set(moves.map((m) => m.itemId)).size;
  const totalDistance = moves.reduce((sum, m) => sum + m.distance, 0);
  const largestMove = Math.max(...moves.map((m) => m.distance));
  const size = Math.max(backlogSize, itemsMoved, ...moves.flatMap((m) => [m.from, m.to]));
  const movedShare = itemsMoved / size;
  const causes: ReshuffleCause[] = [];
  if (movedShare > reshuffleShare && itemsMoved >= reshuffleMinItems) causes.push('share');
  if (largestMove >= reshuffleDistance) causes.push('distance');
  return {
    start,
    isoWeek: isoWeekOf(start),
    itemsMoved,
    totalDistance,
    largestMove,
    stabilityIndex: Math.round((1 - movedShare) * 1000) / 1000,
    reshuffle: causes.length > 0,
    causes,
    moves,
  };
}
