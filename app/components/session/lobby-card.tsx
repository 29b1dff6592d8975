import { CommandError, useSessionCommand } from './use-session-command';

/**
 * Shown to a member who has not joined yet. People who estimate choose to join or to watch; stakeholders watch
 * (they do not estimate) and are listed as "watching".
 */
export function LobbyCard({
  mayEstimate,
  title,
  facilitatorName,
  prioritisation = false,
  started = true,
  votingEarly = false,
}: {
  mayEstimate: boolean;
  title: string;
  facilitatorName: string;
  /** a prioritisation session: everyone who joins votes and scores, stakeholders included */
  prioritisation?: boolean;
  /** someone has joined already (the session is running); the first join starts it */
  started?: boolean;
  /** votes before the meeting are open: joining lets you vote now, and does not start the live session */
  votingEarly?: boolean;
}) {
  const command = useSessionCommand('join');
  const pending = command.pending?.get('spectator');
  return (
    <section aria-labelledby="lobby-title" className="lobby-card">
      <div>
        <h3 id="lobby-title">Join “{title}”</h3>
        <p>
          {facilitatorName} facilitates.{' '}
          {prioritisation
            ? 'Join to place your dots and score the items on the agenda. Nobody sees anyone’s votes before the facilitator reveals the results.'
            : mayEstimate
              ? 'Join to estimate with planning poker, tick the Definition of Ready and raise questions, or join as a spectator to follow along.'
              : 'Stakeholders follow refinement as spectators: you see the discussion, who has voted and the results after each reveal, and you can raise questions. You are listed as “watching”.'}
        </p>
        <p className="muted">
          {started
            ? 'The session is running.'
            : votingEarly
              ? 'Voting before the meeting is open: join to vote now; the live session starts later.'
              : 'Nobody is in the room yet: the session starts when the first person joins.'}
        </p>
      </div>
      <command.fetcher.Form method="post" className="button-row">
        <input type="hidden" name="command" value="join" />
        {prioritisation ? (
          <button type="submit" className="button" disabled={command.busy}>
            {command.busy ? 'Joining…' : 'Join'}
          </button>
        ) : mayEstimate ? (
          <>
            <button type="submit" className="button" disabled={command.busy}>
              {command.busy && pending === null ? 'Joining…' : 'Join'}
            </button>
            <button
              type="submit"
              name="spectator"
              value="true"
              className="button button-secondary"
              disabled={command.busy}
            >
              {command.busy && pending === 'true' ? 'Joining…' : 'Join as spectator'}
            </button>
          </>
        ) : (
          <button type="submit" name="spectator" value="true" className="button" disabled={command.busy}>
            {command.busy ? 'Joining…' : 'Join as spectator'}
          </button>
        )}
      </command.fetcher.Form>
      <CommandError error={command.error} />
    </section>
  );
}
