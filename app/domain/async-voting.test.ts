import { describe, expect, it } from 'vitest';
import {
  asyncWindowState,
  closesAtRefusal,
  closesInText,
  instantFromWallClock,
  remindersDue,
  votingRefusal,
} from './async-voting';

const at = (iso: string) => new Date(iso);
const window = {
  openedAt: at('2026-12-01T09:00:00Z'),
  closesAt: at('2026-12-03T09:00:00Z'),
  closedAt: null,
};

describe('the async voting window', () => {
  it('is open until closes-at or until closed by hand', () => {
    expect(asyncWindowState(null, at('2026-12-02T00:00:00Z'))).toBe('none');
    expect(asyncWindowState(window, at('2026-12-03T08:59:59Z'))).toBe('open');
    expect(asyncWindowState(window, at('2026-12-03T09:00:00Z'))).toBe('closed');
    expect(
      asyncWindowState({ ...window, closedAt: at('2026-12-02T00:00:00Z') }, at('2026-12-02T01:00:00Z')),
    ).toBe('closed');
  });

  it('accepts votes while open, refuses after it closed until the live vote opens, and the live vote as always', () => {
    const planned = { voting: 'not_open', resultsRevealedAt: null };
    expect(votingRefusal(planned, window, at('2026-12-02T00:00:00Z'))).toBeNull();
    expect(votingRefusal(planned, window, at('2026-12-03T10:00:00Z'))).toMatch(
      /before the meeting has closed/,
    );
    expect(votingRefusal(planned, null, at('2026-12-02T00:00:00Z'))).toBe('Voting has not opened yet');
    expect(
      votingRefusal({ voting: 'open', resultsRevealedAt: null }, window, at('2026-12-04T00:00:00Z')),
    ).toBeNull();
    expect(
      votingRefusal({ voting: 'closed', resultsRevealedAt: null }, window, at('2026-12-02T00:00:00Z')),
    ).toBe('Voting is closed');
    expect(
      votingRefusal(
        { voting: 'not_open', resultsRevealedAt: at('2026-12-01T10:00:00Z') },
        window,
        at('2026-12-02T00:00:00Z'),
      ),
    ).not.toBeNull();
  });

  it('closes at least 15 minutes ahead and at most 14 days ahead', () => {
    const now = at('2026-12-01T09:00:00Z');
    expect(closesAtRefusal(at('2026-11-30T09:00:00Z'), now)).toMatch(/at least 15 minutes/);
    expect(closesAtRefusal(at('2026-12-01T09:10:00Z'), now)).toMatch(/at least 15 minutes/);
    expect(closesAtRefusal(at('2026-12-03T09:00:00Z'), now)).toBeNull();
    expect(closesAtRefusal(at('2028-12-01T09:00:00Z'), now)).toMatch(/at most 14 days/);
    expect(closesAtRefusal(new Date(Number.NaN), now)).not.toBeNull();
  });
});

describe('reminders before the window closes', () => {
  const base = { window, eligible: ['ann', 'bob', 'cy'], voted: new Set(['bob']), sent: new Set<string>() };

  it('are due a day before and two hours before closing, only to those who have not voted', () => {
    expect(remindersDue({ ...base, now: at('2026-12-02T08:00:00Z') })).toEqual([]);
    expect(remindersDue({ ...base, now: at('2026-12-02T09:00:00Z') })).toEqual([
      { userId: 'ann', reminder: '24h' },
      { userId: 'cy', reminder: '24h' },
    ]);
    expect(remindersDue({ ...base, now: at('2026-12-03T07:30:00Z') })).toEqual([
      { userId: 'ann', reminder: '2h' },
      { userId: 'cy', reminder: '2h' },
    ]);
  });

  it('are recorded once: a reminder already sent is not due again, nor the earlier one after the later', () => {
    const sent = new Set(['ann 24h', 'cy 2h']);
    expect(remindersDue({ ...base, sent, now: at('2026-12-02T12:00:00Z') })).toEqual([]);
    expect(remindersDue({ ...base, sent, now: at('2026-12-03T08:00:00Z') })).toEqual([
      { userId: 'ann', reminder: '2h' },
    ]);
  });

  it('are not due once the window closed, nor for a moment before the window opened', () => {
    expect(remindersDue({ ...base, now: at('2026-12-03T09:00:00Z') })).toEqual([]);
    const short = {
      openedAt: at('2026-12-03T00:00:00Z'),
      closesAt: at('2026-12-03T09:00:00Z'),
      closedAt: null,
    };
    expect(remindersDue({ ...base, window: short, now: at('2026-12-03T01:00:00Z') })).toEqual([]);
    expect(remindersDue({ ...base, window: short, now: at('2026-12-03T07:00:00Z') })).toHaveLength(2);
  });
});

describe('the time left and the closing time typed in a zone', () => {
  it('reads as hours, days or minutes', () => {
    const now = at('2026-12-01T09:00:00Z');
    expect(closesInText(at('2026-12-01T14:10:00Z'), now)).toBe('Voting closes in 5 h');
    expect(closesInText(at('2026-12-04T09:00:00Z'), now)).toBe('Voting closes in 3 days');
    expect(closesInText(at('2026-12-01T09:40:00Z'), now)).toBe('Voting closes in 40 min');
    expect(closesInText(at('2026-12-01T08:00:00Z'), now)).toMatch(/has closed/);
  });

  it('turns a wall-clock time in the facilitator’s zone into an instant', () => {
    // New York in December: UTC-5.
    expect(instantFromWallClock('2026-12-05T17:30', () => -300)?.toISOString()).toBe(
      '2026-12-05T22:30:00.000Z',
    );
    expect(instantFromWallClock('2026-12-05T17:30:00Z', () => -300)?.toISOString()).toBe(
      '2026-12-05T17:30:00.000Z',
    );
    expect(instantFromWallClock('2026-02-30T10:00', () => 0)).toBeNull();
    expect(instantFromWallClock('soon', () => 0)).toBeNull();
  });
});
