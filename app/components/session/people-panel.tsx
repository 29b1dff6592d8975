import { presenceColor } from '~/collab/use-live-session';
import { HandIcon } from './icons';
import { CommandError, useSessionCommand } from './use-session-command';

/** The viewer's own part in a refinement, for the switch between estimating and watching. */
export interface MyPart {
  spectator: boolean;
  /** the product role allows estimating (product owner, team) */
  mayEstimate: boolean;
  /** a poker round on the current item is open */
  roundOpen: boolean;
  /** why this person watches when they may not estimate (a guest: until the facilitator lets guests estimate) */
  watchingNote?: string;
}

export interface Person {
  id: string;
  userId: string | null;
  name: string;
  spectator: boolean;
  handRaisedAt: number | null;
}

/** Raise or lower your own hand. */
function HandButton({ raised }: { raised: boolean }) {
  const command = useSessionCommand('raiseHand');
  const pending = command.pending?.get('raised');
  const shown = command.pending ? pending === 'true' : raised;
  return (
    <command.fetcher.Form method="post" className="hand-form">
      <input type="hidden" name="command" value="raiseHand" />
      <button
        type="submit"
        name="raised"
        value={shown ? 'false' : 'true'}
        className="button button-secondary hand-button"
        aria-pressed={shown}
      >
        <HandIcon />
        {shown ? 'Lower your hand' : 'Raise your hand'}
      </button>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}

/**
 * In a refinement: your own part, estimating or watching, and the button that switches it. Stakeholders and
 * guests watch planning poker, so they only see which part they have.
 */
function RoleSwitch({ spectator, mayEstimate, roundOpen, watchingNote }: MyPart) {
  const command = useSessionCommand('setSpectator');
  const pending = command.pending?.get('spectator');
  const watching = command.pending ? pending === 'true' : spectator;
  if (!mayEstimate) {
    return (
      <p className="hint role-note">{watchingNote ?? 'You are watching: stakeholders do not estimate.'}</p>
    );
  }
  return (
    <command.fetcher.Form method="post" className="hand-form role-switch">
      <input type="hidden" name="command" value="setSpectator" />
      <p className="hint" id="my-part">
        You are <strong>{watching ? 'watching' : 'estimating'}</strong>.
        {roundOpen && !watching ? ' Switching to watching withdraws your card from the open round.' : ''}
      </p>
      <button
        type="submit"
        name="spectator"
        value={watching ? 'false' : 'true'}
        className="button button-secondary hand-button"
        aria-describedby="my-part"
      >
        {watching ? 'Switch to estimating' : 'Switch to watching'}
      </button>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}

/** The facilitator lowers a hand once its owner has spoken. */
function LowerHand({ person }: { person: Person }) {
  const command = useSessionCommand('lowerHand');
  return (
    <command.fetcher.Form method="post" className="lower-hand">
      <input type="hidden" name="command" value="lowerHand" />
      <input type="hidden" name="participantId" value={person.id} />
      <button type="submit" className="link-button" disabled={command.busy}>
        Lower<span className="visually-hidden"> {person.name}’s hand</span>
      </button>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}

/**
 * Who takes part: here now (from live presence) or away, who watches, who has voted in the open round, and
 * raised hands in the order they went up.
 */
export function PeoplePanel({
  people,
  here,
  meId,
  facilitatorUserId,
  voted,
  facilitate,
  showHand,
  myHandRaised,
  myPart = null,
}: {
  people: Person[];
  here: ReadonlySet<string>;
  meId: string | null;
  facilitatorUserId: string;
  /** participants who voted in the open round, or null when no round is open */
  voted: ReadonlySet<string> | null;
  facilitate: boolean;
  showHand: boolean;
  myHandRaised: boolean;
  /** refinement, joined and not ended: your part and the switch */
  myPart?: MyPart | null;
}) {
  const hands = people
    .filter((p) => p.handRaisedAt !== null)
    .sort((a, b) => (a.handRaisedAt ?? 0) - (b.handRaisedAt ?? 0));
  const present = people.filter((p) => here.has(p.id)).length;
  return (
    <section aria-labelledby="people-title" className="room-panel people">
      <div className="panel-heading">
        <h3 id="people-title">People</h3>
        <p className="muted">
          {present} of {people.length} here
        </p>
      </div>
      {myPart ? <RoleSwitch {...myPart} /> : null}
      {showHand ? <HandButton raised={myHandRaised} /> : null}
      {hands.length > 0 ? (
        <div className="hands">
          <h4 id="hands-title">Raised hands</h4>
          <ol aria-labelledby="hands-title">
            {hands.map((p) => (
              <li key={p.id}>
                <HandIcon />
                {p.name}
                {p.id === meId ? ' (you)' : ''}
                {facilitate && p.id !== meId ? <LowerHand person={p} /> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {people.length === 0 ? (
        <p className="muted">Nobody has joined yet.</p>
      ) : (
        <ul className="people-list" aria-label="Participants">
          {people.map((p) => {
            const isHere = here.has(p.id);
            return (
              <li key={p.id} className={isHere ? 'is-here' : 'is-away'}>
                <span
                  className="presence-dot"
                  aria-hidden="true"
                  style={
                    isHere ? { background: presenceColor(p.id), borderColor: presenceColor(p.id) } : undefined
                  }
                />
                <span className="person-name">
                  {p.name}
                  {p.id === meId ? <span className="muted"> (you)</span> : null}
                </span>
                <span className="visually-hidden">{isHere ? ', here now' : ', away'}</span>
                <span className="person-tags">
                  {p.userId === facilitatorUserId ? (
                    <span className="tag tag-facilitator">facilitator</span>
                  ) : null}
                  {p.spectator ? <span className="tag tag-watching">watching</span> : null}
                  {p.handRaisedAt !== null ? (
                    <span className="tag tag-hand">
                      <HandIcon />
                      <span className="visually-hidden">hand raised</span>
                    </span>
                  ) : null}
                  {voted && !p.spectator ? (
                    voted.has(p.id) ? (
                      <span className="tag tag-voted">
                        <span aria-hidden="true">✓ </span>voted
                      </span>
                    ) : (
                      <span className="tag tag-waiting">not voted</span>
                    )
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
