import { describe, expect, it } from 'vitest';
import {
  backlogStability,
  isoWeekOf,
  mondayOf,
  noReasonGiven,
  type OrderChange,
  reshuffleDistance,
  windowStart,
} from './backlog-stability';

const at = (iso: string) => new Date(iso);
const move = (iso: string, itemId: string, from: number, to: number, reason = ''): OrderChange => ({
  at: at(iso),
  itemId,
  from,
  to,
  reason,
  actor: 'Olivia PO',
  kind: 'moved',
});
// Wednesday 2 December 2026; its ISO week starts on Monday 30 November.
const now = at('2026-12-02T12:00:00Z');

describe('backlog stability per week', () => {
  it('finds the Monday and the ISO week of a day', () => {
    expect(mondayOf('2026-12-02')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30'); // Sunday
    expect(isoWeekOf('2026-11-30')).toBe('2026-W49');
    expect(isoWeekOf('2026-12-28')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // the week of 1 January 2025 belongs to 2025
    expect(windowStart(now, 12)).toBe('2026-09-14');
    expect(windowStart(now, 1)).toBe('2026-11-30');
  });

  it('is empty without changes', () => {
    expect(backlogStability([], { backlogSize: 10, weeks: 12, now })).toEqual([]);
  });

  it('groups changes into Monday-to-Sunday weeks, newest first, and counts items and distances', () => {
    const weeks = backlogStability(
      [
        move('2026-11-29T23:59:59Z', 'a', 5, 1, 'Sunday night'), // week of 23 Nov
        move('2026-11-30T00:00:00Z', 'b', 2, 4, 'Monday morning'),
        move('2026-12-01T10:00:00Z', 'b', 4, 3, 'Second thoughts'),
        move('2026-12-01T11:00:00Z', 'c', 7, 6),
      ],
      { backlogSize: 20, weeks: 12, now },
    );
    expect(weeks.map((w) => w.start)).toEqual(['2026-11-30', '2026-11-23']);
    const [current, previous] = weeks;
    expect(current).toMatchObject({
      isoWeek: '2026-W49',
      itemsMoved: 2,
      totalDistance: 4,
      largestMove: 2,
      stabilityIndex: 0.9,
      reshuffle: false,
      causes: [],
    });
    expect(current.moves.map((m) => [m.itemId, m.from, m.to, m.reason, m.noReason])).toEqual([
      ['b', 2, 4, 'Monday morning', false],
      ['b', 4, 3, 'Second thoughts', false],
      ['c', 7, 6, '', true],
    ]);
    expect(previous).toMatchObject({ itemsMoved: 1, largestMove: 4, stabilityIndex: 0.95 });
    expect(noReasonGiven).toBe('no reason given');
  });

  it('counts weeks in the viewer’s time zone', () => {
    // 23:30 UTC on Sunday 29 November is already Monday 30 November in Berlin, and still Sunday in New York.
    const change = [move('2026-11-29T23:30:00Z', 'a', 3, 1, 'Urgent')];
    expect(backlogStability(change, { backlogSize: 10, weeks: 12, now })[0].start).toBe('2026-11-23');
    expect(
      backlogStability(change, { backlogSize: 10, weeks: 12, now, timeZone: 'Europe/Berlin' })[0].start,
    ).toBe('2026-11-30');
    expect(
      backlogStability(change, { backlogSize: 10, weeks: 12, now, timeZone: 'America/New_York' })[0].start,
    ).toBe('2026-11-23');
  });

  it('leaves out changes outside the window and changes that keep the place', () => {
    const weeks = backlogStability(
      [
        move('2026-09-13T12:00:00Z', 'old', 9, 1, 'Before the window'),
        move('2026-09-14T00:00:00Z', 'first', 2, 1, 'First day of the window'),
        move('2026-11-10T12:00:00Z', 'same', 3, 3, 'Nowhere'),
        move('2026-12-08T12:00:00Z', 'future', 3, 1, 'After now'),
      ],
      { backlogSize: 10, weeks: 12, now },
    );
    expect(weeks.map((w) => [w.start, w.moves.map((m) => m.itemId)])).toEqual([['2026-09-14', ['first']]]);
  });

  it('flags a radical reshuffle when more than 20 % of the items moved, at least three', () => {
    const three = ['a', 'b', 'c'].map((id, i) => move(`2026-12-01T1${i}:00:00Z`, id, i + 2, i + 1, 'WSJF'));
    // 3 of 14 is 21 %: a reshuffle; 3 of 15 is exactly 20 %: not.
    expect(backlogStability(three, { backlogSize: 14, weeks: 1, now })[0]).toMatchObject({
      reshuffle: true,
      causes: ['share'],
    });
    expect(backlogStability(three, { backlogSize: 15, weeks: 1, now })[0]).toMatchObject({
      reshuffle: false,
      stabilityIndex: 0.8,
    });
    // One move in a four-item backlog is 25 %, but one item is no reshuffle.
    expect(
      backlogStability([move('2026-12-01T10:00:00Z', 'a', 4, 1, 'x')], { backlogSize: 4, weeks: 1, now })[0],
    ).toMatchObject({ reshuffle: false, stabilityIndex: 0.75 });
  });

  it('flags a radical reshuffle when one move goes ten places or more', () => {
    const far = backlogStability([move('2026-12-01T10:00:00Z', 'a', 11, 1)], {
      backlogSize: 100,
      weeks: 1,
      now,
    })[0];
    expect(reshuffleDistance).toBe(10);
    expect(far).toMatchObject({ largestMove: 10, reshuffle: true, causes: ['distance'] });
    const near = backlogStability([move('2026-12-01T10:00:00Z', 'a', 10, 1)], {
      backlogSize: 100,
      weeks: 1,
      now,
    })[0];
    expect(near).toMatchObject({ largestMove: 9, reshuffle: false });
  });

  it('never reads a backlog smaller than the places the week shows', () => {
    // The order had 12 items then (a move from place 12) though only 2 are left now.
    const week = backlogStability([move('2026-12-01T10:00:00Z', 'a', 12, 1, 'x')], {
      backlogSize: 2,
      weeks: 1,
      now,
    })[0];
    expect(week.stabilityIndex).toBeCloseTo(1 - 1 / 12, 3);
  });

  it('marks a change without a reason, blank reasons included', () => {
    const week = backlogStability(
      [move('2026-12-01T10:00:00Z', 'a', 2, 1, '   '), move('2026-12-01T11:00:00Z', 'b', 1, 2, 'Risk first')],
      { backlogSize: 10, weeks: 1, now },
    )[0];
    expect(week.moves.map((m) => [m.reason, m.noReason])).toEqual([
      ['', true],
      ['Risk first', false],
    ]);
  });
});
