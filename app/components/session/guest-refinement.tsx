import { useMemo } from 'react';
import type { LivePublicState } from '~/collab/use-live-session';
import { liveSessionFields } from '~/collab/public-state';
import { useLiveRounds } from '~/collab/use-live-rounds';
import type { DeckName } from '~/domain/poker';
import { guestQuestionLimits } from '~/domain/session-guests';
import { type AgendaEntry, AgendaPanel } from './agenda-panel';
import { CurrentItem, type CurrentItemData, OpeningItem } from './current-item';
import { type Person, PeoplePanel } from './people-panel';
import { PokerPanel, type RoundData } from './poker-panel';
import { type Question, QuestionsPanel } from './questions-panel';

export interface GuestRefinementData {
  currentItemId: string | null;
  facilitatorId: string;
  deck: DeckName;
  cards: string[];
  guestsEstimate: boolean;
  /** may play cards now: the facilitator lets guests estimate */
  mayEstimate: boolean;
  handRaised: boolean;
  agenda: AgendaEntry[];
  current: (CurrentItemData & { rounds: RoundData[] }) | null;
  people: Person[];
  notes: Question[];
}

/**
 * A refinement as a guest takes part in it: the current item (title, Definition of Ready, description and criteria
 * following the team's typing, read-only), the poker round (who has voted; the cards after the reveal; their own
 * deck while the facilitator lets guests estimate), the people with raised hands, and questions. The same panels
 * as the team's room, without the facilitator's controls; the server decides what a guest may do.
 */
export function GuestRefinement({
  data,
  me,
  ended,
  live,
  here,
  loadedAt,
  tokenUrl,
}: {
  data: GuestRefinementData;
  me: { participantId: string; name: string; spectator: boolean };
  ended: boolean;
  live: LivePublicState;
  here: ReadonlySet<string>;
  loadedAt: number;
  /** the live token of this guest's room, for the item's text */
  tokenUrl: string;
}) {
  // The current item follows the live state at once (decision 0029); the reload brings the new item's text.
  const { currentItemId } = liveSessionFields(
    { phase: live.state?.phase ?? '', currentItemId: data.currentItemId },
    live.state,
    loadedAt,
    live.at,
  );
  const current = data.current?.id === currentItemId ? data.current : null;
  const opening =
    currentItemId && !current
      ? (data.agenda.find((a) => a.itemId === currentItemId)?.title ?? 'The next item')
      : null;
  const rounds = useLiveRounds(current?.rounds, live, loadedAt);
  const latest = rounds[0] ?? null;
  const roundOpen = current !== null && latest !== null && !latest.revealed;
  const voted = useMemo(() => (latest && !latest.revealed ? new Set(latest.voted) : null), [latest]);
  const titles = useMemo(
    () => Object.fromEntries(data.agenda.map((a) => [a.itemId, a.title])),
    [data.agenda],
  );
  const mayVote = !ended && !me.spectator && data.mayEstimate;
  const poker = current ? (
    <PokerPanel
      rounds={rounds}
      deck={data.deck}
      cards={data.cards}
      participants={data.people}
      meId={me.participantId}
      mayVote={mayVote}
      mayStepIn={!ended && me.spectator && data.mayEstimate}
      facilitate={false}
      itemTitle={current.title}
      nudge={live.nudge ?? null}
    />
  ) : null;
  return (
    <>
      <p className="visually-hidden" aria-live="polite">
        {roundOpen && latest && current
          ? `Estimating ${current.title}: round ${latest.number} is open.${mayVote ? ' Pick your card.' : ''}`
          : ''}
      </p>
      <p className="hint guest-estimate-note" role="status">
        {data.guestsEstimate
          ? 'The facilitator lets guests estimate: you have a deck when a round is open.'
          : 'You follow the refinement: raise your hand to speak and ask questions. The facilitator may let guests estimate.'}
      </p>
      {roundOpen ? poker : null}
      <div className="room-grid">
        <AgendaPanel agenda={data.agenda} currentItemId={currentItemId} facilitate={false} />
        <div className="room-centre">
          {current && !ended ? (
            <>
              <CurrentItem
                item={current}
                productId=""
                user={{ id: me.participantId, name: me.name }}
                editable={false}
                guest={{ tokenUrl }}
              />
              {roundOpen ? null : poker}
            </>
          ) : current ? (
            poker
          ) : opening && !ended ? (
            <OpeningItem title={opening} />
          ) : (
            <div className="room-panel empty-state">
              <p>{data.agenda.length === 0 ? 'The agenda is empty.' : 'No item is being discussed yet.'}</p>
              <p className="muted">The facilitator picks the item to discuss.</p>
            </div>
          )}
        </div>
        <div className="room-side">
          <PeoplePanel
            people={data.people}
            here={here}
            meId={me.participantId}
            facilitatorUserId={data.facilitatorId}
            voted={voted}
            facilitate={false}
            showHand={!ended}
            myHandRaised={data.handRaised}
            myPart={
              ended
                ? null
                : {
                    spectator: me.spectator,
                    mayEstimate: data.mayEstimate,
                    roundOpen: voted !== null,
                    watchingNote: 'You are watching: the facilitator has not let guests estimate.',
                  }
            }
          />
          <QuestionsPanel
            questions={data.notes}
            titles={titles}
            mayAsk={!ended}
            facilitate={false}
            maxLength={guestQuestionLimits.maxLength}
          />
        </div>
      </div>
    </>
  );
}
