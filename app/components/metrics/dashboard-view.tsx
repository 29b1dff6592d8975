import { GoalRiskBanner, GoalRiskHistory } from '~/components/sprints/goal-risk';
import type { DashboardData } from '~/services/metrics/dashboard.server';
import { formatCalendarDate, formatCalendarRange } from '~/utils/dates';
import { BurndownChart } from './burndown-chart';
import { VelocityChart } from './velocity-chart';

/**
 * The stakeholder dashboard: read-only, the same for members and for share-link visitors. `csvHref` builds the
 * download link of one chart's data.
 */
export function DashboardView({
  data,
  csvHref,
}: {
  data: DashboardData;
  csvHref: (chart: 'velocity' | 'burndown' | 'forecast') => string;
}) {
  const { sprint } = data;
  const done = sprint?.burndown.days.findLast((d) => d.remaining !== null);
  return (
    <div className="stack dashboard">
      <section aria-labelledby="dashboard-sprint" className="card stack">
        <h2 id="dashboard-sprint">
          {sprint
            ? sprint.state === 'active'
              ? `Now: ${sprint.name}`
              : `Last sprint: ${sprint.name}`
            : 'No sprint yet'}
        </h2>
        {sprint ? (
          <>
            <p className="sprint-goal">
              <strong>Sprint goal:</strong> {sprint.goal || <span className="muted">no goal written</span>}
            </p>
            <p className="muted">
              {formatCalendarRange(sprint.startDate, sprint.endDate)} · {sprint.doneCount} of{' '}
              {sprint.committedCount} items done ·{' '}
              {done
                ? `${done.remaining} of ${sprint.burndown.committed} committed points remaining`
                : 'not started yet'}
              {sprint.state === 'closed'
                ? ` · goal ${sprint.goalMet === true ? 'met' : sprint.goalMet === false ? 'not met' : 'not judged'}`
                : ''}
            </p>
            {sprint.goalRisk ? (
              <>
                <GoalRiskBanner data={sprint.goalRisk} />
                <GoalRiskHistory history={sprint.goalRisk.history} headingLevel={3} />
              </>
            ) : null}
          </>
        ) : (
          <p className="muted">
            Progress, burndown and forecasts appear here once the team runs its first sprint.
          </p>
        )}
      </section>
      <div className="chart-grid">
        {sprint ? (
          <BurndownChart
            title={`Burndown: ${sprint.name}`}
            burndown={sprint.burndown}
            csvHref={csvHref('burndown')}
          />
        ) : null}
        <VelocityChart
          sprints={data.velocity.sprints}
          range={data.velocity.range}
          csvHref={csvHref('velocity')}
        />
      </div>
      <section aria-labelledby="dashboard-forecast" className="card stack">
        <div className="row-heading">
          <h2 id="dashboard-forecast">When will it be done?</h2>
          <a href={csvHref('forecast')} download>
            Download the forecasts (CSV)
          </a>
        </div>
        <p className="muted">
          Ranges from the lowest, average and highest velocity of recent sprints and the work above each item
          in the backlog order.
        </p>
        {data.forecasts.length === 0 ? (
          <p className="muted">No open items to forecast.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Forecast</th>
                <th scope="col">Dates</th>
              </tr>
            </thead>
            <tbody>
              {data.forecasts.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    {f.title} {f.type === 'epic' ? <span className="badge">Epic</span> : null}
                  </th>
                  <td>{f.label}</td>
                  <td>
                    {f.from
                      ? f.to
                        ? formatCalendarRange(f.from, f.to)
                        : `${formatCalendarDate(f.from)} – open`
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="dashboard-reviews" className="card stack">
        <h2 id="dashboard-reviews">Recent reviews</h2>
        {data.reviews.length === 0 ? (
          <p className="muted">No sprint has been reviewed yet.</p>
        ) : (
          data.reviews.map((review) => (
            <div key={review.sprint} className="stack">
              <h3>
                {review.sprint}:{' '}
                {review.goalMet === true
                  ? 'goal met'
                  : review.goalMet === false
                    ? 'goal not met'
                    : 'goal not judged'}
              </h3>
              {review.goal ? <p className="muted">Goal: {review.goal}</p> : null}
              {review.goalNote ? <p className="review-note">{review.goalNote}</p> : null}
              <ul className="plain-list">
                {review.items.map((item) => (
                  <li key={`${review.sprint}-${item.title}`} className="review-outcome">
                    <div className="row">
                      <span>{item.title}</span>
                      <span className={item.outcome === 'accepted' ? 'badge badge-ok' : 'badge badge-warn'}>
                        {item.outcome === 'accepted' ? `Accepted · ${item.points ?? 0} pts` : 'Rejected'}
                      </span>
                    </div>
                    {item.note ? <p className="review-note">{item.note}</p> : null}
                    {item.needed.length > 0 ? (
                      <ul className="review-needed" aria-label={`What “${item.title}” still needs`}>
                        {item.needed.map((n) => (
                          <li key={n.label}>
                            <span className="muted">{n.label}:</span> {n.feedback || 'not met'}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </section>
    </div>
  );
}
