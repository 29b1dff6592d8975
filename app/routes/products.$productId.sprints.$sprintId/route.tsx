import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useLiveBacklog } from '~/collab/use-live-backlog';
import { CopyField } from '~/components/copy-field';
import { ReviewBoard } from '~/components/review/review-board';
import { GoalRiskBanner, GoalRiskHistory } from '~/components/sprints/goal-risk';
import { sprintStateLabels } from '~/components/sprints/sprint-list';
import { SprintPlanning } from '~/components/sprints/sprint-planning';
import { requireUser } from '~/services/auth.server';
import { runSprintForm } from '~/services/sprints/forms.server';
import stylesHref from '~/styles/session-room.css?url';
import { timeZoneOf } from '~/utils/client-hints';
import { formatCalendarRange } from '~/utils/dates';
import { orRespond } from '~/utils/route-errors.server';
import { loadSprintPage, shareOrigin } from './sprint-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: page ? `${page.sprint.name} · Sprints · Refinery` : 'Sprint · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(
    loadSprintPage(
      context.app.db,
      params.productId ?? '',
      params.sprintId ?? '',
      user.id,
      shareOrigin(request, context.app.config.PUBLIC_URL),
      timeZoneOf(request),
    ),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const outcome = await runSprintForm(
    context.app,
    productId,
    params.sprintId ?? '',
    user.id,
    await request.formData(),
  );
  if (outcome.reply.command === 'startReview' && outcome.sessionId)
    return redirect(`/products/${productId}/sessions/${outcome.sessionId}`);
  return data(outcome.reply, { status: outcome.status });
}

export default function SprintPage() {
  const page = useLoaderData<typeof loader>();
  const productId = useParams().productId ?? '';
  // Done toggles, pulls and outcomes from other browsers announce a backlog change: reload then.
  useLiveBacklog(productId, page.loadedAt);
  const action = `/products/${productId}/sprints/${page.sprint.id}`;
  const { sprint } = page;
  return (
    <section aria-labelledby="sprint-title" className="stack">
      <p className="breadcrumb">
        <Link to={`/products/${productId}/sprints`}>Sprints</Link>
      </p>
      <div className="section-heading">
        <h2 id="sprint-title">
          {sprint.name} <span className="badge">{sprintStateLabels[sprint.state]}</span>
        </h2>
        <p>
          {formatCalendarRange(sprint.startDate, sprint.endDate)}
          {sprint.capacity !== null ? ` · capacity ${sprint.capacity} points` : ''}
        </p>
        <p>
          <strong>Goal:</strong> {sprint.goal || <span className="muted">none written</span>}
        </p>
        {sprint.state === 'closed' ? (
          <p>
            <strong>{sprint.goalMet ? 'Goal met.' : 'Goal not met.'}</strong> {sprint.goalNote} · Velocity{' '}
            {page.velocity} points · <Link to={`${action}/report`}>Review report</Link>
          </p>
        ) : null}
      </div>
      <GoalRiskBanner data={page.goalRisk} action={action} />
      <GoalRiskHistory history={page.goalRisk.history} />
      {sprint.state !== 'closed' ? <SprintPlanning data={page} action={action} /> : null}
      {page.review ? (
        <section aria-labelledby="review-title" className="stack">
          <h2 id="review-title">Review</h2>
          <p>
            <Link to={`/products/${productId}/sessions/${page.review.sessionId}`}>
              {page.review.ended ? 'The review session' : 'Open the review room'}
            </Link>
          </p>
          {page.joinUrl && !page.review.ended ? (
            <CopyField label="Guest link for the review" value={page.joinUrl} />
          ) : null}
          <ReviewBoard data={page} action={action} currentItemId={null} nextSprints={page.nextSprints} />
        </section>
      ) : null}
    </section>
  );
}
