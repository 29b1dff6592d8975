import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useParams, useRouteLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import { liveSessionFields, liveTimer, liveVoting } from '~/collab/public-state';
import { useLiveRounds } from '~/collab/use-live-rounds';
import { useLiveSession } from '~/collab/use-live-session';
import { liveTextStylesHref } from '~/components/live-text/live-item-text';
import { windowOpenAt } from '~/components/prioritisation/async-window-panel';
import { PrioritisationRoom } from '~/components/prioritisation/prioritisation-room';
import { ReviewRoom } from '~/components/review/review-room';
import { AgendaPanel } from '~/components/session/agenda-panel';
import { CurrentItem, OpeningItem } from '~/components/session/current-item';
import { GuestPanel } from '~/components/session/guest-panel';
import { LobbyCard } from '~/components/session/lobby-card';
import { PeoplePanel } from '~/components/session/people-panel';
import { PokerPanel } from '~/components/session/poker-panel';
import { QuestionsPanel } from '~/components/session/questions-panel';
import { RoomHeader } from '~/components/session/room-header';
import { SplitForm } from '~/components/session/split-form';
import { ThreeAmigosPanel } from '~/components/session/three-amigos-panel';
import { sessionKindLabels } from '~/domain/session-rules';
import type { loader as rootLoader } from '~/root';
import { shareOrigin } from '~/routes/products.$productId.sprints.$sprintId/sprint-page.server';
import { requireUser } from '~/services/auth.server';
import prioritisationStylesHref from '~/styles/prioritisation.css?url';
import stylesHref from '~/styles/session-room.css?url';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { orRespond } from '~/utils/route-errors.server';
import { loadRoom, runRoomCommand } from './room.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'stylesheet', href: liveTextStylesHref },
  { rel: 'stylesheet', href: prioritisationStylesHref },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.session.title} · Session · Refinery` : 'Session · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const order = new URL(request.url).searchParams.get('order') ?? undefined;
  return orRespond(
    loadRoom(
      context,
      params.productId ?? '',
      params.sessionId ?? '',
      user.id,
      order,
      shareOrigin(request, context.app.config.PUBLIC_URL),
    ),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return runRoomCommand(
    context,
    params.productId ?? '',
    params.sessionId ?? '',
    user.id,
    await request.formData(),
  );
}

export default function SessionRoom() {
  const room = useLoaderData<typeof loader>();
  const productId = useParams().productId ?? '';
  const root = useRouteLoaderData<typeof rootLoader>('root');
  const timeZone = useTimeZone();
  const { me, may } = room;
  const presenceMe = me && room.myName ? { participantId: me.participantId, name: room.myName } : null;
  const { status, here, live } = useLiveSession(room.session.id, room.loadedAt, presenceMe);
  // The phase and the current item follow the live state at once; the reload brings the new item's text.
  const session = liveSessionFields(room.session, live.state, room.loadedAt, live.at);
  const current = room.current?.id === session.currentItemId ? room.current : null;
  const opening =
    session.currentItemId && !current
      ? (room.agenda.find((a) => a.itemId === session.currentItemId)?.title ?? 'The next item')
      : null;
  const ended = session.state === 'ended';
  // Who has voted comes live (votes do not reload the room); everything else from the room's data.
  const rounds = useLiveRounds(current?.rounds, live, room.loadedAt);
  const latest = rounds[0] ?? null;
  const voted = useMemo(() => (latest && !latest.revealed ? new Set(latest.voted) : null), [latest]);
  const prioritisation = room.prioritisationRoom?.data;
  const prioritisationData = useMemo(
    () =>
      prioritisation
        ? { ...prioritisation, voting: liveVoting(prioritisation.voting, live.state, room.loadedAt, live.at) }
        : null,
    [prioritisation, live, room.loadedAt],
  );
  const titles = useMemo(
    () => Object.fromEntries(room.agenda.map((a) => [a.itemId, a.title])),
    [room.agenda],
  );
  const timebox = room.agenda.find((a) => a.itemId === session.currentItemId)?.timeboxSeconds ?? null;
  // A three amigos room: the three edit the story's text; other members of the product watch it here (they edit
  // items on the item page, as always).
  const editable =
    may.edit && !ended && (session.kind !== 'three_amigos' || (room.threeAmigos?.myPart ?? null) !== null);
  const mayVote = !ended && me !== null && !me.spectator && may.estimate;
  // Prioritisation sessions and reviews get rooms of their own; here they show their agenda, people and questions.
  const refinement = session.kind === 'refinement';
  const amigos = session.kind === 'three_amigos' ? (live.state?.amigos ?? room.threeAmigos) : null;
  // While a round is open its deck and state lead the room, above the agenda and the item's text, for everyone.
  const roundOpen = refinement && current !== null && latest !== null && !latest.revealed;
  const poker =
    refinement && current ? (
      <PokerPanel
        rounds={rounds}
        deck={session.settings.deck}
        cards={room.cards}
        participants={room.participants}
        meId={me?.participantId ?? null}
        mayVote={mayVote}
        mayStepIn={!ended && me !== null && me.spectator && may.estimate}
        facilitate={may.facilitate}
        itemTitle={current.title}
        itemType={current.type}
        decks={room.facilitation?.decks}
        preferredDeck={room.facilitation?.preferredDeck ?? null}
        nudge={live.nudge ?? null}
      />
    ) : null;

  return (
    <article className="session-room" aria-labelledby="room-title">
      <RoomHeader
        productId={productId}
        session={{ ...session, timer: liveTimer(session.timer, live.state, room.loadedAt, live.at) }}
        facilitate={may.facilitate}
        handOver={room.facilitation?.handOver ?? null}
        myUserId={root?.user?.id ?? ''}
        live={status}
        serverNow={room.serverNow}
        timeboxSeconds={timebox}
        hasCurrentItem={current !== null || session.kind === 'prioritisation'}
      />
      {ended ? (
        <div className="ended-banner" role="status">
          <p>
            <strong>This session has ended</strong>
            {session.endedAt ? ` (${formatDateTime(session.endedAt, timeZone)})` : ''}. The room is read-only
            now.
          </p>
          <Link className="button" to={`/products/${productId}/sessions/${session.id}/summary`}>
            Read the summary
          </Link>
        </div>
      ) : null}
      {me === null && !ended && !amigos ? (
        <LobbyCard
          mayEstimate={may.estimate}
          title={session.title}
          facilitatorName={session.facilitatorName}
          prioritisation={session.kind === 'prioritisation'}
          started={session.state === 'running'}
          votingEarly={windowOpenAt(prioritisationData?.voting?.window, Date.now())}
        />
      ) : null}
      {/* Always in the page, so a screen reader hears the moment a round opens. */}
      <p className="visually-hidden" aria-live="polite">
        {roundOpen && latest && current
          ? `Estimating ${current.title}: round ${latest.number} is open.${mayVote ? ' Pick your card.' : ''}`
          : ''}
      </p>
      {roundOpen ? poker : null}
      {/* A prioritisation room lists every agenda item in its centre, so it has no agenda column. */}
      <div
        className={
          room.prioritisationRoom ? 'room-grid prio-grid' : amigos ? 'room-grid amigos-grid' : 'room-grid'
        }
      >
        {/* A three amigos session is about its one story: no agenda column. */}
        {room.prioritisationRoom || amigos ? null : (
          <AgendaPanel
            agenda={room.agenda}
            currentItemId={session.currentItemId}
            facilitate={may.facilitate}
          />
        )}
        <div className="room-centre">
          {/* Sprint reviews: the checklists, outcomes and feedback (app/components/review). */}
          {session.kind === 'review' ? (
            <ReviewRoom
              productId={productId}
              sessionId={session.id}
              currentItemId={session.currentItemId}
              liveReview={live.review}
            />
          ) : null}
          {room.prioritisationRoom ? (
            <PrioritisationRoom
              data={prioritisationData ?? room.prioritisationRoom.data}
              mayVote={!ended && me !== null && !me.spectator}
              mayJobSize={may.estimate}
              facilitate={may.facilitate}
              joinCode={room.prioritisationRoom.joinCode}
              ended={ended}
              guests={room.prioritisationRoom.guests}
              grouping={room.prioritisationRoom.grouping}
              serverNow={room.serverNow}
            />
          ) : current ? (
            <>
              <CurrentItem
                item={current}
                productId={productId}
                user={{ id: root?.user?.id ?? '', name: root?.user?.displayName ?? room.myName ?? '' }}
                editable={editable}
              />
              {refinement ? (
                roundOpen ? null : (
                  poker
                )
              ) : session.kind === 'review' || amigos ? null : (
                <p className="alert" role="note">
                  This room has the tools of a refinement workshop; those of a{' '}
                  {sessionKindLabels[session.kind].toLowerCase()} are not here yet.
                </p>
              )}
              {amigos ? (
                <ThreeAmigosPanel
                  data={amigos}
                  myPart={room.threeAmigos?.myPart ?? null}
                  ended={ended}
                  linkable={room.amigoLinkable}
                />
              ) : null}
              {editable && refinement ? (
                <SplitForm
                  key={current.id}
                  itemTitle={current.title}
                  itemType={current.type}
                  mayPlaceAtEnds={may.order}
                />
              ) : null}
            </>
          ) : opening ? (
            <OpeningItem title={opening} />
          ) : (
            <div className="room-panel empty-state">
              <p>{room.agenda.length === 0 ? 'The agenda is empty.' : 'No item is being discussed yet.'}</p>
              <p className="muted">
                {may.facilitate && room.agenda.length > 0
                  ? 'Press an item in the agenda to start with it.'
                  : 'The facilitator picks the item to discuss.'}
              </p>
            </div>
          )}
        </div>
        <div className="room-side">
          {room.refinementGuests ? <GuestPanel data={room.refinementGuests} /> : null}
          <PeoplePanel
            people={room.participants}
            here={here}
            meId={me?.participantId ?? null}
            facilitatorUserId={session.facilitatorId}
            voted={voted}
            facilitate={may.facilitate}
            showHand={me !== null && !ended}
            myHandRaised={me?.handRaised ?? false}
            myPart={
              refinement && me !== null && !ended
                ? { spectator: me.spectator, mayEstimate: may.estimate, roundOpen: voted !== null }
                : null
            }
          />
          {amigos ? null : (
            <QuestionsPanel
              questions={room.notes}
              titles={titles}
              mayAsk={me !== null && !ended}
              facilitate={may.facilitate}
            />
          )}
        </div>
      </div>
    </article>
  );
}
