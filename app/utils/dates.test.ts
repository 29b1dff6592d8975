import { describe, expect, it } from 'vitest';
import {
  calendarDayIn,
  calendarDaysBetween,
  formatCalendarDate,
  formatCalendarRange,
  formatDate,
  formatDateTime,
  formatRelative,
  formatTime,
  resolveTimeZone,
  todayIn,
  utcOffsetMinutes,
  zoneLabel,
} from './dates';

const la = 'America/Los_Angeles';

describe('resolveTimeZone', () => {
  it('keeps a zone the runtime knows, in its canonical spelling', () => {
    expect(resolveTimeZone('America/Los_Angeles')).toBe(la);
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('utc')).toBe('UTC');
  });

  it('falls back to UTC for a missing, unknown or malformed zone', () => {
    for (const value of [
      undefined,
      null,
      '',
      'Mars/Olympus_Mons',
      'not a zone',
      '../../etc/passwd',
      'x'.repeat(65),
    ])
      expect(resolveTimeZone(value)).toBe('UTC');
  });
});

describe('formatting an instant in the viewer’s zone', () => {
  const instant = '2026-11-28T10:05:00Z';

  it('shows the date, the 24-hour time and whose clock it is', () => {
    expect(formatDateTime(instant, 'UTC')).toBe('28 Nov 2026, 10:05 UTC');
    expect(formatDateTime(instant, la)).toBe('28 Nov 2026, 02:05 GMT-8');
    expect(formatDateTime(instant, 'Europe/Berlin')).toBe('28 Nov 2026, 11:05 GMT+1');
    expect(formatDateTime(instant, 'Asia/Kolkata')).toBe('28 Nov 2026, 15:35 GMT+5:30');
    expect(formatDateTime(instant, 'Europe/London')).toBe('28 Nov 2026, 10:05 GMT');
    expect(formatDateTime(instant, 'Etc/UTC')).toBe('28 Nov 2026, 10:05 UTC');
  });

  it('moves the date when the zone is already on another day', () => {
    const lateInUtc = '2026-03-01T03:00:00Z';
    expect(formatDate(lateInUtc, 'UTC')).toBe('1 Mar 2026');
    expect(formatDate(lateInUtc, la)).toBe('28 Feb 2026');
    expect(formatDate('2026-12-31T23:30:00Z', 'Pacific/Auckland')).toBe('1 Jan 2027');
    expect(formatTime(lateInUtc, la)).toBe('19:00');
  });

  it('follows daylight saving time across its switch', () => {
    // Los Angeles springs forward on 8 March 2026 at 02:00 (10:00 UTC): PST (-8) before, PDT (-7) after.
    expect(formatDateTime('2026-03-08T09:59:00Z', la)).toBe('8 Mar 2026, 01:59 GMT-8');
    expect(formatDateTime('2026-03-08T10:00:00Z', la)).toBe('8 Mar 2026, 03:00 GMT-7');
    expect(utcOffsetMinutes('2026-03-08T09:59:00Z', la)).toBe(-480);
    expect(utcOffsetMinutes('2026-03-08T10:00:00Z', la)).toBe(-420);
    // and falls back on 1 November 2026: 01:30 happens twice, once in each offset.
    expect(formatDateTime('2026-11-01T08:30:00Z', la)).toBe('1 Nov 2026, 01:30 GMT-7');
    expect(formatDateTime('2026-11-01T09:30:00Z', la)).toBe('1 Nov 2026, 01:30 GMT-8');
    // Berlin in summer
    expect(zoneLabel('2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe('GMT+2');
  });

  it('shows midnight as 00:00', () => {
    expect(formatTime('2026-06-01T07:00:00Z', la)).toBe('00:00');
  });

  it('reads an unknown zone as UTC instead of failing', () => {
    expect(formatDateTime(instant, 'Mars/Olympus_Mons')).toBe('28 Nov 2026, 10:05 UTC');
    expect(calendarDayIn(instant, 'Nowhere/Else')).toBe('2026-11-28');
  });

  it('takes a Date, an ISO string or milliseconds, and gives nothing for an invalid one', () => {
    const ms = Date.parse(instant);
    expect(formatDateTime(new Date(ms), 'UTC')).toBe(formatDateTime(ms, 'UTC'));
    expect(formatDateTime('not a date', 'UTC')).toBe('');
    expect(formatDate(Number.NaN, la)).toBe('');
  });
});

describe('today and calendar days', () => {
  it('is the viewer’s date, not the server’s', () => {
    // 19:00 on 31 December in Los Angeles is already New Year's Day in UTC and in Tokyo.
    const now = Date.parse('2026-01-01T03:00:00Z');
    expect(todayIn('UTC', now)).toBe('2026-01-01');
    expect(todayIn(la, now)).toBe('2025-12-31');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-01-01');
  });

  it('formats a calendar date without moving it by any zone', () => {
    expect(formatCalendarDate('2026-03-08')).toBe('8 Mar 2026');
    expect(formatCalendarDate('2026-03-08', { year: false })).toBe('8 Mar');
    expect(formatCalendarDate('2026-13-08')).toBe('2026-13-08');
    expect(formatCalendarDate('not-a-date')).toBe('not-a-date');
  });

  it('writes a span of dates without repeating the month and year', () => {
    expect(formatCalendarRange('2026-03-02', '2026-03-13')).toBe('2 – 13 Mar 2026');
    expect(formatCalendarRange('2026-02-23', '2026-03-06')).toBe('23 Feb – 6 Mar 2026');
    expect(formatCalendarRange('2026-12-21', '2027-01-01')).toBe('21 Dec 2026 – 1 Jan 2027');
  });

  it('lists the days of a span, across a daylight saving switch too', () => {
    expect(calendarDaysBetween('2026-03-07', '2026-03-09')).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(calendarDaysBetween('2026-03-09', '2026-03-07')).toEqual([]);
  });
});

describe('formatRelative', () => {
  const now = '2026-12-02T12:00:00Z';
  it('says how long ago, in the largest whole unit', () => {
    expect(formatRelative('2026-12-02T11:59:55Z', now)).toBe('just now');
    expect(formatRelative('2026-12-02T11:59:15Z', now)).toBe('45 seconds ago');
    expect(formatRelative('2026-12-02T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatRelative('2026-12-02T09:10:00Z', now)).toBe('2 hours ago');
    expect(formatRelative('2026-11-29T12:00:00Z', now)).toBe('3 days ago');
  });

  it('says how soon for an instant to come, and nothing for an invalid one', () => {
    expect(formatRelative('2026-12-02T12:00:30Z', now)).toBe('in 30 seconds');
    expect(formatRelative('not a date', now)).toBe('');
  });
});
