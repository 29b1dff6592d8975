import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { GoalRiskHistory } from '~/components/sprints/goal-risk';
import { AppError } from '~/domain/errors';
import type { ReportItem } from '~/domain/review-report';
import { requireUser } from '~/services/auth.server';
import { loadSprint } from '~/services/sprints/common.server';
import { goalRiskHistory } from '~/services/sprints/goal-risk.server';
import { reviewReport } from '~/services/sprints/view.server';
import { formatCalendarRange } from '~/utils/dates';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Review report: ${data.sprint.name} · Refinery` : 'Review report · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const report = await orRespond(reviewReport(context.app.db, params.sprintId ?? '', user.id));
  // The report belongs to the product in the path; anything else is not found.
  const sprint = await loadSprint(context.app.db, report.sprint.id);
  if (sprint.productId !== params.productId)
    await orRespond(Promise.reject(new AppError('not_found', 'No such sprint')));
  // When the goal was said at risk during the sprint, what the product owner did, and whether it came back on track.
  return { ...report, goalRiskHistory: await goalRiskHistory(context.app.db, sprint.id) };
}

const mark = (met: boolean | null) =>
  met === true ? '✓ met' : met === false ? '✗ not met' : '– not checked';

function Items({ items, empty }: { items: ReportItem[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain-list stack">
      {items.map((i) => (
        <li key={i.id} className="card">
          <h4>
            {i.title} <span className="muted">· {i.points ?? '–'} points</span>
          </h4>
          <ul className="checklist">
            {i.lines.map((l) => (
              <li key={l.line}>
                <span
                  className={`badge${l.met === true ? ' badge-ok' : l.met === false ? ' badge-warn' : ''}`}
                >
                  {mark(l.met)}
                </span>{' '}
                {l.label}
                {l.feedback ? <p className="hint">Needed: {l.feedback}</p> : null}
              </li>
            ))}
          </ul>
          {i.note ? <p>Note: {i.note}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/** The read-only review report, shareable by link with everyone in the product, and its Markdown export. */
export default function ReviewReportPage() {
  const r = useLoaderData<typeof loader>();
  const productId = useParams().productId ?? '';
  const s = r.sprint;
  return (
    <article aria-labelledby="report-title" className="stack">
      <p className="breadcrumb">
        <Link to={`/products/${productId}/sprints/${s.id}`}>{s.name}</Link>
      </p>
      <h2 id="report-title">Sprint review: {s.name}</h2>
      <p>
        {formatCalendarRange(s.startDate, s.endDate)} ·{' '}
        <a href={`/products/${productId}/sprints/${s.id}/report.md`}>Download as Markdown</a>
      </p>
      <p>
        <strong>Sprint goal:</strong> {s.goal || <span className="muted">none written</span>}
      </p>
      <p>
        <strong>
          {s.goalMet === null ? 'Goal not decided yet.' : s.goalMet ? 'Goal met.' : 'Goal not met.'}
        </strong>{' '}
        {s.goalNote}
      </p>
      <GoalRiskHistory history={r.goalRiskHistory} />
      <p>
        <strong>Velocity:</strong> {r.velocity} accepted points of {r.committedPoints} committed.
      </p>
      <section aria-labelledby="accepted-title" className="stack">
        <h3 id="accepted-title">Accepted ({r.accepted.length})</h3>
        <Items items={r.accepted} empty="None." />
      </section>
      <section aria-labelledby="rejected-title" className="stack">
        <h3 id="rejected-title">Rejected ({r.rejected.length})</h3>
        <Items items={r.rejected} empty="None." />
      </section>
      {r.awaiting.length > 0 ? (
        <section aria-labelledby="awaiting-title" className="stack">
          <h3 id="awaiting-title">Done, not yet reviewed ({r.awaiting.length})</h3>
          <Items items={r.awaiting} empty="None." />
        </section>
      ) : null}
      <section aria-labelledby="unfinished-title" className="stack">
        <h3 id="unfinished-title">Unfinished ({r.unfinished.length})</h3>
        {r.unfinished.length === 0 ? <p className="muted">None.</p> : null}
        <ul>
          {r.unfinished.map((i) => (
            <li key={i.id}>
              {i.title} ({i.points ?? '–'} points):{' '}
              {i.unfinishedDecision === 'backlog'
                ? 'back to the backlog'
                : i.unfinishedDecision === 'next_sprint'
                  ? `into ${i.nextSprintName ?? 'the next sprint'}`
                  : 'not decided yet'}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="feedback-title" className="stack">
        <h3 id="feedback-title">Feedback ({r.feedback.length})</h3>
        {r.feedback.length === 0 ? <p className="muted">None.</p> : null}
        <ul>
          {r.feedback.map((f) => (
            <li key={f.id}>
              <strong>{f.author}</strong>
              {f.itemTitle ? ` on ${f.itemTitle}` : ''}: {f.text}
              {f.createdItem ? (
                <>
                  {' '}
                  → new backlog item{' '}
                  <Link to={`/products/${productId}/items/${f.createdItem.id}`}>{f.createdItem.title}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
