/**
 * Votes before the meeting (issue 18): a prioritisation session opens for asynchronous voting for a window before
 * its live session. Pure rules shared by the server and the room: when the window accepts votes, which closing
 * times are allowed, when reminders are due, and how the time left reads.
 */

const minute = 60_000;
const hour = 60 * minute;

/** The window the facilitator is offered: two days. */
export const defaultWindowHours = 48;
/** A window closes at least this far ahead, and at most this far. */
export const minWindowMinutes = 15;
export const maxWindowDays = 14;

export interface AsyncWindow {
  openedAt: Date;
  closesAt: Date;
  closedAt: Date | null;
}

export type AsyncWindowState = 'none' | 'open' | 'closed';

/** Whether the window is open at `now`: set, not closed by hand, and its closing time not yet reached. */
export function asyncWindowState(window: AsyncWindow | null | undefined, now: Date): AsyncWindowState {
  if (!window) return 'none';
  if (window.closedAt || now.getTime() >= window.closesAt.getTime()) return 'closed';
  return 'open';
}

/**
 * Whether a vote is accepted now: while the live vote is open, as always; before it, while the window is open
 * (and the results are not revealed). Otherwise the refusal's words.
 */
export function votingRefusal(
  session: { voting: string; resultsRevealedAt: Date | null },
  window: AsyncWindow | null | undefined,
  now: Date,
): string | null {
  if (session.voting === 'open') return null;
  if (session.voting === 'closed') return 'Voting is closed';
  const state = asyncWindowState(window, now);
  if (state === 'open' && !session.resultsRevealedAt) return null;
  if (state === 'closed')
    return 'Voting before the meeting has closed; your votes are kept, and you can vote again when the live session opens voting';
  return 'Voting has not opened yet';
}

/** Why a closing time is refused (too soon, in the past, too far ahead), or null when it is fine. */
export function closesAtRefusal(closesAt: Date, now: Date): string | null {
  const ms = closesAt.getTime() - now.getTime();
  if (Number.isNaN(ms)) return 'Give the closing date and time';
  if (ms < minWindowMinutes * minute)
    return `The window must close at least ${minWindowMinutes} minutes from now`;
  if (ms > maxWindowDays * 24 * hour) return `The window can stay open at most ${maxWindowDays} days`;
  return null;
}

/** The reminders before closing, latest last: a day before, and two hours before. */
export const reminderOffsets = [
  { key: '24h', ms: 24 * hour },
  { key: '2h', ms: 2 * hour },
] as const;
export type ReminderKey = (typeof reminderOffsets)[number]['key'];

/** The reminder a person who has not voted reads in the app. */
export function reminderText(key: ReminderKey, sessionTitle: string): string {
  const left = key === '24h' ? 'in about a day' : 'in about two hours';
  return `Voting on “${sessionTitle}” closes ${left}, and you have not voted yet`;
}

/**
 * The reminders due now, per person: only while the window is open, only to eligible people who have not voted,
 * only for a moment that came after the window opened (a window of ten hours gets no "a day left" reminder), and
 * each at most once (`sent` holds "userId reminderKey"). When a tick was missed and several are due at once, only
 * the latest is sent: two reminders in one minute say nothing the second does not.
 */
export function remindersDue(input: {
  window: AsyncWindow;
  now: Date;
  eligible: readonly string[];
  voted: ReadonlySet<string>;
  sent: ReadonlySet<string>;
}): Array<{ userId: string; reminder: ReminderKey }> {
  const { window, now } = input;
  if (asyncWindowState(window, now) !== 'open') return [];
  const close = window.closesAt.getTime();
  const due = reminderOffsets.filter(
    (r) => close - r.ms <= now.getTime() && close - r.ms >= window.openedAt.getTime(),
  );
  const latest = due.at(-1);
  if (!latest) return [];
  const out: Array<{ userId: string; reminder: ReminderKey }> = [];
  for (const userId of new Set(input.eligible)) {
    if (input.voted.has(userId)) continue;
    // Once the later reminder went out, the earlier one is not sent after it.
    const later = reminderOffsets.slice(reminderOffsets.indexOf(latest));
    if (later.some((r) => input.sent.has(`${userId} ${r.key}`))) continue;
    out.push({ userId, reminder: latest.key });
  }
  return out;
}

/** "Voting closes in 5 h", "in 2 days", "in 40 min", "in less than a minute". */
export function closesInText(closesAt: Date | number, now: Date | number): string {
  const ms = new Date(closesAt).getTime() - new Date(now).getTime();
  if (ms <= 0) return 'Voting before the meeting has closed';
  const minutes = Math.floor(ms / minute);
  if (minutes < 1) return 'Voting closes in less than a minute';
  if (minutes < 60) return `Voting closes in ${minutes} min`;
  const hours = Math.floor(ms / hour);
  if (hours < 48) return `Voting closes in ${hours} h`;
  return `Voting closes in ${Math.floor(hours / 24)} days`;
}

/**
 * A wall-clock time typed in a time zone ("2026-12-05T17:30", as a datetime-local field gives it) as an instant.
 * A time with its own offset or Z is taken as it is. Null when it is not a date and time.
 */
export function instantFromWallClock(value: string, offsetMinutesAt: (at: Date) => number): Date | null {
  const trimmed = value.trim();
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(trimmed)) {
    const at = new Date(trimmed);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?$/.exec(trimmed);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  // The offset at the guessed instant, then once more at the corrected one (near a DST change).
  const first = new Date(asUtc - offsetMinutesAt(check) * minute);
  return new Date(asUtc - offsetMinutesAt(first) * minute);
}
