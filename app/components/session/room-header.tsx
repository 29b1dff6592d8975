import { Link } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { LiveStatus } from '~/collab/use-live-document';
import { type SessionKind, phaseLabels, phasesOf, sessionKindLabels } from '~/domain/session-rules';
import { LiveIndicator } from '../backlog/live-status';
import { Countdown, type Timer, TimerControls } from './countdown';
import { stateLabels } from './session-list';
import { CommandError, useSessionCommand } from './use-session-command';

/** The phases in order, the current one marked; the facilitator moves the room by pressing one. */
function PhaseSteps({ kind, phase, facilitate }: { kind: SessionKind; phase: string; facilitate: boolean }) {
  const command = useSessionCommand('setPhase');
  const pendingPhase = command.pending?.get('phase');
  const shown = typeof pendingPhase === 'string' ? pendingPhase : phase;
  return (
    <div className="phase-control">
      <command.fetcher.Form method="post">
        <input type="hidden" name="command" value="setPhase" />
        <ol
          className="phase-steps"
          aria-label={facilitate ? 'Phase: press one to move the room there' : 'Phase'}
        >
          {phasesOf[kind].map((p, i) => (
            <li
              key={p}
              aria-current={p === shown ? 'step' : undefined}
              className={p === shown ? 'is-current' : undefined}
            >
              {facilitate ? (
                <button
                  type="submit"
                  name="phase"
                  value={p}
                  aria-pressed={p === shown}
                  disabled={command.busy && p !== shown}
                >
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {phaseLabels[p] ?? p}
                </button>
              ) : (
                <span>
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {phaseLabels[p] ?? p}
                  {p === shown ? <span className="visually-hidden"> (now)</span> : null}
                </span>
              )}
            </li>
          ))}
        </ol>
      </command.fetcher.Form>
      <CommandError error={command.error} />
    </div>
  );
}

/** "End session…" with a confirm step in the page (no browser dialog), so it works the same by keyboard. */
function EndSession() {
  const command = useSessionCommand('endSession');
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) opener.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  if (!confirming) {
    return (
      <button
        ref={opener}
        type="button"
        className="button button-small button-danger"
        onClick={() => setConfirming(true)}
      >
        End session…
      </button>
    );
  }
  return (
    <div className="end-confirm">
      <p id="end-confirm-text">End the session for everyone? The room becomes read-only.</p>
      <command.fetcher.Form method="post" className="button-row">
        <input type="hidden" name="command" value="endSession" />
        <button
          ref={confirmButton}
          type="submit"
          className="button button-small button-danger-solid"
          disabled={command.busy}
        >
          {command.busy ? 'Ending…' : 'End session'}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => setConfirming(false)}
          disabled={command.busy}
        >
          Cancel
        </button>
      </command.fetcher.Form>
      <CommandError error={command.error} />
    </div>
  );
}

export interface RoomHeaderProps {
  productId: string;
  session: {
    id: string;
    title: string;
    kind: SessionKind;
    phase: string;
    state: 'planned' | 'running' | 'ended';
    facilitatorName: string;
    facilitatorId: string;
    timer: Timer | null;
    endedAt: string | Date | null;
  };
  facilitate: boolean;
  myUserId: string;
  live: LiveStatus;
  serverNow: number;
  timeboxSeconds: number | null;
  hasCurrentItem: boolean;
}

export function RoomHeader({
  productId,
  session,
  facilitate,
  myUserId,
  live,
  serverNow,
  timeboxSeconds,
  hasCurrentItem,
}: RoomHeaderProps) {
  const ended = session.state === 'ended';
  return (
    <header className="room-header">
      <div className="room-heading">
        <p className="room-eyebrow">
          <Link to={`/products/${productId}/sessions`}>Sessions</Link> <span aria-hidden="true">›</span>{' '}
          {sessionKindLabels[session.kind]}
        </p>
        <h2 id="room-title">{session.title}</h2>
        <p className="room-meta">
          <span className={`state-badge state-${session.state}`}>{stateLabels[session.state]}</span>
          <span>
            Facilitator: <strong>{session.facilitatorName}</strong>
            {session.facilitatorId === myUserId ? ' (you)' : ''}
          </span>
          <Link to={`/products/${productId}/sessions/${session.id}/summary`}>Summary</Link>
        </p>
      </div>
      <div className="room-clock">
        <LiveIndicator status={live} />
        {ended ? null : <Countdown timer={session.timer} serverNow={serverNow} />}
      </div>
      {ended ? null : (
        <div className="room-toolbar">
          <PhaseSteps kind={session.kind} phase={session.phase} facilitate={facilitate} />
          {facilitate ? (
            <div className="facilitator-tools">
              {hasCurrentItem ? (
                <TimerControls
                  timer={session.timer}
                  serverNow={serverNow}
                  timeboxSeconds={timeboxSeconds ?? 600}
                />
              ) : null}
              <EndSession />
            </div>
          ) : null}
        </div>
      )}
    </header>
  );
}
