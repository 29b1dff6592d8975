import { describe, expect, it } from 'vitest';
import {
  forecastBacklog,
  forecastCell,
  forecastLabel,
  forecastOrder,
  sprintDates,
  sprintNamer,
  velocityRange,
} from './forecast';

describe('velocity range', () => {
  it('needs three closed sprints', () => {
    expect(velocityRange([])).toBeNull();
    expect(velocityRange([12])).toBeNull();
    expect(velocityRange([12, 15])).toBeNull();
    expect(velocityRange([10, 20, 30])).toEqual({ lowest: 10, average: 20, highest: 30, sprints: 3 });
  });

  it('looks at the last five sprints only', () => {
    expect(velocityRange([100, 1, 10, 20, 30, 40, 50])).toEqual({
      lowest: 10,
      average: 30,
      highest: 50,
      sprints: 5,
    });
    expect(velocityRange([7, 8, 8, 9])).toEqual({ lowest: 7, average: 8, highest: 9, sprints: 4 });
    expect(velocityRange([10, 10, 11])?.average).toBe(10.3);
  });
});

describe('forecast for every item', () => {
  const history = { velocities: [10, 20, 30], firstSprint: 8 };

  it('gives the hand-worked ranges from the cumulative points above each item', () => {
    // velocities 10 / 20 / 30; sprint 8 is the first to take items from the backlog.
    const items = [
      { id: 'a', points: 5 }, // 5 points: 8 / 8 / 8
      { id: 'b', points: 8 }, // 13: 8 / 8 / ceil(1.3)=2 → 9
      { id: 'c', points: 13 }, // 26: 8 / ceil(1.3)=2 → 9 / ceil(2.6)=3 → 10
      { id: 'd', points: null }, // unestimated: same points, flagged as a lower bound
      { id: 'e', points: 20 }, // 46: ceil(1.53)=2 → 9 / ceil(2.3)=3 → 10 / ceil(4.6)=5 → 12
    ];
    const result = forecastBacklog(items, history);
    expect(result.map((f) => (f.kind === 'range' ? [f.earliest, f.likely, f.latest] : f.kind))).toEqual([
      [8, 8, 8],
      [8, 8, 9],
      [8, 9, 10],
      [8, 9, 10],
      [9, 10, 12],
    ]);
    expect(result[3]).toMatchObject({ pointsThrough: 26, unestimatedThrough: 1 });
    expect(result[4]).toMatchObject({ pointsThrough: 46, unestimatedThrough: 1 });
  });

  it('counts a sprint exactly filled as one sprint', () => {
    const [f] = forecastBacklog([{ id: 'x', points: 30 }], history);
    expect(f).toMatchObject({ earliest: 8, likely: 9, latest: 10 });
  });

  it('has no forecast with zero or one sprint of history, and says so', () => {
    for (const velocities of [[], [21]]) {
      const result = forecastBacklog(
        [
          { id: 'a', points: 3 },
          { id: 'b', points: 5 },
        ],
        { velocities, firstSprint: 2 },
      );
      expect(result).toEqual([
        { kind: 'no_history', sprintsOfHistory: velocities.length },
        { kind: 'no_history', sprintsOfHistory: velocities.length },
      ]);
      expect(forecastLabel(result[0])).toBe(`Not enough history (${velocities.length} of 3 sprints)`);
    }
  });

  it('forecasts items far beyond the whole backlog estimate, and the last item at the whole backlog', () => {
    const items = [
      { id: 'a', points: 40 },
      { id: 'b', points: 20 }, // whole backlog, 60: 2 → 9 / 3 → 10 / 6 → 13
      { id: 'huge', points: 1000 }, // 1060: ceil(35.3)=36 / 53 / 106
    ];
    const result = forecastBacklog(items, history);
    expect(result[1]).toMatchObject({ earliest: 9, likely: 10, latest: 13, pointsThrough: 60 });
    expect(result[2]).toMatchObject({ earliest: 43, likely: 60, latest: 113, pointsThrough: 1060 });
  });

  it('puts items committed to the running sprint in that sprint and leaves them out of the cumulative points', () => {
    const items = [
      { id: 'running', points: 13, inCurrentSprint: true },
      { id: 'next', points: 10 },
    ];
    const result = forecastBacklog(items, { ...history, currentSprint: 7 });
    expect(result[0]).toEqual({ kind: 'current_sprint', sprint: 7 });
    expect(result[1]).toMatchObject({ earliest: 8, latest: 8, pointsThrough: 10 });
    expect(forecastLabel(result[0])).toBe('In the running sprint 7');
    expect(forecastLabel(result[1])).toBe('In sprint 8');
  });

  it('has no upper bound while a recent sprint delivered nothing', () => {
    const [f] = forecastBacklog([{ id: 'a', points: 25 }], { velocities: [0, 10, 20], firstSprint: 4 });
    expect(f).toMatchObject({ earliest: 5, likely: 6, latest: null });
    expect(forecastLabel(f)).toBe('Not before sprint 5; no upper bound yet');
  });

  it('a zero-point item at the top is done in the first sprint', () => {
    const [f] = forecastBacklog([{ id: 'a', points: 0 }], history);
    expect(f).toMatchObject({ earliest: 8, likely: 8, latest: 8 });
  });

  it('reads as a range, naming a lower bound when unestimated items sit above', () => {
    const result = forecastBacklog(
      [
        { id: 'a', points: null },
        { id: 'b', points: 26 },
      ],
      history,
    );
    expect(forecastLabel(result[1], (n) => `Sprint ${n}`)).toBe(
      'Between Sprint 8 and Sprint 10 or later (unestimated items above)',
    );
  });
});

describe('forecast of an order with epics', () => {
  const history = { velocities: [10, 20, 30], firstSprint: 8, currentSprint: 7 };

  it('counts an epic’s open children instead of the epic, and forecasts the epic with its last child', () => {
    const result = forecastOrder(
      [
        { id: 'epic', points: 100, parentId: null },
        { id: 'a', points: 5, parentId: 'epic' },
        { id: 'b', points: 20, parentId: null },
        { id: 'c', points: 30, parentId: 'epic' },
        { id: 'd', points: 3, parentId: null },
      ],
      history,
    );
    expect([...result.keys()]).toEqual(['epic', 'a', 'b', 'c', 'd']);
    expect(result.get('a')).toMatchObject({ pointsThrough: 5 });
    expect(result.get('c')).toMatchObject({ pointsThrough: 55 });
    expect(result.get('epic')).toEqual(result.get('c'));
    expect(result.get('d')).toMatchObject({ pointsThrough: 58 }); // the epic's own 100 points do not count
  });

  it('counts an epic whose children are all gone as an item, and ignores a parent outside the order', () => {
    const result = forecastOrder(
      [
        { id: 'epic', points: 8, parentId: null },
        { id: 'a', points: 5, parentId: 'done-epic' },
      ],
      history,
    );
    expect(result.get('epic')).toMatchObject({ pointsThrough: 8 });
    expect(result.get('a')).toMatchObject({ pointsThrough: 13 });
  });

  it('gives an epic the range of a child below the running sprint, and the running sprint when all are in it', () => {
    const result = forecastOrder(
      [
        { id: 'late', points: 1, parentId: null },
        { id: 'x', points: 40, parentId: 'late', inCurrentSprint: false },
        { id: 'y', points: 3, parentId: 'late', inCurrentSprint: true },
        { id: 'now', points: 1, parentId: null },
        { id: 'z', points: 2, parentId: 'now', inCurrentSprint: true },
      ],
      history,
    );
    expect(result.get('late')).toEqual(result.get('x'));
    expect(result.get('now')).toEqual({ kind: 'current_sprint', sprint: 7 });
  });

  it('says "not enough history" for every item, epics included, below three sprints', () => {
    const result = forecastOrder(
      [
        { id: 'e', points: null, parentId: null },
        { id: 'a', points: 2, parentId: 'e' },
      ],
      { velocities: [4], firstSprint: 2 },
    );
    expect([...result.values()]).toEqual([
      { kind: 'no_history', sprintsOfHistory: 1 },
      { kind: 'no_history', sprintsOfHistory: 1 },
    ]);
  });
});

describe('sprint dates', () => {
  it('projects a regular cadence forward and backward', () => {
    const calendar = { knownSprint: 7, knownStart: new Date('2026-11-16T00:00:00Z'), lengthDays: 14 };
    expect(sprintDates(calendar, 8)).toEqual({
      start: new Date('2026-11-30T00:00:00Z'),
      end: new Date('2026-12-13T00:00:00Z'),
    });
    expect(sprintDates(calendar, 6).start).toEqual(new Date('2026-11-02T00:00:00Z'));
  });
});

describe('sprint names for forecasts', () => {
  it('uses existing names and continues the last sprint numbering', () => {
    const name = sprintNamer([
      { number: 1, name: 'Sprint 21' },
      { number: 2, name: 'Sprint 22 – payments' },
      { number: 3, name: 'Sprint 23' },
    ]);
    expect([name(2), name(3), name(4), name(6)]).toEqual([
      'Sprint 22 – payments',
      'Sprint 23',
      'Sprint 24',
      'Sprint 26',
    ]);
    expect(sprintNamer([{ number: 1, name: 'Kick-off' }])(3)).toBe('Sprint 3');
    expect(sprintNamer([])(1)).toBe('Sprint 1');
  });
});

describe('forecast in a backlog cell', () => {
  it('is short, marks lower bounds and open ends, and is empty without history', () => {
    const range = {
      kind: 'range',
      earliest: 5,
      likely: 6,
      latest: 7,
      pointsThrough: 30,
      unestimatedThrough: 0,
    } as const;
    expect(forecastCell(range)).toBe('5–7');
    expect(forecastCell({ ...range, latest: 5 })).toBe('5');
    expect(forecastCell({ ...range, latest: null })).toBe('5+');
    expect(forecastCell({ ...range, unestimatedThrough: 2 })).toBe('≥5–7');
    expect(forecastCell({ kind: 'current_sprint', sprint: 4 })).toBe('now');
    expect(forecastCell({ kind: 'no_history', sprintsOfHistory: 1 })).toBeNull();
  });
});
