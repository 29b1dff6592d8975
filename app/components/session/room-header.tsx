import { Link } from '@remix-run/react';
import { useEffect } from 'react';
import type { LiveStatus } from '~/collab/use-live-document';
import { type SessionKind, phaseLabels, phasesOf, sessionKindLabels } from '~/domain/session-rules';
import { LiveIndicator } from '~/components/backlog/live-status';
import { Countdown, type Timer, TimerControls, useRoomTimer } from './countdown';
import { stateLabels } from './session-list';
import { CommandError, useSessionCommand } from './use-session-command';
import { useStepFocus } from './use-step-focus';

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
  const { open: confirming, setOpen: setConfirming, opener, first: confirmButton } = useStepFocus();
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

/** Someone facilitation can be handed to. */
export interface HandOverCandidate {
  userId: string;
  name: string;
  role: string;
  /** has joined this session */
  inRoom: boolean;
}

/**
 * "Hand over facilitation…": the facilitator (or the product owner) picks another product owner or team member;
 * their room gets the controls at once, and a team member who handed over loses them.
 */
function HandOver({ candidates }: { candidates: readonly HandOverCandidate[] }) {
  const command = useSessionCommand('setFacilitator');
  const { open, setOpen, opener, first: select } = useStepFocus<HTMLSelectElement>();
  const doneAt = command.done?.at;
  // Handed over: the form closes (a team member who handed over loses the whole toolbar anyway).
  useEffect(() => {
    if (doneAt) setOpen(false);
  }, [doneAt, setOpen]);
  if (candidates.length === 0) return null;
  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        className="button button-small button-secondary"
        onClick={() => setOpen(true)}
      >
        Hand over facilitation…
      </button>
    );
  }
  return (
    <command.fetcher.Form method="post" className="hand-over" aria-label="Hand over facilitation">
      <input type="hidden" name="command" value="setFacilitator" />
      <div className="field">
        <label htmlFor="hand-over-to">New facilitator</label>
        <select
          id="hand-over-to"
          name="facilitatorId"
          ref={select}
          required
          aria-describedby="hand-over-hint"
        >
          {candidates.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.name} — {c.role === 'product_owner' ? 'product owner' : 'team member'}
              {c.inRoom ? ', in the room' : ''}
            </option>
          ))}
        </select>
        <p className="hint" id="hand-over-hint">
          They get the phases, the timer, the rounds and the agenda at once. The product owner keeps them too.
        </p>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-small" disabled={command.busy}>
          {command.busy ? 'Handing over…' : 'Hand over'}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => setOpen(false)}
          disabled={command.busy}
        >
          Cancel
        </button>
      </div>
      <CommandError error={command.error} />
    </command.fetcher.Form>
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
  /** for whoever facilitates: the people facilitation can be handed to */
  handOver?: readonly HandOverCandidate[] | null;
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
  handOver = null,
}: RoomHeaderProps) {
  const ended = session.state === 'ended';
  // The facilitator's own start or stop shows at once, before the server confirms it.
  const timer = useRoomTimer(session.timer);
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
        {ended ? null : <Countdown timer={timer} serverNow={serverNow} />}
      </div>
      {ended ? null : (
        <div className="room-toolbar">
          <PhaseSteps kind={session.kind} phase={session.phase} facilitate={facilitate} />
          {facilitate ? (
            <div className="facilitator-tools">
              {hasCurrentItem ? (
                <TimerControls timer={timer} serverNow={serverNow} timeboxSeconds={timeboxSeconds ?? 600} />
              ) : null}
              {handOver ? <HandOver candidates={handOver} /> : null}
              <EndSession />
            </div>
          ) : null}
        </div>
      )}
    </header>
  );
}
