import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listBacklog } from '~/services/backlog.server';
import { requireUser } from '~/services/session.server';
import { orRespond } from '~/utils/route-errors.server';

const typeLabels = { epic: 'Epic', story: 'Story', bug: 'Bug', tech_debt: 'Tech debt', spike: 'Spike' } as const;
const statusLabels = {
  new: 'New',
  refined: 'Refined',
  ready: 'Ready',
  in_sprint: 'In sprint',
  done: 'Done',
  accepted: 'Accepted',
  rejected: 'Rejected',
  archived: 'Archived',
} as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { items: await orRespond(listBacklog(context.app.db, params.productId ?? '', user.id)) };
}

export default function Backlog() {
  const { items } = useLoaderData<typeof loader>();
  const points = items.reduce((sum, i) => sum + (i.estimate ?? 0), 0);
  return (
    <section aria-labelledby="backlog-title" className="stack">
      <div className="section-heading">
        <h2 id="backlog-title">Product backlog</h2>
        <p className="muted">
          {items.length} items · {points} points estimated
        </p>
      </div>
      {items.length === 0 ? (
        <div className="empty-state">
          <p>The backlog is empty.</p>
        </div>
      ) : (
        <ol className="backlog" aria-label="Backlog in priority order">
          {items.map((item, index) => (
            <li key={item.id} className={`backlog-item item-${item.type}${item.parentId ? ' child' : ''}`}>
              <span className="rank">
                <span className="visually-hidden">Position </span>
                {index + 1}
              </span>
              <span className={`type type-${item.type}`}>{typeLabels[item.type]}</span>
              <span className="title">{item.title}</span>
              <span className={`status status-${item.status}`}>{statusLabels[item.status]}</span>
              <span className="estimate" title="Estimate in story points">
                {item.estimate ?? '–'}
                <span className="visually-hidden"> points</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
