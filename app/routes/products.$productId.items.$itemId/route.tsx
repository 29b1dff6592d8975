import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams, useRouteLoaderData } from '@remix-run/react';
import { ArchiveSection } from '~/components/backlog/archive-section';
import { CriteriaSection, useLiveCriteria } from '~/components/backlog/criteria-section';
import { DecisionList } from '~/components/backlog/decision-list';
import { DependenciesSection } from '~/components/backlog/dependencies-section';
import { ItemForm } from '~/components/backlog/item-form';
import { ItemView } from '~/components/backlog/item-view';
import { statusLabels, typeLabels } from '~/components/backlog/labels';
import { LiveItemText, liveTextStylesHref } from '~/components/live-text/live-item-text';
import { ItemReviewFeedback } from '~/components/review/item-review-feedback';
import { threeAmigosLine } from '~/domain/three-amigos';
import type { loader as rootLoader } from '~/root';
import { requireUser } from '~/services/auth.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatCalendarDate, formatDate } from '~/utils/dates';
import { orRespond } from '~/utils/route-errors.server';
import { loadItemPage, runItemCommand } from './item-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: liveTextStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.item.title} · Refinery` : 'Backlog item · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(
    loadItemPage(context, params.productId ?? '', params.itemId ?? '', user.id, new URL(request.url)),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return runItemCommand(
    context,
    params.productId ?? '',
    params.itemId ?? '',
    user.id,
    await request.formData(),
  );
}

export default function ItemPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { productId = '' } = useParams();
  const { item } = page;
  const timeZone = useTimeZone();
  const viewer = useRouteLoaderData<typeof rootLoader>('root')?.user;
  const epic = page.epics.find((e) => e.id === item.parentId) ?? null;
  // The criteria list follows the live text, as the editor above it does.
  const criteria = useLiveCriteria(item.id, { source: item.criteria, scenarios: page.scenarios });
  return (
    <article aria-labelledby="item-title" className="stack item-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/products/${productId}`}>Backlog</Link>
        {epic ? (
          <>
            {' '}
            <span aria-hidden="true">›</span>{' '}
            <Link to={`/products/${productId}/items/${epic.id}`}>{epic.title}</Link>
          </>
        ) : null}
      </nav>
      <header className="item-header">
        <h2 id="item-title">{item.title}</h2>
        <p className="item-meta">
          <span className={`type type-${item.type}`}>{typeLabels[item.type]}</span>
          <span className="badge">{statusLabels[item.status]}</span>
          <span>
            {page.position ? `Position ${page.position} in the backlog` : 'Out of the order (archived)'}
          </span>
          <span>
            WSJF <strong>{item.wsjf ?? '–'}</strong>
          </span>
          {page.forecast ? (
            <span
              title={
                page.forecast.from
                  ? `${formatCalendarDate(page.forecast.from)} to ${page.forecast.to ? formatCalendarDate(page.forecast.to) : 'open'}`
                  : undefined
              }
            >
              Forecast: {page.forecast.label}
            </span>
          ) : null}
          <span>
            Definition of Ready: {page.readiness.met} of {page.readiness.total}
            {page.readiness.blockedByDependencies ? ', blocked' : ''}
          </span>
          {page.requestedBy ? (
            <span>
              Requested by {page.requestedBy.requesterName} on{' '}
              {new Date(page.requestedBy.createdAt).toLocaleDateString('en-GB', {
                day: 'numeric',
                month: 'short',
                year: 'numeric',
              })}
            </span>
          ) : null}
          <span data-testid="three-amigos-readiness">
            {page.threeAmigos ? (
              <>
                {threeAmigosLine(page.threeAmigos, (at) => formatDate(at, timeZone))}{' '}
                {page.threeAmigos.sessionId ? (
                  <Link to={`/products/${productId}/sessions/${page.threeAmigos.sessionId}`}>
                    (the session)
                  </Link>
                ) : null}
              </>
            ) : (
              threeAmigosLine(null, String)
            )}
          </span>
          {page.jira ? (
            <span>
              Jira{' '}
              <a href={page.jira.url} rel="noreferrer noopener" target="_blank">
                {page.jira.issueKey}
              </a>
              {page.jira.status ? ` · ${page.jira.status}` : ''}
              {page.jira.priority ? ` · ${page.jira.priority} priority` : ''}
              {page.jira.textWaiting ? ' · Jira’s newer text waits until the refinement moves on' : ''}
            </span>
          ) : null}
        </p>
      </header>
      <div className="item-layout">
        <div className="stack">
          <ItemReviewFeedback entries={page.reviewFeedback} />
          {viewer ? (
            <div className="card">
              <LiveItemText
                key={item.id}
                itemId={item.id}
                productId={productId}
                user={{ id: viewer.id, name: viewer.displayName }}
                editable={page.mayEdit}
                initial={{ description: item.description, criteria: item.criteria }}
                onCriteriaParsed={criteria.onParsed}
              />
            </div>
          ) : null}
          {page.mayEdit ? (
            <div className="card">
              <ItemForm
                // A save (or anyone's change) shows the saved values; a refusal keeps what was typed.
                key={String(item.updatedAt)}
                item={item}
                epics={page.epics}
                checklist={page.definitionOfReady}
                readiness={page.readiness}
                mayOverride={page.mayOrder}
                mayDecide={page.mayDecide}
                reply={reply}
                liveText={Boolean(viewer)}
              />
            </div>
          ) : (
            <ItemView
              item={item}
              epicTitle={epic?.title ?? null}
              checklist={page.definitionOfReady}
              readiness={page.readiness}
              liveText={Boolean(viewer)}
            />
          )}
          <CriteriaSection
            source={criteria.source}
            scenarios={criteria.scenarios}
            liveInvalid={criteria.invalid}
            mayEdit={page.mayEdit}
            featureHref={`/products/${productId}/items/${item.id}/feature`}
            reply={reply}
            liveText={Boolean(viewer)}
          />
        </div>
        <div className="stack">
          <DependenciesSection
            blockedBy={page.blockedBy}
            blocks={page.blocks}
            mayEdit={page.mayEdit}
            find={page.find}
            findIn={page.findIn}
            candidates={page.candidates}
            reply={reply}
          />
          {page.mayOrder ? (
            <ArchiveSection archived={item.status === 'archived'} title={item.title} reply={reply} />
          ) : null}
          <section aria-labelledby="item-log-title" className="card stack">
            <h2 id="item-log-title">Decision log</h2>
            <DecisionList
              entries={page.decisions}
              titles={page.titles}
              label={`Decisions about “${item.title}”`}
            />
            <p>
              <Link to={`/products/${productId}/decisions`}>The product’s whole decision log</Link>
            </p>
          </section>
        </div>
      </div>
    </article>
  );
}
