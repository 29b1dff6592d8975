import { useEffect, useRef, useState } from 'react';
import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { openVotingText } from '~/domain/join-text';
import { AsyncWindowPanel, windowOpenAt } from './async-window-panel';
import type { PrioritisationData } from './types';

const stateText: Record<string, string> = {
  not_open: 'Voting has not opened yet.',
  closed: 'Voting is closed. The results are hidden until the facilitator reveals them.',
};

function FacilitatorButton({ command, label, danger }: { command: string; label: string; danger?: boolean }) {
  const c = useSessionCommand(command);
  return (
    <c.fetcher.Form method="post">
      <input type="hidden" name="command" value={command} />
      <button
        type="submit"
        className={`button button-small${danger ? ' button-secondary' : ''}`}
        disabled={c.busy}
      >
        {label}
      </button>
      <CommandError error={c.error} />
    </c.fetcher.Form>
  );
}

/**
 * Closing voting, in two steps: the first says how many of those who may vote have not yet given something on
 * every item (from the public "who has voted" state: a count, never a value), the second closes. What someone has
 * picked but not yet saved is not known to the server, so the warning counts what is missing from Postgres.
 */
function CloseVoting({ incomplete, voters }: { incomplete: number | undefined; voters: number }) {
  const c = useSessionCommand('closeVoting');
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) openButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  if (!confirming) {
    return (
      <button
        ref={openButton}
        type="button"
        className="button button-small"
        onClick={() => setConfirming(true)}
      >
        Close voting
      </button>
    );
  }
  const missing = incomplete ?? 0;
  return (
    <c.fetcher.Form method="post" className="close-confirm" aria-labelledby="close-confirm-text">
      <input type="hidden" name="command" value="closeVoting" />
      <p id="close-confirm-text" className={missing > 0 ? 'alert' : undefined}>
        {missing > 0
          ? `${missing} of ${voters} ${voters === 1 ? 'participant has' : 'participants have'} not submitted every item yet. Close voting anyway? Nothing can be changed after.`
          : 'Everyone has submitted every item. Close voting? Nothing can be changed after.'}
      </p>
      <div className="button-row">
        <button
          ref={confirmButton}
          type="submit"
          className="button button-small"
          disabled={c.busy}
          aria-describedby="close-confirm-text"
        >
          Close voting now
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => setConfirming(false)}
        >
          Keep voting open
        </button>
      </div>
      <CommandError error={c.error} />
    </c.fetcher.Form>
  );
}

/** The join link for guests, with a copy button, and closing or reopening it (facilitator). */
function GuestLink({ joinCode, open }: { joinCode: string; open: boolean }) {
  const toggle = useSessionCommand('setGuestLink');
  const [url, setUrl] = useState(`/join/${joinCode}`);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => setUrl(`${window.location.origin}/join/${joinCode}`), [joinCode]);
  return (
    <div className="guest-link">
      <label htmlFor="guest-link-url">Guest link</label>
      <div className="button-row">
        <input
          id="guest-link-url"
          readOnly
          value={url}
          className="guest-link-url"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => {
            navigator.clipboard
              ?.writeText(url)
              .then(() => setCopied('Link copied'))
              .catch(() => setCopied('Copying was refused: select the link and copy it'));
          }}
        >
          Copy join link
        </button>
        <toggle.fetcher.Form method="post">
          <input type="hidden" name="command" value="setGuestLink" />
          <button
            type="submit"
            name="open"
            value={open ? 'false' : 'true'}
            className="button button-small button-secondary"
            disabled={toggle.busy}
          >
            {open ? 'Close guest link' : 'Reopen guest link'}
          </button>
        </toggle.fetcher.Form>
      </div>
      <p className="hint" role="status">
        {copied ??
          (open
            ? 'Anyone with the link can join as a guest with a display name.'
            : 'The link is closed: new guests cannot join.')}
      </p>
      <CommandError error={toggle.error} />
    </div>
  );
}

/**
 * Where the vote stands: its state, who has voted (only how many when anonymous; never what), and the
 * facilitator's controls.
 */
export function VotingBar({
  data,
  facilitate,
  joinCode,
  ended,
  now = Date.now(),
  mayVote = false,
  haveVoted = false,
}: {
  data: PrioritisationData;
  facilitate: boolean;
  joinCode: string | null;
  ended: boolean;
  /** the server's time now (votes before the meeting) */
  now?: number;
  mayVote?: boolean;
  haveVoted?: boolean;
}) {
  const voting = data.voting ?? {
    state: 'not_open',
    revealed: false,
    guestsAllowed: false,
    voterCount: 0,
    voted: null,
  };
  const voters = data.participants.filter((p) => !p.spectator);
  const voted = new Set(voting.voted ?? []);
  const window = voting.window ?? null;
  const early = new Set(window?.earlyVoters ?? []);
  const windowOpen = !voting.revealed && voting.state === 'not_open' && windowOpenAt(window, now);
  return (
    <section className="room-panel voting-bar" aria-labelledby="voting-title">
      <div className="voting-head">
        <h3 id="voting-title">Voting</h3>
        <p className="voting-state" role="status">
          {ended
            ? 'The session has ended.'
            : voting.revealed
              ? 'The results are revealed.'
              : voting.state === 'open'
                ? openVotingText(data.settings.methods)
                : windowOpen
                  ? 'Voting before the meeting is open: vote any time before it closes.'
                  : (stateText[voting.state] ?? voting.state)}
        </p>
      </div>
      <p className="voting-progress" aria-live="polite">
        <strong>
          {voting.voterCount} of {voters.length}
        </strong>{' '}
        {voters.length === 1 ? 'participant has' : 'participants have'} voted
        {data.settings.anonymous ? ' (anonymous session: nobody sees who voted what)' : ''}.
      </p>
      {voting.voted ? (
        <ul className="voted-list" aria-label="Who has voted">
          {voters.map((p) => (
            <li key={p.id} className={voted.has(p.id) ? 'tag tag-voted' : 'tag tag-waiting'}>
              {p.name}
              <span className="visually-hidden">{voted.has(p.id) ? ': has voted' : ': not yet'}</span>
              <span aria-hidden="true">{voted.has(p.id) ? ' ✓' : ''}</span>
              {voted.has(p.id) && early.has(p.id) ? (
                <span className="early-vote"> (voted before the meeting)</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {!ended ? (
        <AsyncWindowPanel
          window={window}
          now={now}
          liveVoteStarted={voting.revealed || voting.state !== 'not_open'}
          facilitate={facilitate}
          mayVote={mayVote}
          haveVoted={haveVoted}
        />
      ) : null}
      {facilitate && !ended ? (
        <div className="facilitator-controls">
          <div className="button-row">
            {!voting.revealed && voting.state !== 'open' ? (
              <FacilitatorButton command="openVoting" label="Open voting" />
            ) : null}
            {!voting.revealed && voting.state === 'open' ? (
              <CloseVoting incomplete={voting.incomplete} voters={voters.length} />
            ) : null}
            {/* Nothing to reveal before a vote, live or before the meeting, was ever opened. */}
            {!voting.revealed && (voting.state !== 'not_open' || window !== null) ? (
              <FacilitatorButton command="revealResults" label="Reveal results" />
            ) : null}
          </div>
          {joinCode ? <GuestLink joinCode={joinCode} open={voting.guestsAllowed} /> : null}
        </div>
      ) : null}
    </section>
  );
}
