/**
 * The one date helper of the app: every date and time a person reads goes through here, in the viewer's time zone
 * (the client hint read in the root loader, see client-hints.ts). Stored data stays in UTC; only what is shown,
 * and which calendar day is "today", follows the viewer.
 *
 * The text is built from numbers only (Intl gives the wall-clock parts, the month names and the offset label are
 * ours), so the server's render and the browser's hydration produce the same characters whatever their ICU
 * data's locale names; a locale-formatted string can differ between Node and a browser and break hydration.
 */

export const defaultTimeZone = 'UTC';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** A formatter per zone (creating one is slow, and the backlog formats many dates). Throws on an unknown zone. */
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

const knownZones = new Map<string, string>();

/**
 * The IANA name of a time zone this runtime knows, or UTC: a missing, malformed or unknown zone (a hand-edited
 * cookie, an old browser) falls back to UTC rather than failing the page. An alias stays as it was sent
 * (Asia/Kolkata is not turned into Asia/Calcutta); only the letter case is corrected ("utc" is "UTC").
 */
export function resolveTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64) return defaultTimeZone;
  const known = knownZones.get(value);
  if (known) return known;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    const name = resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
    partsFormat(name);
    // Only zones the runtime accepts are remembered, so a stream of made-up values cannot grow this map.
    knownZones.set(value, name);
    return name;
  } catch {
    return defaultTimeZone;
  }
}

type Instant = Date | string | number;

function toDate(at: Instant): Date | null {
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The calendar date and clock time of an instant in a zone (an unknown zone reads as UTC). */
function wallClock(date: Date, timeZone: string): WallClock {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = partsFormat(timeZone).formatToParts(date);
  } catch {
    parts = partsFormat(defaultTimeZone).formatToParts(date);
  }
  const value = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The zone's offset from UTC at that instant, in minutes (Los Angeles in summer: -420). */
export function utcOffsetMinutes(at: Instant, timeZone: string): number {
  const date = toDate(at);
  if (!date) return 0;
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** UTC under the names browsers may report for it. */
const utcNames = /^(etc\/)?(utc|uct|universal|zulu)$/i;

/** "UTC" for UTC itself, else the offset at that instant: "GMT", "GMT-7", "GMT+5:30". */
export function zoneLabel(at: Instant, timeZone: string): string {
  if (utcNames.test(resolveTimeZone(timeZone))) return 'UTC';
  const offset = utcOffsetMinutes(at, timeZone);
  if (offset === 0) return 'GMT';
  const sign = offset < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `GMT${sign}${hours}${minutes ? `:${pad(minutes)}` : ''}`;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a zone: what "that day" means to the viewer. */
export function calendarDayIn(at: Instant, timeZone: string): string {
  const date = toDate(at);
  if (!date) return '';
  const w = wallClock(date, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Today's date (YYYY-MM-DD) for a viewer in that zone. */
export function todayIn(timeZone: string, now: Instant = Date.now()): string {
  return calendarDayIn(now, timeZone);
}

/** "9 Mar 2025": the day an instant falls on in the viewer's zone. */
export function formatDate(at: Instant, timeZone: string): string {
  const date = toDate(at);
  if (!date) return '';
  const w = wallClock(date, timeZone);
  return `${w.day} ${months[w.month - 1]} ${w.year}`;
}

/** "03:30": the clock time of an instant in the viewer's zone (24-hour). */
export function formatTime(at: Instant, timeZone: string): string {
  const date = toDate(at);
  if (!date) return '';
  const w = wallClock(date, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** "9 Mar 2025, 03:30 GMT-7": an instant with its zone, so nobody mistakes whose clock it is. */
export function formatDateTime(at: Instant, timeZone: string): string {
  const date = toDate(at);
  if (!date) return '';
  return `${formatDate(date, timeZone)}, ${formatTime(date, timeZone)} ${zoneLabel(date, timeZone)}`;
}

/**
 * "9 Mar 2025" (or "9 Mar" without the year, for a chart's axis) for a calendar date (YYYY-MM-DD) such as a
 * sprint's first day: a date with no time of day, the same for every viewer (shifting it by a zone would move it
 * to the day before).
 */
export function formatCalendarDate(day: string, options: { year?: boolean } = {}): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const month = months[Number(match[2]) - 1];
  if (!month) return day;
  return options.year === false ? `${Number(match[3])} ${month}` : `${Number(match[3])} ${month} ${match[1]}`;
}

/** "3 – 14 Mar 2025", "28 Feb – 13 Mar 2025", "22 Dec 2025 – 4 Jan 2026": a span of calendar dates. */
export function formatCalendarRange(first: string, last: string): string {
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(first);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(last);
  if (!a || !b) return `${formatCalendarDate(first)} – ${formatCalendarDate(last)}`;
  if (a[1] !== b[1]) return `${formatCalendarDate(first)} – ${formatCalendarDate(last)}`;
  if (a[2] !== b[2]) return `${Number(a[3])} ${months[Number(a[2]) - 1]} – ${formatCalendarDate(last)}`;
  return `${Number(a[3])} – ${formatCalendarDate(last)}`;
}

/** "2025-03-09", "2025-03-10", …: the calendar days from `first` to `last`, both included (empty if reversed). */
export function calendarDaysBetween(first: string, last: string): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return [];
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * "just now", "4 minutes ago", "in 30 seconds", "3 days ago": how far an instant is from `now`. `now` is the
 * server's time from the loader (not the browser's clock), so the server's render and the hydration agree.
 */
export function formatRelative(at: Instant, now: Instant): string {
  const date = toDate(at);
  const reference = toDate(now);
  if (!date || !reference) return '';
  const seconds = Math.round((date.getTime() - reference.getTime()) / 1000);
  const size = Math.abs(seconds);
  if (size < 10) return 'just now';
  const units: Array<[string, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, length] = units.find(([, length]) => size >= length) ?? ['second', 1];
  const count = Math.floor(size / length);
  const amount = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}
