/**
 * An urgent request entering a running sprint (issue 17, part 3): what it displaces, and what that does to the
 * sprint and to the forecast of the items behind. Pure: the service feeds it the sprint's items in backlog order,
 * the open order behind the sprint and the velocity history.
 *
 * The rule: the sprint keeps its load. The budget is the sprint's capacity when it has one, else the points it
 * holds now. Items not yet done leave from the bottom of the backlog order upwards until the urgent item fits;
 * done items never leave. The displaced items go back to the top of the backlog, ahead of everything that was
 * waiting, so every item behind them moves later by their points.
 */
import type { Burndown } from './burndown';
import { forecastBacklog, type ItemForecast } from './forecast';
import { goalRisk } from './goal-risk';

export interface SwapSprintItem {
  id: string;
  title: string;
  /** story points; null while unestimated (counts as 0 in the load, and is never chosen to make room) */
  points: number | null;
  done: boolean;
}

export interface SwapOrderItem {
  id: string;
  title: string;
  points: number | null;
}

export interface UrgentSwapInput {
  urgent: { id: string | null; points: number | null };
  /** the running sprint's items still in it (committed or done), top of the backlog order first */
  sprintItems: readonly SwapSprintItem[];
  capacity: number | null;
  /** the open backlog order outside the sprint, top first (it may contain the urgent item itself) */
  behind: readonly SwapOrderItem[];
  /** velocities of closed sprints, oldest first */
  velocities: readonly number[];
  /** the number of the first sprint that takes items from the backlog (the one after the running sprint) */
  firstSprint: number;
}

export interface ForecastShift {
  id: string;
  title: string;
  before: ItemForecast;
  after: ItemForecast;
}

export type UrgentSwapImpact =
  | { kind: 'needs_estimate' }
  | {
      kind: 'impact';
      basis: 'capacity' | 'current_load';
      budget: number;
      loadBefore: number;
      loadAfter: number;
      /** points still to do in the sprint, before and after the swap */
      remainingBefore: number;
      remainingAfter: number;
      displaced: SwapSprintItem[];
      displacedPoints: number;
      /** true when even displacing every unfinished item leaves the sprint over its budget */
      overBudget: boolean;
      /** items behind whose likely sprint moves later, top first (at most `shiftLimit`) */
      shifted: ForecastShift[];
      /** how many items behind move later in all */
      shiftedCount: number;
    };

const points = (p: number | null) => p ?? 0;

/** The impact of putting the urgent item into the running sprint. */
export function urgentSwapImpact(input: UrgentSwapInput, shiftLimit = 10): UrgentSwapImpact {
  const urgentPoints = input.urgent.points;
  if (urgentPoints === null) return { kind: 'needs_estimate' };
  const loadBefore = input.sprintItems.reduce((s, i) => s + points(i.points), 0);
  const remainingBefore = input.sprintItems.reduce((s, i) => s + (i.done ? 0 : points(i.points)), 0);
  const basis = input.capacity !== null ? 'capacity' : 'current_load';
  const budget = input.capacity ?? loadBefore;

  const displaced: SwapSprintItem[] = [];
  let load = loadBefore + urgentPoints;
  for (let i = input.sprintItems.length - 1; i >= 0 && load > budget; i--) {
    const item = input.sprintItems[i];
    if (item.done || item.points === null || item.points === 0) continue;
    displaced.push(item);
    load -= item.points;
  }
  displaced.reverse();
  const displacedPoints = displaced.reduce((s, i) => s + points(i.points), 0);

  const rest = input.behind.filter((i) => i.id !== input.urgent.id);
  const options = { velocities: input.velocities, firstSprint: input.firstSprint };
  const before = forecastBacklog(rest, options);
  const after = forecastBacklog([...displaced, ...rest], options).slice(displaced.length);
  const shifted: ForecastShift[] = [];
  let shiftedCount = 0;
  rest.forEach((item, i) => {
    if (!movedLater(before[i], after[i])) return;
    shiftedCount += 1;
    if (shifted.length < shiftLimit)
      shifted.push({ id: item.id, title: item.title, before: before[i], after: after[i] });
  });

  return {
    kind: 'impact',
    basis,
    budget,
    loadBefore,
    loadAfter: load,
    remainingBefore,
    remainingAfter: remainingBefore - displacedPoints + urgentPoints,
    displaced,
    displacedPoints,
    overBudget: load > budget,
    shifted,
    shiftedCount,
  };
}

function movedLater(before: ItemForecast, after: ItemForecast): boolean {
  if (before.kind !== 'range' || after.kind !== 'range') return false;
  return after.likely > before.likely || (after.latest ?? Infinity) > (before.latest ?? Infinity);
}

/**
 * The burndown as it would be had the swap happened today: the sprint's remaining points change by `delta`
 * (the urgent item's points minus the displaced items' points) on today's day, as a scope change that day (added
 * when positive, removed when negative). Days before today are history and stay as they are. Before the sprint's
 * first day the change is to the commitment. Feed the result to `goalRisk` for the goal's projection after.
 */
export function burndownAfterSwap(burndown: Burndown, today: string, delta: number): Burndown {
  if (delta === 0) return burndown;
  let index = -1;
  burndown.days.forEach((d, i) => {
    if (d.date <= today) index = i;
  });
  if (index === -1) return { ...burndown, committed: burndown.committed + delta };
  const days = burndown.days.map((d, i) => {
    if (i !== index) return d;
    return {
      ...d,
      added: d.added + Math.max(delta, 0),
      removed: d.removed + Math.max(-delta, 0),
      remaining: d.remaining === null ? null : d.remaining + delta,
    };
  });
  return { ...burndown, days };
}

/** The goal's projection now and with the swap, from the same burndown and day. */
export function goalProjectionWithSwap(burndown: Burndown, today: string, delta: number) {
  return {
    before: goalRisk(burndown, today),
    after: goalRisk(burndownAfterSwap(burndown, today, delta), today),
  };
}

/** The displaced items the product owner saw are the ones the sprint would displace now (same items, same order). */
export function sameDisplaced(expected: readonly string[], now: readonly string[]): boolean {
  return expected.length === now.length && expected.every((id, i) => id === now[i]);
}
