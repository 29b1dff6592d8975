import { useRef } from 'react';
import { nudgedIn, type PokerNudge } from '~/collab/nudge';
import { deckLabels, isDeckName, roundDeck, suggestedEstimate, type Tally } from '~/domain/poker';
import { estimateWarning } from '~/domain/refinement';
import { CardDeck, cardText } from './card-deck';
import { useRoundIntoView } from './use-round-into-view';
import { CommandError, useSessionCommand } from './use-session-command';
import { useStepFocus } from './use-step-focus';

export interface RoundData {
  id: string;
  number: number;
  deck: string;
  /** the deck as people read it, and the cards of a product's own deck (null for a built-in one) */
  deckLabel?: string;
  cards?: string[] | null;
  revealed: boolean;
  committedValue: number | null;
  voted: string[];
  myValue: string | null;
  votes: Array<{ participantId: string; name: string; value: string }> | null;
  tally: Tally | null;
}

export interface PokerPerson {
  id: string;
  name: string;
  spectator: boolean;
}

/**
 * Who the open round still waits for, by name (public: the live state says who has voted, never a card), and for
 * the facilitator a button that reminds them; the reminder shows in their rooms.
 */
function Waiting({
  round,
  voters,
  meId,
  facilitate,
  nudge,
}: {
  round: RoundData;
  voters: PokerPerson[];
  meId: string | null;
  facilitate: boolean;
  nudge: PokerNudge | null;
}) {
  const command = useSessionCommand('nudge');
  const voted = new Set(round.voted);
  const waiting = voters.filter((v) => !voted.has(v.id));
  const nudged = nudge?.roundId === round.id ? new Set(nudge.participantIds) : null;
  return (
    <div className="waiting-for">
      {waiting.length === 0 ? (
        <p className="waiting-none">Nobody left to vote.</p>
      ) : (
        <>
          <p className="waiting-label" id="waiting-label">
            Waiting for:
          </p>
          <ul className="waiting-names" aria-labelledby="waiting-label">
            {waiting.map((v) => (
              <li key={v.id}>
                {v.name}
                {v.id === meId ? ' (you)' : ''}
                {nudged?.has(v.id) ? <span className="muted"> · reminded</span> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {facilitate && waiting.length > 0 ? (
        <command.fetcher.Form method="post" className="nudge-form">
          <input type="hidden" name="command" value="nudge" />
          <button type="submit" className="button button-secondary" disabled={command.busy}>
            {command.busy ? 'Reminding…' : 'Nudge who has not voted'}
          </button>
          <CommandError error={command.error} />
        </command.fetcher.Form>
      ) : null}
    </div>
  );
}

/** Who has voted in the open round: a tick per name, never a value. */
function VoteTicks({
  round,
  voters,
  meId,
}: {
  round: RoundData;
  voters: PokerPerson[];
  meId: string | null;
}) {
  const voted = new Set(round.voted);
  const count = voters.filter((v) => voted.has(v.id)).length;
  return (
    <div className="vote-ticks">
      <p className="vote-count" aria-live="polite">
        <strong>
          {count} of {voters.length}
        </strong>{' '}
        voted{count === voters.length && voters.length > 0 ? ' — everyone is in' : ''}
      </p>
      <ul aria-label="Who has voted">
        {voters.map((v) => (
          <li key={v.id} className={voted.has(v.id) ? 'has-voted' : 'not-voted'}>
            <span className="tick" aria-hidden="true">
              {voted.has(v.id) ? '✓' : '…'}
            </span>
            {v.name}
            {v.id === meId ? ' (you)' : ''}
            <span className="visually-hidden">{voted.has(v.id) ? ': voted' : ': not voted yet'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function number(n: number | null): string {
  return n === null ? '–' : String(n);
}

/** After the reveal: every card with who played it, the distribution, mean, median, mode and a wide-spread flag. */
function RoundResults({ round, meId }: { round: RoundData; meId: string | null }) {
  const tally = round.tally;
  const votes = round.votes ?? [];
  if (!tally || votes.length === 0) {
    return <p className="muted">Revealed with no votes.</p>;
  }
  const most = Math.max(...tally.distribution.map((d) => d.count));
  return (
    <div className="round-results">
      {tally.wideSpread ? (
        <p className="spread-flag" role="status">
          <span aria-hidden="true">⚠ </span>
          <strong>Wide spread — discuss and re-vote.</strong> The highest and lowest estimates are three or
          more cards apart.
        </p>
      ) : null}
      <dl className="tally-stats">
        <div>
          <dt>Mean</dt>
          <dd>{number(tally.mean)}</dd>
        </div>
        <div>
          <dt>Median</dt>
          <dd>{tally.median ?? '–'}</dd>
        </div>
        <div>
          <dt>Mode</dt>
          <dd>{tally.mode.length ? tally.mode.join(', ') : '–'}</dd>
        </div>
        <div>
          <dt>Votes</dt>
          <dd>
            {tally.votes}
            {tally.abstained ? <span className="muted"> ({tally.abstained} passed)</span> : null}
          </dd>
        </div>
      </dl>
      <ul className="distribution" aria-label={`Cards played in round ${round.number}`}>
        {tally.distribution.map((d) => {
          const { face, name } = cardText(d.value);
          const who = votes.filter((v) => v.value === d.value);
          return (
            <li key={d.value}>
              <span className="result-card" aria-hidden="true">
                {face}
              </span>
              <span className="visually-hidden">{name}: </span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar" style={{ width: `${Math.round((d.count / most) * 100)}%` }} />
              </span>
              <span className="result-count">
                {d.count} {d.count === 1 ? 'vote' : 'votes'}
              </span>
              <span className="result-names">
                {who.map((v) => (v.participantId === meId ? `${v.name} (you)` : v.name)).join(', ')}
              </span>
            </li>
          );
        })}
      </ul>
      {round.committedValue !== null ? (
        <p className="committed" role="status">
          Committed: <strong>{round.committedValue} points</strong> written to the backlog.
        </p>
      ) : null}
    </div>
  );
}

/** A deck a round can be opened with: `key` is what the command takes. */
export interface DeckOption {
  key: string;
  label: string;
  cards: string[];
}

/** Opens the split form below the poker panel (the way to deal with an epic) and puts the focus on it. */
function openSplitForm() {
  const split = document.querySelector<HTMLDetailsElement>('details.split');
  if (!split) return;
  split.open = true;
  split.scrollIntoView({ block: 'start' });
  split.querySelector<HTMLElement>('summary')?.focus();
}

interface RoundStartProps {
  latest: RoundData | null;
  /** the decks a round can open with, and the one offered first */
  decks: readonly DeckOption[];
  preferredDeck: string | null;
  /** the current item: opening a round on an epic asks first */
  item: { title: string; type: string } | null;
}

/**
 * Start round / Re-vote, with the deck to play. Opening a round on an epic asks first, in the page (no browser
 * dialog): epics are split and their stories estimated; the facilitator may still go ahead.
 */
function StartRound({ latest, decks, preferredDeck, item }: RoundStartProps) {
  const round = useSessionCommand('startEstimateRound');
  const warning = item ? estimateWarning(item) : null;
  const { open: confirming, setOpen: setConfirming, opener, first: confirmButton } = useStepFocus();
  const label = latest ? 'Re-vote' : 'Start round';
  const initialDeck = decks.some((d) => d.key === preferredDeck) ? preferredDeck : (decks[0]?.key ?? null);
  return (
    <round.fetcher.Form
      method="post"
      className="start-round"
      onSubmit={(event) => {
        // The first press on an epic only asks; the confirm button sends the form.
        if (warning && !confirming) {
          event.preventDefault();
          setConfirming(true);
        } else setConfirming(false);
      }}
    >
      <input type="hidden" name="command" value="startEstimateRound" />
      {decks.length > 1 && initialDeck ? (
        <div className="field deck-select">
          <label htmlFor="round-deck">Deck</label>
          <select id="round-deck" name="deck" defaultValue={initialDeck}>
            {decks.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label} ({d.cards.join(', ')})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {confirming && warning ? (
        <fieldset className="epic-warning" aria-describedby="epic-warning-text">
          <legend>Estimate an epic?</legend>
          <p id="epic-warning-text" className="epic-warning-text">
            {warning}
          </p>
          <div className="button-row">
            <button
              ref={confirmButton}
              type="submit"
              className="button button-secondary"
              disabled={round.busy}
            >
              Estimate the epic anyway
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setConfirming(false);
                openSplitForm();
              }}
            >
              Split it first
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          ref={opener}
          type="submit"
          className={latest ? 'button button-secondary' : 'button'}
          disabled={round.busy}
        >
          {round.busy ? 'Starting…' : label}
        </button>
      )}
      <CommandError error={round.error} />
    </round.fetcher.Form>
  );
}

/** The facilitator's round controls: start (with a deck), reveal, re-vote, and commit the agreed estimate. */
function FacilitatorControls({ latest, decks, preferredDeck, item }: RoundStartProps) {
  const reveal = useSessionCommand('revealEstimates');
  const commit = useSessionCommand('commitEstimate');
  const suggested = latest?.tally
    ? suggestedEstimate(roundDeck(latest.deck, latest.cards).cards, latest.tally)
    : null;
  const open = latest !== null && !latest.revealed;
  return (
    <div className="poker-controls">
      <div className="button-row">
        {open ? (
          <reveal.fetcher.Form method="post">
            <input type="hidden" name="command" value="revealEstimates" />
            <button type="submit" className="button" disabled={reveal.busy}>
              {reveal.busy ? 'Revealing…' : 'Reveal cards'}
            </button>
          </reveal.fetcher.Form>
        ) : (
          <StartRound latest={latest} decks={decks} preferredDeck={preferredDeck} item={item} />
        )}
      </div>
      <CommandError error={reveal.error} />
      {latest?.revealed ? (
        <commit.fetcher.Form method="post" className="commit-form" key={latest.id}>
          <input type="hidden" name="command" value="commitEstimate" />
          <div className="commit-field">
            <label htmlFor="commit-estimate">Estimate to commit (points)</label>
            <div className="inline-form">
              <input
                id="commit-estimate"
                name="estimate"
                type="number"
                inputMode="numeric"
                min={0}
                max={1000}
                step={1}
                required
                defaultValue={latest.committedValue ?? suggested ?? ''}
                aria-invalid={commit.error ? true : undefined}
                aria-describedby="commit-hint commit-error"
              />
              <button type="submit" className="button" disabled={commit.busy}>
                {commit.busy ? 'Committing…' : 'Commit estimate'}
              </button>
            </div>
            <p className="hint" id="commit-hint">
              {suggested !== null
                ? `The median card is ${suggested}.`
                : 'Give the points the team agreed on.'}{' '}
              It is written to the item and the decision log.
            </p>
            <CommandError error={commit.error} id="commit-error" />
          </div>
        </commit.fetcher.Form>
      ) : null}
    </div>
  );
}

export function PokerPanel({
  rounds,
  deck,
  cards,
  participants,
  meId,
  mayVote,
  mayStepIn = false,
  facilitate,
  itemTitle = null,
  itemType = null,
  decks = [],
  preferredDeck = null,
  nudge = null,
}: {
  rounds: RoundData[];
  /** the session's deck, until a round says which it plays */
  deck: string;
  cards: string[];
  participants: PokerPerson[];
  meId: string | null;
  /** joined, estimating (not watching) and the session is open */
  mayVote: boolean;
  /** watching, but may switch to estimating (under People) */
  mayStepIn?: boolean;
  facilitate: boolean;
  /** the item being estimated, named in the banner of an open round */
  itemTitle?: string | null;
  /** its type: opening a round on an epic asks the facilitator first */
  itemType?: string | null;
  /** for the facilitator: the decks a round can be opened with, and the one to offer first */
  decks?: readonly DeckOption[];
  preferredDeck?: string | null;
  /** the facilitator's last reminder; shown to the people it names while their round is open */
  nudge?: PokerNudge | null;
}) {
  const cast = useSessionCommand('castEstimate');
  const panel = useRef<HTMLElement>(null);
  const latest = rounds[0] ?? null;
  const earlier = rounds.slice(1);
  const voters = participants.filter((p) => !p.spectator);
  // The cards of the round being played (a product's own deck, or a built-in one).
  const roundCards = latest ? roundDeck(latest.deck, latest.cards).cards : [];
  const deckCards = roundCards.length > 0 ? roundCards : cards;
  const deckLabel = latest?.deckLabel ?? (isDeckName(deck) ? deckLabels[deck] : deck);
  const open = latest !== null && !latest.revealed;
  const pendingValue = cast.pending?.get('value');
  const myCard = open ? (typeof pendingValue === 'string' ? pendingValue : latest.myValue) : null;
  const openRoundId = open ? latest.id : null;
  const asked = mayVote && myCard === null && nudgedIn(nudge, openRoundId, meId);
  useRoundIntoView(panel, openRoundId);
  return (
    <section
      ref={panel}
      aria-labelledby="poker-title"
      className={open ? 'room-panel poker is-open' : 'room-panel poker'}
    >
      {open ? (
        <p className="round-banner">
          <span className="round-banner-badge">Round {latest.number} open</span>{' '}
          <strong>Estimating: {itemTitle ?? 'the current item'}</strong>
        </p>
      ) : null}
      {asked ? (
        <p className="nudge-notice" role="alert">
          The facilitator is waiting for your card: pick one below.
        </p>
      ) : null}
      <div className="panel-heading">
        <h3 id="poker-title">Planning poker</h3>
        <p className="muted">
          {latest ? `Round ${latest.number}${latest.revealed ? ', revealed' : ', open'}` : 'No round yet'} ·{' '}
          {deckLabel}
        </p>
      </div>
      {latest === null ? (
        <p className="poker-empty">
          No estimation round on this item yet.{' '}
          {facilitate
            ? 'Start one once the team has talked it through.'
            : 'The facilitator starts one when the team is ready.'}
        </p>
      ) : null}
      {open ? (
        <div className="open-round">
          {mayVote ? (
            <div className="my-card">
              <p id="deck-label" className="deck-label">
                Your card <span className="muted">(secret until the reveal)</span>
              </p>
              <CardDeck
                cards={deckCards}
                selected={myCard}
                disabled={false}
                onPlay={(value) => cast.submit({ value })}
                labelledBy="deck-label"
              />
              <p className="my-vote" aria-live="polite">
                {myCard ? (
                  <>
                    You voted <strong>{cardText(myCard).name}</strong>
                    {cast.busy ? ' (sending…)' : ''}. You can change your card until the reveal.
                  </>
                ) : (
                  'Pick a card: arrow keys move, Enter plays.'
                )}
              </p>
              <CommandError error={cast.error} />
            </div>
          ) : (
            <p className="muted">
              {meId
                ? `You are watching: you see who has voted, and the cards after the reveal.${mayStepIn ? ' To play a card, switch to estimating under People.' : ''}`
                : 'Join to take part.'}
            </p>
          )}
          <div className="round-state">
            <Waiting round={latest} voters={voters} meId={meId} facilitate={facilitate} nudge={nudge} />
            <VoteTicks round={latest} voters={voters} meId={meId} />
          </div>
        </div>
      ) : null}
      {latest?.revealed ? <RoundResults round={latest} meId={meId} /> : null}
      {facilitate ? (
        <FacilitatorControls
          latest={latest}
          decks={decks}
          preferredDeck={preferredDeck}
          item={itemTitle && itemType ? { title: itemTitle, type: itemType } : null}
        />
      ) : null}
      {earlier.length > 0 ? (
        <div className="earlier-rounds">
          {earlier.map((r) => (
            <details key={r.id}>
              <summary className="round-summary">
                Round {r.number}
                {r.tally
                  ? ` — median ${r.tally.median ?? '–'}, mean ${number(r.tally.mean)}${r.tally.wideSpread ? ', wide spread' : ''}`
                  : ' — not revealed'}
              </summary>
              {r.revealed ? (
                <RoundResults round={r} meId={meId} />
              ) : (
                <p className="muted">This round was never revealed.</p>
              )}
            </details>
          ))}
        </div>
      ) : null}
    </section>
  );
}
