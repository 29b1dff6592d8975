import { describe, expect, it } from 'vitest';
import { burndown, burnup, type ScopeEvent } from './burndown';

const at = (iso: string) => new Date(iso);

describe('burndown from a recorded event sequence', () => {
  // A five-day sprint, Monday 2 to Friday 6 November 2026.
  const sprint = { start: at('2026-11-02T09:00:00Z'), end: at('2026-11-06T17:00:00Z') };
  const events: ScopeEvent[] = [
    { at: at('2026-10-30T15:00:00Z'), kind: 'added', itemId: 'a', points: 5 },
    { at: at('2026-10-30T15:01:00Z'), kind: 'added', itemId: 'b', points: 8 },
    { at: at('2026-10-30T15:02:00Z'), kind: 'added', itemId: 'c', points: 3 },
    { at: at('2026-11-03T10:00:00Z'), kind: 'done', itemId: 'a' }, // Tue: 16 → 11
    { at: at('2026-11-03T11:00:00Z'), kind: 'added', itemId: 'd', points: 2 }, // Tue: scope +2 → 13
    { at: at('2026-11-04T09:00:00Z'), kind: 'estimated', itemId: 'b', points: 13 }, // Wed: +5 → 18
    { at: at('2026-11-04T16:00:00Z'), kind: 'removed', itemId: 'c' }, // Wed: -3 → 15
    { at: at('2026-11-05T12:00:00Z'), kind: 'done', itemId: 'b' }, // Thu: 15 → 2
    { at: at('2026-11-05T13:00:00Z'), kind: 'done', itemId: 'd' }, // Thu: → 0
    { at: at('2026-11-06T10:00:00Z'), kind: 'reopened', itemId: 'd' }, // Fri: rejected at review → 2
    { at: at('2026-11-09T10:00:00Z'), kind: 'done', itemId: 'd' }, // after the sprint: ignored
  ];

  it('has the commitment, remaining per day and scope added and removed', () => {
    const result = burndown(sprint, events, at('2026-11-20T00:00:00Z'));
    expect(result.committed).toBe(16);
    expect(result.days).toEqual([
      { date: '2026-11-02', remaining: 16, completed: 0, added: 0, removed: 0, ideal: 16 },
      { date: '2026-11-03', remaining: 13, completed: 5, added: 2, removed: 0, ideal: 12 },
      { date: '2026-11-04', remaining: 15, completed: 0, added: 5, removed: 3, ideal: 8 },
      { date: '2026-11-05', remaining: 0, completed: 15, added: 0, removed: 0, ideal: 4 },
      { date: '2026-11-06', remaining: 2, completed: -2, added: 0, removed: 0, ideal: 0 },
    ]);
  });

  it('leaves days still to come empty', () => {
    const result = burndown(sprint, events, at('2026-11-04T12:00:00Z'));
    expect(result.days.map((d) => d.remaining)).toEqual([16, 13, 15, null, null]);
  });

  it('counts an item removed after it was done out of both scope and done', () => {
    const result = burndown(
      sprint,
      [
        { at: at('2026-11-01T10:00:00Z'), kind: 'added', itemId: 'a', points: 5 },
        { at: at('2026-11-01T10:00:00Z'), kind: 'added', itemId: 'b', points: 3 },
        { at: at('2026-11-02T10:00:00Z'), kind: 'done', itemId: 'a' },
        { at: at('2026-11-03T10:00:00Z'), kind: 'removed', itemId: 'a' },
      ],
      at('2026-11-06T18:00:00Z'),
    );
    expect(result.days.slice(0, 3).map((d) => [d.remaining, d.completed, d.removed])).toEqual([
      [3, 5, 0],
      [3, -5, 5],
      [3, 0, 0],
    ]);
  });

  it('starts at zero for an empty sprint and ignores events for items never in scope', () => {
    const result = burndown(
      sprint,
      [{ at: at('2026-11-03T10:00:00Z'), kind: 'done', itemId: 'ghost' }],
      at('2026-11-10T00:00:00Z'),
    );
    expect(result.committed).toBe(0);
    expect(result.days.every((d) => d.remaining === 0 && d.completed === 0)).toBe(true);
  });

  it('counts what was planned on the first day, up to the moment the sprint started, as the commitment', () => {
    const events: ScopeEvent[] = [
      { at: at('2026-11-02T09:10:00Z'), kind: 'added', itemId: 'a', points: 5 },
      { at: at('2026-11-02T09:20:00Z'), kind: 'added', itemId: 'b', points: 3 },
      { at: at('2026-11-02T15:00:00Z'), kind: 'added', itemId: 'c', points: 2 },
    ];
    const result = burndown(
      { ...sprint, startedAt: at('2026-11-02T09:30:00Z') },
      events,
      at('2026-11-03T00:00:00Z'),
    );
    expect(result.committed).toBe(8);
    expect(result.days[0]).toMatchObject({ remaining: 10, added: 2 });
    expect(burndown(sprint, events, at('2026-11-03T00:00:00Z')).committed).toBe(0);
  });

  it('treats an unestimated item as zero until it is estimated', () => {
    const result = burndown(
      sprint,
      [
        { at: at('2026-11-01T10:00:00Z'), kind: 'added', itemId: 'a', points: null },
        { at: at('2026-11-04T10:00:00Z'), kind: 'estimated', itemId: 'a', points: 8 },
      ],
      at('2026-11-10T00:00:00Z'),
    );
    expect(result.committed).toBe(0);
    expect(result.days[2]).toMatchObject({ remaining: 8, added: 8 });
  });

  it("puts each event and today on the viewer's calendar day", () => {
    const late: ScopeEvent[] = [
      { at: at('2026-10-30T15:00:00Z'), kind: 'added', itemId: 'a', points: 5 },
      // Tuesday 18:30 in Los Angeles, already Wednesday in UTC
      { at: at('2026-11-04T02:30:00Z'), kind: 'done', itemId: 'a' },
    ];
    // Tuesday 19:00 in Los Angeles: Wednesday 03:00 UTC
    const now = at('2026-11-04T03:00:00Z');
    const utc = burndown(sprint, late, now);
    expect(utc.days.map((d) => d.remaining)).toEqual([5, 5, 0, null, null]);
    const la = burndown(sprint, late, now, 'America/Los_Angeles');
    expect(la.days.map((d) => d.remaining)).toEqual([5, 0, null, null, null]);
    expect(la.days[1]).toMatchObject({ date: '2026-11-03', completed: 5 });
    // The sprint's own dates never move with the zone.
    expect(la.days.map((d) => d.date)).toEqual(utc.days.map((d) => d.date));
  });
});

describe('burn-up for an epic', () => {
  it('shows scope and done at the end of each sprint', () => {
    const events: ScopeEvent[] = [
      { at: at('2026-10-01T10:00:00Z'), kind: 'added', itemId: 'a', points: 5 },
      { at: at('2026-10-01T10:00:00Z'), kind: 'added', itemId: 'b', points: 8 },
      { at: at('2026-10-10T10:00:00Z'), kind: 'done', itemId: 'a' },
      { at: at('2026-10-20T10:00:00Z'), kind: 'added', itemId: 'c', points: 3 },
      { at: at('2026-10-25T10:00:00Z'), kind: 'done', itemId: 'b' },
    ];
    const periods = [
      { label: 'Sprint 1', end: at('2026-10-14T23:59:59Z') },
      { label: 'Sprint 2', end: at('2026-10-28T23:59:59Z') },
      { label: 'Sprint 3', end: at('2026-11-11T23:59:59Z') },
    ];
    expect(burnup(periods, events)).toEqual([
      { label: 'Sprint 1', scope: 13, done: 5 },
      { label: 'Sprint 2', scope: 16, done: 13 },
      { label: 'Sprint 3', scope: 16, done: 13 },
    ]);
  });
});
