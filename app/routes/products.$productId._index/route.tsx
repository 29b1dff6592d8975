import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { backlogChangeMatters, useLiveBacklog } from '~/collab/use-live-backlog';
import { BacklogFilters } from '~/components/backlog/backlog-filters';
import { BacklogList } from '~/components/backlog/backlog-list';
import { EmptyBacklog } from '~/components/backlog/empty-backlog';
import { LiveIndicator } from '~/components/backlog/live-status';
import { NewItemForm } from '~/components/backlog/new-item-form';
import { useBacklogMoves } from '~/components/backlog/use-backlog-moves';
import { useBacklogRows } from '~/components/backlog/use-backlog-rows';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';
import { loadBacklogPage, runBacklogForm } from './backlog-page.server';

export const meta: MetaFunction = ({ matches }) => {
  const product = matches.find((m) => m.id === 'routes/products.$productId')?.data as
    | { product?: { name: string } }
    | undefined;
  return [
    { title: product?.product ? `Backlog · ${product.product.name} · Refinery` : 'Backlog · Refinery' },
  ];
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(loadBacklogPage(context, params.productId ?? '', user.id, new URL(request.url)));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return runBacklogForm(context, params.productId ?? '', user.id, await request.formData());
}

export default function Backlog() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  const live = useLiveBacklog(productId, page.loadedAt, (change) => backlogChangeMatters(change, page.query));
  const backlog = useBacklogRows(productId, page);
  const { rows, move, message } = useBacklogMoves(backlog.rows, backlog);
  const archivedView = page.query.status === 'archived';
  const movable = page.mayOrder && !page.query.group && !archivedView;
  const { total, points } = backlog;
  // A backlog with nothing in it yet (not one emptied by filters): say what it is for and how to fill it.
  const firstRun = total === 0 && !page.filtered;
  return (
    <section aria-labelledby="backlog-title" className="stack backlog-wide">
      <div className="section-heading">
        <h2 id="backlog-title">{archivedView ? 'Archived items' : 'Product backlog'}</h2>
        <p className="muted">
          {page.filtered ? `${total} of the backlog's items match` : `${total} items`} · {points} points
          estimated
        </p>
        <LiveIndicator status={live} />
      </div>
      {firstRun ? (
        <EmptyBacklog productId={productId} mayEdit={page.mayEdit} />
      ) : (
        <>
          <p className="hint">
            {page.forecast.range
              ? `Forecast: the sprints in which each item is expected, from the velocity of the last ${page.forecast.range.sprints} sprints (${page.forecast.range.lowest} to ${page.forecast.range.highest} points) and the points above it. ≥: unestimated items above, so it may be later.`
              : `Forecasts appear once three sprints are closed (${page.forecast.velocities} so far).`}
          </p>
          <BacklogFilters query={page.query} epics={page.epics} labels={page.labels} />
        </>
      )}
      {page.filterError ? (
        <p className="alert alert-error" role="alert">
          {page.filterError}
        </p>
      ) : null}
      {page.mayEdit ? <NewItemForm productId={productId} reply={reply} startOpen={firstRun} /> : null}
      {page.mayOrder && !firstRun ? (
        <p className="hint" id="move-help">
          {movable
            ? 'Drag a row, or use its Move button. With a row focused: Alt+↑ or Alt+↓ moves it one place, Alt+Home to the top, Alt+End to the bottom.'
            : archivedView
              ? 'Archived items are out of the order. Open one to restore it.'
              : 'Switch off “Group by epic” to reorder the backlog.'}
        </p>
      ) : null}
      <p className="move-status" role="status">
        {message?.kind === 'status' ? message.text : ''}
      </p>
      <div role="alert" className="move-error">
        {message?.kind === 'error' ? <p className="alert alert-error">{message.text}</p> : null}
      </div>
      {backlog.error ? (
        <p className="alert alert-error" role="alert">
          {backlog.error}
        </p>
      ) : null}
      {firstRun ? null : total === 0 ? (
        <div className="empty-state">
          <p>
            No items match these filters. <Link to=".">Show the whole backlog</Link>
          </p>
        </div>
      ) : (
        <BacklogList
          productId={productId}
          rows={rows}
          total={total}
          groupSizes={page.groupSizes}
          epics={page.epics}
          grouped={page.query.group}
          movable={movable}
          onMove={move}
        />
      )}
    </section>
  );
}
