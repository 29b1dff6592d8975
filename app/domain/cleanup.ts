/**
 * Backlog hygiene rules (docs/product-rules.md, "Numbers for stakeholders"): which open items are candidates to archive. Pure functions; the
 * cleanup service feeds them the order, the scores and the forecast.
 */
import { type ItemForecast, velocityRange } from './forecast';

/** "Items that would not be built in the next three sprints even at full capacity." */
export const horizonSprints = 3;

/**
 * The WSJF at or below which the lowest quarter of the scored items lie (nearest-rank first quartile), or null
 * when nothing is scored.
 */
export function bottomQuartile(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const sorted = [...scores].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.25) - 1)];
}

export type CleanupHorizon =
  | {
      kind: 'sprints';
      /** the first sprint that takes items from the backlog */
      firstSprint: number;
      /** the last of the next `horizonSprints` sprints */
      lastSprint: number;
      /** full capacity: the highest velocity of the recent sprints the forecast uses */
      highestVelocity: number;
      /** points the next sprints can take at full capacity */
      capacity: number;
    }
  /** fewer closed sprints than a forecast needs */
  | { kind: 'no_history'; sprintsOfHistory: number }
  /** the recent sprints accepted nothing: there is no capacity to measure against */
  | { kind: 'no_capacity' };

/**
 * The next three sprints at full capacity, from the velocities of closed sprints (oldest first) and the number of
 * the first sprint that takes items from the backlog (the one after a running sprint).
 */
export function cleanupHorizon(velocities: readonly number[], firstSprint: number): CleanupHorizon {
  const range = velocityRange(velocities);
  if (!range) return { kind: 'no_history', sprintsOfHistory: velocities.length };
  if (range.highest <= 0) return { kind: 'no_capacity' };
  return {
    kind: 'sprints',
    firstSprint,
    lastSprint: firstSprint + horizonSprints - 1,
    highestVelocity: range.highest,
    capacity: range.highest * horizonSprints,
  };
}

/**
 * True when even at the highest velocity the item cannot be done within the horizon: its earliest sprint (the
 * forecast at full capacity, a lower bound when unestimated items sit above it) comes after the horizon's last
 * sprint. An item in the running sprint, or without a forecast, never is.
 */
export function isBeyondHorizon(forecast: ItemForecast | undefined, horizon: CleanupHorizon): boolean {
  if (horizon.kind !== 'sprints' || !forecast || forecast.kind !== 'range') return false;
  return forecast.earliest > horizon.lastSprint;
}
