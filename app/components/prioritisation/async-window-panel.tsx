import { useEffect, useId, useState } from 'react';
import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { closesInText, defaultWindowHours } from '~/domain/async-voting';
import { useTimeZone } from '~/utils/client-hints';
import { calendarDayIn, formatDateTime, formatTime, zoneLabel } from '~/utils/dates';
import type { AsyncWindowData } from './types';

/** The server's time now, ticking every 30 seconds, so "closes in 5 h" agrees across machines whose clocks differ. */
export function useServerNow(serverNow: number | undefined): number {
  const [offset] = useState(() => (serverNow ?? Date.now()) - Date.now());
  const [now, setNow] = useState(serverNow ?? Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

/** Whether the window takes votes at `now` (the server decides; this only chooses what to show). */
export function windowOpenAt(window: AsyncWindowData | null | undefined, now: number): boolean {
  return !!window && !window.closedAt && Date.parse(window.closesAt) > now;
}

/** "2026-12-05T17:30" in a zone: what a datetime-local field holds. */
const wallClockValue = (at: number, timeZone: string) =>
  `${calendarDayIn(at, timeZone)}T${formatTime(at, timeZone)}`;

/** The facilitator's form: open the window (closing time in their time zone, two days by default), move it, close it. */
function WindowForm({ window, now, open }: { window: AsyncWindowData | null; now: number; open: boolean }) {
  const timeZone = useTimeZone();
  const set = useSessionCommand('setAsyncWindow', 'async-window-open');
  const close = useSessionCommand('setAsyncWindow', 'async-window-close');
  const fieldId = useId();
  const errorId = `${fieldId}-error`;
  const initial = open && window ? Date.parse(window.closesAt) : now + defaultWindowHours * 3_600_000;
  const fieldError = set.error && (!set.error.field || set.error.field === 'closesAt') ? set.error : null;
  return (
    <div className="async-window-form">
      <set.fetcher.Form method="post" className="async-window-set">
        <input type="hidden" name="command" value="setAsyncWindow" />
        <input type="hidden" name="action" value="open" />
        <input type="hidden" name="timeZone" value={timeZone} />
        <label htmlFor={fieldId}>
          {open ? 'Voting before the meeting closes at' : 'Let people vote before the meeting, until'}
        </label>
        <div className="button-row">
          <input
            id={fieldId}
            type="datetime-local"
            name="closesAt"
            required
            defaultValue={wallClockValue(initial, timeZone)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={`${fieldId}-zone ${errorId}`}
          />
          <button type="submit" className="button button-small" disabled={set.busy}>
            {open ? 'Move the closing time' : 'Open voting before the meeting'}
          </button>
        </div>
        <p className="hint" id={`${fieldId}-zone`}>
          Your time zone: {timeZone} ({zoneLabel(initial, timeZone)}). Stakeholders see the time in theirs.
          The same secrecy, budget and anonymity apply as in the live vote.
        </p>
        <CommandError error={fieldError} id={errorId} />
      </set.fetcher.Form>
      {open ? (
        <close.fetcher.Form method="post">
          <input type="hidden" name="command" value="setAsyncWindow" />
          <input type="hidden" name="action" value="close" />
          <button type="submit" className="button button-small button-secondary" disabled={close.busy}>
            Close voting before the meeting now
          </button>
          <CommandError error={close.error} />
        </close.fetcher.Form>
      ) : null}
    </div>
  );
}

/**
 * Votes before the meeting: when the window closes (in the viewer's time zone), a call to vote for those who have
 * not, and, for the facilitator before the live vote, the form to open, move or close it.
 */
export function AsyncWindowPanel({
  window,
  now,
  liveVoteStarted,
  facilitate,
  mayVote,
  haveVoted,
}: {
  window: AsyncWindowData | null | undefined;
  now: number;
  /** the live vote has opened or the results are revealed: the window is history */
  liveVoteStarted: boolean;
  facilitate: boolean;
  mayVote: boolean;
  haveVoted: boolean;
}) {
  const timeZone = useTimeZone();
  const open = windowOpenAt(window, now);
  if (!window && (!facilitate || liveVoteStarted)) return null;
  if (window && liveVoteStarted && !facilitate) return null;
  return (
    <section className="async-window" aria-labelledby="async-window-title">
      <h4 id="async-window-title">Votes before the meeting</h4>
      {window ? (
        open ? (
          <p className="async-window-state" role="status">
            <strong>{closesInText(Date.parse(window.closesAt), now)}</strong>{' '}
            <span className="muted">({formatDateTime(window.closesAt, timeZone)})</span>
          </p>
        ) : (
          <p className="async-window-state muted" role="status">
            Voting before the meeting closed {formatDateTime(window.closedAt ?? window.closesAt, timeZone)}:{' '}
            {window.earlyVoterCount} {window.earlyVoterCount === 1 ? 'person' : 'people'} voted.
            {liveVoteStarted ? '' : ' The votes are kept for the live session.'}
          </p>
        )
      ) : (
        <p className="muted">
          Nobody can vote yet. Open a window for people in other time zones to vote early.
        </p>
      )}
      {open && mayVote ? (
        haveVoted ? (
          <p className="async-window-call is-done">
            You have voted. You can change your votes until voting closes; nobody sees them before the reveal.
          </p>
        ) : (
          <p className="async-window-call alert">
            <strong>You have not voted yet.</strong> Vote on the items below before{' '}
            {formatDateTime(window!.closesAt, timeZone)}; nobody sees your votes before the reveal.
          </p>
        )
      ) : null}
      {facilitate && !liveVoteStarted ? <WindowForm window={window ?? null} now={now} open={open} /> : null}
    </section>
  );
}
