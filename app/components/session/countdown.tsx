import { useEffect, useRef, useState } from 'react';
import { formatCountdown, secondsLeft } from '~/domain/session-rules';
import { CommandError, useSessionCommand } from './use-session-command';

export interface Timer {
  endsAt: number;
  seconds: number;
}

/**
 * Seconds left on the timer, ticking in the browser. `serverNow` is the server's clock when the data was read:
 * the difference to this browser's clock is taken out, so every screen shows the same time left.
 */
export function useSecondsLeft(timer: Timer | null, serverNow: number): number | null {
  // The first render (server and hydration) uses the server's clock only, so both agree.
  const [left, setLeft] = useState(() => (timer ? secondsLeft(timer.endsAt, serverNow) : null));
  const skew = useRef(0);
  // Measured once per answer of the server.
  useEffect(() => {
    skew.current = serverNow - Date.now();
  }, [serverNow]);
  useEffect(() => {
    if (!timer) {
      setLeft(null);
      return;
    }
    const tick = () => setLeft(secondsLeft(timer.endsAt, Date.now() + skew.current));
    tick();
    const interval = setInterval(tick, 250);
    return () => clearInterval(interval);
  }, [timer]);
  return left;
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
