/**
 * Forecasts: when will an item be done? Always a range, from the lowest, average and highest velocity of the last
 * three to five closed sprints (docs/product-rules.md). Pure functions; the service feeds them the backlog order and history.
 */

/** Fewer closed sprints than this and there is no forecast, only an honest "not enough history". */
export const minimumHistory = 3;
/** The forecast looks at no more than this many recent sprints. */
export const historyWindow = 5;

export interface VelocityRange {
  lowest: number;
  average: number;
  highest: number;
  /** how many sprints the range is drawn from (3 to 5) */
  sprints: number;
}

/**
 * The range of the last three to five velocities (oldest first, most recent last); null below three sprints.
 * The average is rounded to one decimal.
 */
export function velocityRange(velocities: readonly number[]): VelocityRange | null {
  if (velocities.length < minimumHistory) return null;
  const recent = velocities.slice(-historyWindow);
  const sum = recent.reduce((s, v) => s + v, 0);
  return {
    lowest: Math.min(...recent),
    average: Math.round((sum / recent.length) * 10) / 10,
    highest: Math.max(...recent),
    sprints: recent.length,
  };
}

export interface ForecastItem {
  id: string;
  /** story points; null while the item is not estimated */
  points: number | null;
  /** already committed to the running sprint: it is forecast for that sprint whatever the order says */
  inCurrentSprint?: boolean;
}

export type ItemForecast =
  | { kind: 'no_history'; sprintsOfHistory: number }
  | { kind: 'current_sprint'; sprint: number }
  | {
      kind: 'range';
      /** the first sprint in which the item can be done (at the highest velocity) */
      earliest: number;
      /** the sprint at the average velocity */
      likely: number;
      /** the last sprint in which it is expected (at the lowest velocity); null when a recent sprint delivered nothing */
      latest: number | null;
      /** points in the order down to and including this item (not counting the running sprint's items) */
      pointsThrough: number;
      /** unestimated items at or above this one: the range is then a lower bound */
      unestimatedThrough: number;
    };

export interface ForecastOptions {
  /** velocities of closed sprints, oldest first */
  velocities: readonly number[];
  /** the number of the first sprint that takes items from the backlog (the one after a running sprint) */
  firstSprint: number;
  /** the running sprint's number, for items already committed to it */
  currentSprint?: number | null;
}

/** Sprints needed to burn `points` at `velocity` (at least one: an item is done in some sprint). */
function sprintsFor(points: number, velocity: number): number | null {
  if (points <= 0) return 1;
  if (velocity <= 0) return null;
  return Math.max(1, Math.ceil(points / velocity - 1e-9));
}

/**
 * One forecast per item, in backlog order, from the cumulative points down to each item. Linear in the backlog:
 * a 10,000-item backlog is one pass.
 */
export function forecastBacklog(items: readonly ForecastItem[], options: ForecastOptions): ItemForecast[] {
  const range = velocityRange(options.velocities);
  if (!range) {
    const noHistory: ItemForecast = { kind: 'no_history', sprintsOfHistory: options.velocities.length };
    return items.map(() => noHistory);
  }
  const out: ItemForecast[] = new Array(items.length);
  let through = 0;
  let unestimated = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.inCurrentSprint && options.currentSprint != null) {
      out[i] = { kind: 'current_sprint', sprint: options.currentSprint };
      continue;
    }
    if (item.points === null) unestimated += 1;
    else through += item.points;
    const offset = options.firstSprint - 1;
    const earliest = offset + (sprintsFor(through, range.highest) ?? 1);
    const likelyCount = sprintsFor(through, range.average);
    const latestCount = sprintsFor(through, range.lowest);
    out[i] = {
      kind: 'range',
      earliest,
      likely: likelyCount === null ? earliest : offset + likelyCount,
      latest: latestCount === null ? null : offset + latestCount,
      pointsThrough: through,
      unestimatedThrough: unestimated,
    };
  }
  return out;
}

/** An open item of the backlog order, as the forecast of the whole order reads it. */
export interface OrderItem {
  id: string;
  points: number | null;
  /** the item's parent (an epic), when it has one */
  parentId: string | null;
  inCurrentSprint?: boolean;
}

/** The later of two forecasts of an epic's children (a child in the running sprint is earlier than any range). */
export function latestOf(a: ItemForecast, b: ItemForecast): ItemForecast {
  if (a.kind !== 'range' || b.kind !== 'range') return a.kind === 'range' ? a : b;
  return {
    kind: 'range',
    earliest: Math.max(a.earliest, b.earliest),
    likely: Math.max(a.likely, b.likely),
    latest: a.latest === null || b.latest === null ? null : Math.max(a.latest, b.latest),
    pointsThrough: Math.max(a.pointsThrough, b.pointsThrough),
    unestimatedThrough: Math.max(a.unestimatedThrough, b.unestimatedThrough),
  };
}

/**
 * The forecast of every open item of an order (top first), by id. An epic with open children in the order is not
 * counted itself (its children are); its forecast is that of its last child. One pass, plus one over the epics.
 */
export function forecastOrder(
  items: readonly OrderItem[],
  options: ForecastOptions,
): Map<string, ItemForecast> {
  const openIds = new Set<string>();
  for (const item of items) openIds.add(item.id);
  const epicsWithChildren = new Set<string>();
  for (const item of items)
    if (item.parentId && openIds.has(item.parentId)) epicsWithChildren.add(item.parentId);
  const counted = epicsWithChildren.size === 0 ? items : items.filter((i) => !epicsWithChildren.has(i.id));
  const forecasts = forecastBacklog(counted, options);
  const byId = new Map<string, ItemForecast>();
  for (let i = 0; i < counted.length; i++) byId.set(counted[i].id, forecasts[i]);
  if (epicsWithChildren.size === 0) return byId;
  const epics = new Map<string, ItemForecast>();
  for (let i = 0; i < counted.length; i++) {
    const parentId = counted[i].parentId;
    if (parentId && epicsWithChildren.has(parentId)) {
      const previous = epics.get(parentId);
      epics.set(parentId, previous ? latestOf(previous, forecasts[i]) : forecasts[i]);
    }
  }
  // In the order of the items, as the forecast rows are listed.
  const ordered = new Map<string, ItemForecast>();
  for (const item of items) {
    const forecast = byId.get(item.id) ?? epics.get(item.id);
    if (forecast) ordered.set(item.id, forecast);
  }
  return ordered;
}

export interface SprintCalendar {
  /** the number of a sprint whose dates are known (e.g. the running or the last sprint) */
  knownSprint: number;
  knownStart: Date;
  /** sprint length in days (every sprint the same length) */
  lengthDays: number;
}

/** Start and end (inclusive, the last day) of sprint `n` on a regular cadence. */
export function sprintDates(calendar: SprintCalendar, n: number): { start: Date; end: Date } {
  const day = 86_400_000;
  const start = new Date(
    calendar.knownStart.getTime() + (n - calendar.knownSprint) * calendar.lengthDays * day,
  );
  const end = new Date(start.getTime() + (calendar.lengthDays - 1) * day);
  return { start, end };
}

/** The forecast in words, as stakeholders read it: "between sprint 14 and 16". */
export function forecastLabel(
  forecast: ItemForecast,
  sprintName: (n: number) => string = (n) => `sprint ${n}`,
): string {
  switch (forecast.kind) {
    case 'no_history':
      return `Not enough history (${forecast.sprintsOfHistory} of ${minimumHistory} sprints)`;
    case 'current_sprint':
      return `In the running ${sprintName(forecast.sprint)}`;
    case 'range': {
      const lowerBound = forecast.unestimatedThrough > 0 ? ' or later (unestimated items above)' : '';
      if (forecast.latest === null)
        return `Not before ${sprintName(forecast.earliest)}; no upper bound yet${lowerBound}`;
      if (forecast.latest === forecast.earliest) return `In ${sprintName(forecast.earliest)}${lowerBound}`;
      return `Between ${sprintName(forecast.earliest)} and ${sprintName(forecast.latest)}${lowerBound}`;
    }
  }
}

/**
 * Names for sprint numbers: an existing sprint's own name; a future one continues the last sprint's numbering
 * ("Sprint 23" is followed by "Sprint 24"), or is "Sprint N".
 */
export function sprintNamer(figures: ReadonlyArray<{ number: number; name: string }>): (n: number) => string {
  const names = new Map(figures.map((s) => [s.number, s.name]));
  const last = figures.at(-1);
  const numbered = last ? /^(.*?)(\d+)\s*$/.exec(last.name) : null;
  return (n) => {
    const own = names.get(n);
    if (own) return own;
    if (last && numbered) return `${numbered[1]}${Number(numbered[2]) + n - last.number}`;
    return `Sprint ${n}`;
  };
}

/**
 * The forecast in a backlog cell: "14–16", "14", "14+" (no upper bound), "now" (the running sprint), with "≥" in
 * front when unestimated items above make it a lower bound; null without history (the page says why once).
 */
export function forecastCell(forecast: ItemForecast): string | null {
  switch (forecast.kind) {
    case 'no_history':
      return null;
    case 'current_sprint':
      return 'now';
    case 'range': {
      const lower = forecast.unestimatedThrough > 0 ? '≥' : '';
      if (forecast.latest === null) return `${lower}${forecast.earliest}+`;
      return forecast.latest === forecast.earliest
        ? `${lower}${forecast.earliest}`
        : `${lower}${forecast.earliest}–${forecast.latest}`;
    }
  }
}
