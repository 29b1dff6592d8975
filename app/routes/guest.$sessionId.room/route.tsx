import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import { liveFeedback, liveReviewItems } from '~/collab/review-state';
import type { HeaderHandle } from '~/components/app-header';
import { liveVoting } from '~/collab/public-state';
import { useLiveSession } from '~/collab/use-live-session';
import { LiveIndicator } from '~/components/backlog/live-status';
import { PrioritisationRoom } from '~/components/prioritisation/prioritisation-room';
import { GuestReview } from '~/components/review/guest-review';
import { liveTextStylesHref } from '~/components/live-text/live-item-text';
import { GuestRefinement } from '~/components/session/guest-refinement';
import { Countdown } from '~/components/session/countdown';
import prioritisationStylesHref from '~/styles/prioritisation.css?url';
import stylesHref from '~/styles/session-room.css?url';
import { loadGuestRoom, runGuestCommand } from './guest-room.server';

/** Guests have no account here: the header offers no log in or sign up (see AppHeader). */
export const handle: HeaderHandle = { guestPage: true };

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'stylesheet', href: prioritisationStylesHref },
  { rel: 'stylesheet', href: liveTextStylesHref },
];

export const headers: HeadersFunction = () => ({
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && data.state === 'in' ? `${data.session.title} · Guest · Refinery` : 'Session · Refinery' },
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return loadGuestRoom(context, request, params.sessionId ?? '');
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return runGuestCommand(context, request, params.sessionId ?? '');
}

function Notice({ heading, text }: { heading: string; text: string }) {
  return (
    <section className="join-page card" aria-labelledby="guest-notice">
      <h1 id="guest-notice">{heading}</h1>
      <p>{text}</p>
    </section>
  );
}

function GuestRoom({ room: r }: { room: InRoom }) {
  const { status, here, live } = useLiveSession(
    r.session.id,
    r.loadedAt,
    { participantId: r.me.participantId, name: r.me.name },
    `/guest/${r.session.id}/live-token`,
  );
  const guestReview = useMemo(() => {
    const review = r.review;
    if (!review) return null;
    // Ticks and new feedback from the live document at once; the reload that follows brings the rest.
    const checklists = liveReviewItems(review.checklists, review.sprintId, live.review, r.loadedAt);
    const about = new Map(review.items.map((i) => [i.id, i.title]));
    const feedback = liveFeedback(review.feedback, review.sprintId, live.review, r.loadedAt, (n) => ({
      id: n.id,
      text: n.text,
      author: n.author,
      about: n.itemId ? (about.get(n.itemId) ?? null) : null,
    }));
    return checklists === review.checklists && feedback === review.feedback
      ? review
      : { ...review, checklists, feedback };
  }, [r.review, r.loadedAt, live.review]);
  return (
    <article className="session-room guest-room" aria-labelledby="room-title">
      <header className="room-header">
        <div className="room-heading">
          <p className="room-eyebrow">
            Guest in a{' '}
            {r.review ? 'sprint review' : r.refinement ? 'refinement workshop' : 'prioritisation session'}
          </p>
          <h1 id="room-title" className="guest-room-title">
            {r.session.title}
          </h1>
          <p className="room-meta">
            <span>
              You are <strong>{r.me.name}</strong>
            </span>
            <span>
              Facilitator: <strong>{r.session.facilitatorName}</strong>
            </span>
          </p>
        </div>
        <div className="room-clock">
          <LiveIndicator status={status} />
          {r.session.ended ? null : <Countdown timer={r.session.timer} serverNow={r.serverNow} />}
        </div>
      </header>
      {r.session.ended ? (
        <div className="ended-banner" role="status">
          <p>
            <strong>This session has ended.</strong> Thank you for taking part; the room is read-only now.
          </p>
        </div>
      ) : null}
      {r.prioritisation ? (
        <PrioritisationRoom
          data={{
            ...r.prioritisation,
            voting: liveVoting(r.prioritisation.voting, live.state, r.loadedAt, live.at),
          }}
          mayVote={!r.session.ended && !r.me.spectator}
          mayJobSize={false}
          facilitate={false}
          joinCode={null}
          ended={r.session.ended}
          guests={[]}
        />
      ) : r.review ? (
        <GuestReview review={guestReview ?? r.review} />
      ) : r.refinement ? (
        <GuestRefinement
          data={r.refinement}
          me={r.me}
          ended={r.session.ended}
          live={live}
          here={here}
          loadedAt={r.loadedAt}
          tokenUrl={`/guest/${r.session.id}/live-token`}
        />
      ) : (
        <div className="room-panel">
          <p>You are in this session as a guest. Its agenda:</p>
          <ol>
            {r.agenda.map((a) => (
              <li key={a.itemId}>{a.title}</li>
            ))}
          </ol>
        </div>
      )}
    </article>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type InRoom = Extract<LoaderData, { state: 'in' }>;

export default function GuestSession() {
  const room = useLoaderData<typeof loader>();
  if (room.state === 'not_joined') {
    return (
      <Notice
        heading="You have not joined this session"
        text="Open the join link you were given and enter your name to take part."
      />
    );
  }
  if (room.state === 'removed') {
    return (
      <Notice
        heading="You were removed from this session"
        text="The facilitator removed you, so your votes no longer count. Ask them if you think this was a mistake."
      />
    );
  }
  return <GuestRoom room={room} />;
}
