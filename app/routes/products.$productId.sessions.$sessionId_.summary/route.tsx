import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { statusLabels } from '~/components/backlog/labels';
import { ResultsPanel } from '~/components/prioritisation/results-panel';
import { ThreeAmigosRecord } from '~/components/session/three-amigos-summary';
import { describeAppliedOrder } from '~/domain/order-proposals';
import { requireUser } from '~/services/auth.server';
import prioritisationStylesHref from '~/styles/prioritisation.css?url';
import stylesHref from '~/styles/session-room.css?url';
import { timeZoneOf } from '~/utils/client-hints';
import { orRespond } from '~/utils/route-errors.server';
import { prioritisationSummary } from './prioritisation-summary.server';
import { loadSummary } from './summary-page.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'stylesheet', href: prioritisationStylesHref },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Summary of ${data.title} · Refinery` : 'Session summary · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const timeZone = timeZoneOf(request);
  const summary = await orRespond(
    loadSummary(context, params.productId ?? '', params.sessionId ?? '', user.id, timeZone),
  );
  return {
    ...summary,
    prioritisation: await prioritisationSummary(context, params.sessionId ?? '', user.id, timeZone),
  };
}

type Prioritisation = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['prioritisation']>;

/** A prioritisation session's results, their downloads, and the orders applied from them with their reasons. */
function PrioritisationSummary({ room, data }: { room: string; data: Prioritisation }) {
  return (
    <section aria-labelledby="summary-results-title" className="stack">
      <div className="panel-heading">
        <h3 id="summary-results-title">Prioritisation results</h3>
        {data.results ? (
          <p className="button-row">
            <a className="button button-small button-secondary" href={`${room}/results.csv`} download>
              Results per item (CSV)
            </a>
            {data.anonymous ? null : (
              <a
                className="button button-small button-secondary"
                href={`${room}/results.csv?per=participant`}
                download
              >
                Results per participant (CSV)
              </a>
            )}
            <a className="button button-small button-secondary" href={`${room}/results.md`} download>
              Results (Markdown)
            </a>
          </p>
        ) : null}
      </div>
      {data.results ? (
        <ResultsPanel results={data.results} methods={data.methods} />
      ) : (
        <p className="muted">The results were not revealed, so they stay secret.</p>
      )}
      <section aria-labelledby="summary-applied-title" className="card">
        <h3 id="summary-applied-title">Orders applied from this session</h3>
        {data.applied.length === 0 ? (
          <p className="muted">The product owner has not applied an order from this session.</p>
        ) : (
          <ul className="applied-orders">
            {data.applied.map((d) => (
              <li key={d.id}>
                {describeAppliedOrder(d.actor, d)}, {d.when}: <q>{d.reason}</q>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

const points = (n: number | null) => (n === null ? '–' : String(n));
const status = (s: string) => (s in statusLabels ? statusLabels[s as keyof typeof statusLabels] : s);

/** What the session changed: estimates, readiness, new stories, open questions, and who took part. */
export default function SessionSummaryPage() {
  const summary = useLoaderData<typeof loader>();
  const { productId = '', sessionId = '' } = useParams();
  const room = `/products/${productId}/sessions/${sessionId}`;
  const estimated = summary.items.filter((i) => i.estimateBefore !== i.estimateAfter).length;
  const ready = summary.items.filter((i) => i.ready).length;
  return (
    <article className="stack session-summary" aria-labelledby="summary-title">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/products/${productId}/sessions`}>Sessions</Link> <span aria-hidden="true">›</span>{' '}
        <Link to={room}>{summary.title}</Link>
      </nav>
      <header className="summary-header">
        <div>
          <p className="room-eyebrow">{summary.kind} · summary</p>
          <h2 id="summary-title">{summary.title}</h2>
          <p className="muted">
            Facilitated by {summary.facilitator}.{' '}
            {summary.startedAt
              ? `Started ${summary.startedAt}${summary.endedAt ? `, ended ${summary.endedAt}.` : '; still running.'}`
              : 'Not started yet.'}
          </p>
        </div>
        <div className="button-row">
          <a className="button" href={`${room}/summary.md`} download>
            Download as Markdown
          </a>
          <Link className="button button-secondary" to={room}>
            {summary.endedAt ? 'Back to the room' : 'Open the room'}
          </Link>
        </div>
      </header>
      {summary.prioritisation ? <PrioritisationSummary room={room} data={summary.prioritisation} /> : null}
      {summary.threeAmigos ? <ThreeAmigosRecord data={summary.threeAmigos} /> : null}
      {summary.endedAt ? null : (
        <p className="alert" role="status">
          This session has not ended yet: the summary shows it as it stands now.
        </p>
      )}
      <div className="summary-grid">
        <div className="stack">
          {summary.prioritisation ? null : (
            <section aria-labelledby="summary-items-title" className="card">
              <div className="panel-heading">
                <h3 id="summary-items-title">Items</h3>
                <p className="muted">
                  {summary.items.length === 0
                    ? 'The agenda was empty.'
                    : `${estimated} estimated or re-estimated · ${ready} of ${summary.items.length} ready`}
                </p>
              </div>
              {summary.items.length === 0 ? null : (
                <div className="table-scroll">
                  <table className="table summary-table">
                    <caption className="visually-hidden">
                      Agenda items: estimate before and after, readiness, poker rounds and status
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Item</th>
                        <th scope="col">Estimate</th>
                        <th scope="col">Ready</th>
                        <th scope="col">Poker rounds</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {summary.items.map((item, i) => {
                        const changed = item.estimateBefore !== item.estimateAfter;
                        return (
                          // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no item ids; its order is fixed
                          <tr key={i}>
                            <td className="title-cell">{item.title}</td>
                            <td className="estimate-change">
                              {changed ? (
                                <>
                                  {points(item.estimateBefore)} <span aria-hidden="true">→ </span>
                                  <span className="visually-hidden">changed to </span>
                                  {points(item.estimateAfter)}
                                </>
                              ) : (
                                points(item.estimateAfter)
                              )}
                            </td>
                            <td className={item.ready ? 'readiness-ok' : 'readiness-warn'}>
                              {item.ready ? 'Ready' : `Not ready (${item.readyMet}/${item.readyTotal})`}
                            </td>
                            <td>
                              {item.rounds}
                              {item.lastTally ? (
                                <span className="muted">
                                  {' '}
                                  · median {item.lastTally.median ?? '–'}
                                  {item.lastTally.wideSpread ? ', wide spread' : ''}
                                </span>
                              ) : null}
                            </td>
                            <td>{status(item.status)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          )}
          <section aria-labelledby="summary-new-title" className="card">
            <h3 id="summary-new-title">New stories</h3>
            {summary.newStories.length === 0 ? (
              <p className="muted">No new stories.</p>
            ) : (
              <ul className="summary-list">
                {summary.newStories.map((story, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no item ids; its order is fixed
                  <li key={i}>
                    {story.title}
                    {story.parentTitle ? (
                      <span className="muted"> (split from {story.parentTitle})</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <div className="stack">
          {summary.threeAmigos ? null : (
            <section aria-labelledby="summary-questions-title" className="card">
              <h3 id="summary-questions-title">Open questions</h3>
              {summary.openQuestions.length === 0 ? (
                <p className="muted">
                  {summary.resolvedQuestions > 0
                    ? `None left (${summary.resolvedQuestions} answered).`
                    : 'None.'}
                </p>
              ) : (
                <ul className="summary-list">
                  {summary.openQuestions.map((q, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no note ids; its order is fixed
                    <li key={i}>
                      <span className="prewrap">{q.text}</span>
                      <span className="muted">
                        {' '}
                        — {q.author}
                        {q.itemTitle ? `, on “${q.itemTitle}”` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {summary.openQuestions.length > 0 && summary.resolvedQuestions > 0 ? (
                <p className="muted">{summary.resolvedQuestions} answered in the session.</p>
              ) : null}
            </section>
          )}
          <section aria-labelledby="summary-people-title" className="card">
            <h3 id="summary-people-title">Who took part</h3>
            {summary.participants.length === 0 ? (
              <p className="muted">Nobody joined.</p>
            ) : (
              <ul className="summary-list">
                {summary.participants.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no participant ids; its order is fixed
                  <li key={i}>
                    {p.name}
                    {p.spectator ? <span className="muted"> (watching)</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}
