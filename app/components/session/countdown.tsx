import { useFetchers } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { serverNow, useServerClockOffset } from '~/collab/server-clock';
import { formatCountdown, secondsLeft } from '~/domain/session-rules';
import { CommandError, useSessionCommand } from './use-session-command';

export interface Timer {
  endsAt: number;
  seconds: number;
}

/**
 * Seconds left on the timer, counted from the server's clock: the offset measured on connecting to the live
 * channel (app/collab/server-clock.ts), or until then the clock in the room's data (`serverNowAtLoad`). The
 * display turns at each whole second of the server's time, so every screen changes at the same moment.
 */
export function useSecondsLeft(timer: Timer | null, serverNowAtLoad: number): number | null {
  // The first render (server and hydration) uses the server's clock only, so both agree.
  const [left, setLeft] = useState(() => (timer ? secondsLeft(timer.endsAt, serverNowAtLoad) : null));
  const offset = useServerClockOffset();
  const fallback = useRef(0);
  useEffect(() => {
    fallback.current = serverNowAtLoad - Date.now();
  }, [serverNowAtLoad]);
  const endsAt = timer?.endsAt ?? null;
  useEffect(() => {
    if (endsAt === null) {
      setLeft(null);
      return;
    }
    let next: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const now = Date.now() + (offset ?? fallback.current);
      setLeft(secondsLeft(endsAt, now));
      const remaining = endsAt - now;
      // Just past the next whole second left (a few ms late rather than early).
      if (remaining > 0) next = setTimeout(tick, (remaining % 1000 || 1000) + 5);
    };
    tick();
    return () => clearTimeout(next);
  }, [endsAt, offset]);
  return left;
}

/** When each start was pressed, so a pending start keeps one end while its request is under way. */
const pendingEnds = new WeakMap<FormData, number>();

/**
 * The timer as this room should show it: `confirmed` (the room's data or the live state), or, while the
 * facilitator's own start or stop is on its way, what it will be. The server's answer then takes over.
 */
export function useRoomTimer(confirmed: Timer | null): Timer | null {
  const submitting = useFetchers().find((f) => f.formData?.get('command') === 'setTimer')?.formData;
  if (!submitting) return confirmed;
  const seconds = Number(submitting.get('seconds') || Number.NaN);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  let endsAt = pendingEnds.get(submitting);
  if (endsAt === undefined) {
    endsAt = serverNow() + seconds * 1000;
    pendingEnds.set(submitting, endsAt);
  }
  return { endsAt, seconds };
}

/** The current item's countdown, the same on every screen. */
export function Countdown({ timer, serverNow }: { timer: Timer | null; serverNow: number }) {
  const left = useSecondsLeft(timer, serverNow);
  const over = left === 0;
  const low = left !== null && left > 0 && left <= 60;
  return (
    <div
      className={`countdown${over ? ' countdown-over' : low ? ' countdown-low' : ''}${left === null ? ' countdown-off' : ''}`}
    >
      <span className="countdown-label" id="countdown-label">
        {left === null ? 'Timer' : over ? 'Time is up' : 'Time left'}
      </span>
      <span role="timer" aria-labelledby="countdown-label" className="countdown-value">
        {left === null ? 'Off' : formatCountdown(left)}
      </span>
    </div>
  );
}

/** The facilitator's timer buttons: start the current item's time-box, stop, or give five more minutes. */
export function TimerControls({
  timer,
  serverNow,
  timeboxSeconds,
}: {
  timer: Timer | null;
  serverNow: number;
  timeboxSeconds: number;
}) {
  const command = useSessionCommand('setTimer');
  const left = useSecondsLeft(timer, serverNow);
  const running = left !== null && left > 0;
  const plusFive = Math.min(4 * 3600, Math.max(10, (left ?? 0) + 300));
  return (
    <div className="timer-controls">
      <command.fetcher.Form method="post" className="button-row">
        <input type="hidden" name="command" value="setTimer" />
        {running ? (
          <button
            type="submit"
            name="seconds"
            value=""
            className="button button-small button-secondary"
            disabled={command.busy}
          >
            Stop timer
          </button>
        ) : (
          <button
            type="submit"
            name="seconds"
            value={String(timeboxSeconds)}
            className="button button-small button-secondary"
            disabled={command.busy}
          >
            Start {Math.round(timeboxSeconds / 60)} min
          </button>
        )}
        <button
          type="submit"
          name="seconds"
          value={String(plusFive)}
          className="button button-small button-secondary"
          disabled={command.busy}
          aria-label="Add five minutes to the timer"
        >
          +5 min
        </button>
      </command.fetcher.Form>
      <CommandError error={command.error} />
    </div>
  );
}
