import { describe, expect, it } from 'vitest';
import { bottomQuartile, cleanupHorizon, horizonSprints, isBeyondHorizon } from './cleanup';
import { forecastBacklog } from './forecast';

describe('bottomQuartile', () => {
  it('is the nearest-rank first quartile, or null without scores', () => {
    expect(bottomQuartile([])).toBeNull();
    expect(bottomQuartile([4])).toBe(4);
    expect(bottomQuartile([8, 1, 4, 2])).toBe(1);
    expect(bottomQuartile([5, 1, 4, 2, 3])).toBe(2);
    expect(bottomQuartile([10, 9, 8, 7, 6, 5, 4, 3])).toBe(4);
  });
});

describe('the next three sprints at full capacity', () => {
  it('needs three closed sprints, like the forecast', () => {
    expect(cleanupHorizon([], 1)).toEqual({ kind: 'no_history', sprintsOfHistory: 0 });
    expect(cleanupHorizon([13, 10], 3)).toEqual({ kind: 'no_history', sprintsOfHistory: 2 });
  });

  it('is the highest recent velocity over the three sprints from the first one open to the backlog', () => {
    // Sprint 4 runs, so sprints 5, 6 and 7 are the horizon; the highest of the last five velocities is 13.
    expect(cleanupHorizon([2, 13, 13, 10], 5)).toEqual({
      kind: 'sprints',
      firstSprint: 5,
      lastSprint: 7,
      highestVelocity: 13,
      capacity: 39,
    });
    expect(horizonSprints).toBe(3);
    // A velocity older than the last five no longer counts.
    expect(cleanupHorizon([40, 8, 9, 10, 7, 6], 7)).toMatchObject({
      highestVelocity: 10,
      capacity: 30,
      lastSprint: 9,
    });
  });

  it('has no capacity to measure when the recent sprints accepted nothing', () => {
    expect(cleanupHorizon([0, 0, 0], 4)).toEqual({ kind: 'no_capacity' });
  });
});

describe('beyond the horizon', () => {
  const velocities = [8, 10, 12];
  const horizon = cleanupHorizon(velocities, 5); // sprints 5–7 at 12 points: 36 points
  const order = [
    { id: 'a', points: 20 }, // 20 points: earliest sprint 6
    { id: 'b', points: 16 }, // 36: exactly the capacity, earliest sprint 7
    { id: 'c', points: 1 }, // 37: earliest sprint 8, beyond
    { id: 'd', points: null }, // unestimated, still 37 above it and itself: beyond (a lower bound)
    { id: 'e', points: 3, inCurrentSprint: true }, // committed to the running sprint: never
  ];
  const forecasts = forecastBacklog(order, { velocities, firstSprint: 5, currentSprint: 4 });

  it('lists the items that cannot be done in the next three sprints even at the highest velocity', () => {
    expect(order.map((item, i) => [item.id, isBeyondHorizon(forecasts[i], horizon)])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
      ['d', true],
      ['e', false],
    ]);
  });

  it('lists nothing without history, capacity or a forecast', () => {
    const short = forecastBacklog(order, { velocities: [12, 12], firstSprint: 3 });
    expect(short.some((f) => isBeyondHorizon(f, cleanupHorizon([12, 12], 3)))).toBe(false);
    expect(isBeyondHorizon(forecasts[2], { kind: 'no_capacity' })).toBe(false);
    expect(isBeyondHorizon(undefined, horizon)).toBe(false);
  });
});
