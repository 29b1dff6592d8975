import type { SerializeFrom } from '@remix-run/node';
import { Link } from '@remix-run/react';
import type { loader } from '~/routes/products.$productId.sprints._index';
import { formatCalendarRange } from '~/utils/dates';

/** A row as the Sprints page's loader sends it (its type follows the loader, never a copy). */
export type SprintListRow = SerializeFrom<typeof loader>['sprints'][number];

export const sprintStateLabels = { planned: 'Planned', active: 'Running', closed: 'Closed' } as const;

/** The product's sprints, newest first, with commitment, accepted points (velocity) and outcomes. */
export function SprintList({ productId, sprints }: { productId: string; sprints: SprintListRow[] }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Sprints of this product, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Sprint</th>
            <th scope="col">Dates</th>
            <th scope="col">State</th>
            <th scope="col">Goal</th>
            <th scope="col" className="num">
              Committed
            </th>
            <th scope="col" className="num">
              Accepted (velocity)
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
            <th scope="col">
              <span className="visually-hidden">Report</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sprints.map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={`/products/${productId}/sprints/${s.id}`}>{s.name}</Link>
              </td>
              <td>{formatCalendarRange(s.startDate, s.endDate)}</td>
              <td>
                <span className={`badge${s.state === 'active' ? ' badge-ok' : ''}`}>
                  {sprintStateLabels[s.state]}
                </span>
              </td>
              <td>
                {s.goal || <span className="muted">No goal written</span>}
                {s.goalMet !== null ? (
                  <span className="muted"> · {s.goalMet ? 'goal met' : 'goal not met'}</span>
                ) : null}
              </td>
              <td className="num">{s.committedPoints}</td>
              <td className="num">
                {s.state === 'closed' ? s.velocity : <span className="muted">{s.velocity}</span>}
              </td>
              <td className="num">{s.rejected}</td>
              <td>
                {s.state !== 'planned' ? (
                  <Link to={`/products/${productId}/sprints/${s.id}/report`}>Report</Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
