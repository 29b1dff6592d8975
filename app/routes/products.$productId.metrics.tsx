import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { BacklogStability } from '~/components/metrics/backlog-stability';
import { BurndownChart } from '~/components/metrics/burndown-chart';
import { BurnupChart } from '~/components/metrics/burnup-chart';
import { ChartPicker } from '~/components/metrics/chart-picker';
import { VelocityChart } from '~/components/metrics/velocity-chart';
import { debtStatusLabels } from '~/domain/debt-share';
import { percent } from '~/domain/quality-metrics';
import { requireUser } from '~/services/auth.server';
import { computeEpicBurnup, computeSprintBurndown } from '~/services/metrics/burndown.server';
import { dashboardCandidates } from '~/services/metrics/dashboard.server';
import { computeDebtShareHistory } from '~/services/metrics/debt-share.server';
import { sprintHistory } from '~/services/metrics/history.server';
import { computeQualityMetrics } from '~/services/metrics/quality.server';
import { backlogStabilityReport } from '~/services/metrics/stability.server';
import { getProduct } from '~/services/products.server';
import { timeZoneOf } from '~/utils/client-hints';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Metrics · Refinery' }];

/**
 * Velocity, a sprint's burndown (the running one unless another is picked), an epic's burn-up, the PO's quality
 * numbers and how much the backlog order moved each week.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = context.app.db;
  const productId = params.productId ?? '';
  await orRespond(getProduct(db, productId, user.id));
  const search = new URL(request.url).searchParams;
  const history = await sprintHistory(db, productId);
  const started = history.sprints.filter((s) => s.state !== 'planned');
  const chosen =
    started.find((s) => s.id === search.get('sprint')) ?? history.running ?? started.at(-1) ?? null;
  const timeZone = timeZoneOf(request);
  const [burndown, quality, epics, stability, debt] = await Promise.all([
    chosen ? computeSprintBurndown(db, { ...chosen, productId }, new Date(), timeZone) : null,
    computeQualityMetrics(db, productId),
    dashboardCandidates(db, productId, 100).then((items) => items.filter((i) => i.type === 'epic')),
    backlogStabilityReport(db, productId, user.id, { timeZone }),
    computeDebtShareHistory(db, productId),
  ]);
  const epic = epics.find((e) => e.id === search.get('epic')) ?? epics[0] ?? null;
  return {
    productId,
    velocity: history.sprints
      .filter((s) => s.state === 'closed')
      .map((s) => ({ name: s.name, accepted: s.accepted })),
    range: history.range,
    sprints: started.map((s) => ({ id: s.id, name: s.name, state: s.state })).reverse(),
    chosen: chosen ? { id: chosen.id, name: chosen.name } : null,
    burndown,
    quality,
    debt,
    epics,
    epic,
    burnup: epic ? await computeEpicBurnup(db, { id: epic.id, productId }) : [],
    stability,
  };
}

export default function Metrics() {
  const {
    productId,
    velocity,
    range,
    sprints,
    chosen,
    burndown,
    quality,
    debt,
    epics,
    epic,
    burnup,
    stability,
  } = useLoaderData<typeof loader>();
  const base = `/products/${productId}/charts`;
  return (
    <div className="stack">
      <section aria-labelledby="quality-title" className="stack">
        <div className="row-heading">
          <h2 id="quality-title">Your quality numbers</h2>
          <a href={`${base}/quality.csv`} download>
            Download per sprint (CSV)
          </a>
        </div>
        <dl className="metric-tiles">
          <div>
            <dt>Review rejection rate</dt>
            <dd>
              {percent(quality.overall.rejectionRate)}
              <small>of reviewed items, all closed sprints</small>
            </dd>
          </div>
          <div>
            <dt>Entered a sprint not ready</dt>
            <dd>
              {percent(quality.overall.notReadyShare)}
              <small>of committed items</small>
            </dd>
          </div>
          <div>
            <dt>Estimate spread at poker</dt>
            <dd>
              {quality.poker.meanSteps === null ? 'no data' : `${quality.poker.meanSteps} cards`}
              <small>
                {quality.poker.rounds} revealed rounds; {percent(quality.poker.wideShare)} wide
              </small>
            </dd>
          </div>
          <div>
            <dt>Outcome rate</dt>
            <dd>
              {percent(quality.outcomes.rate)}
              <small>
                {quality.outcomes.moved} of {quality.outcomes.recorded} recorded outcomes moved their metric (
                {quality.outcomes.released} released with a metric)
              </small>
            </dd>
          </div>
        </dl>
      </section>
      <div className="chart-grid">
        <VelocityChart sprints={velocity} range={range} csvHref={`${base}/velocity.csv`} />
        {burndown && chosen ? (
          <div className="stack">
            <ChartPicker
              id="burndown-sprint"
              label="Burndown of"
              name="sprint"
              value={chosen.id}
              options={sprints.map((s) => ({
                value: s.id,
                label: `${s.name}${s.state === 'active' ? ' (running)' : ''}`,
              }))}
              keep={{ epic: epic?.id }}
            />
            <BurndownChart
              title={`Burndown: ${chosen.name}`}
              burndown={burndown}
              csvHref={`${base}/burndown.csv?sprint=${chosen.id}`}
            />
          </div>
        ) : (
          <p className="card muted">No sprint has started yet: the burndown appears with the first one.</p>
        )}
        {epic ? (
          <div className="stack">
            <ChartPicker
              id="burnup-epic"
              label="Burn-up of"
              name="epic"
              value={epic.id}
              options={epics.map((e) => ({ value: e.id, label: e.title }))}
              keep={{ sprint: chosen?.id }}
            />
            {burnup.length > 0 ? (
              <BurnupChart
                title={`Burn-up: ${epic.title}`}
                points={burnup}
                csvHref={`${base}/burnup.csv?epic=${epic.id}`}
              />
            ) : (
              <p className="card muted">
                This epic has no stories yet, or no sprint has started: nothing to draw.
              </p>
            )}
          </div>
        ) : null}
      </div>
      <DebtShareTable debt={debt} />
      <BacklogStability
        productId={productId}
        windowWeeks={stability.windowWeeks}
        backlogSize={stability.backlogSize}
        weeks={stability.weeks}
        timeZone={stability.timeZone}
      />
      <p className="muted">
        Forecasts for every item are in the backlog;{' '}
        <a href={`${base}/forecast.csv`}>download them all (CSV)</a>.
      </p>
    </div>
  );
}

/** Per closed sprint: the share of the accepted points that were technical debt, against the share in force. */
function DebtShareTable({ debt }: { debt: ReturnType<typeof useLoaderData<typeof loader>>['debt'] }) {
  const unknown = (d: (typeof debt.sprints)[number]) => d.unestimatedDebt + d.unestimatedOther;
  return (
    <section aria-labelledby="debt-share-title" className="stack">
      <h2 id="debt-share-title">Technical debt share</h2>
      <p className="muted">
        {debt.share === null
          ? 'No share of the sprint is kept for technical debt (the product owner sets one in Settings).'
          : `${debt.share} % of each sprint is kept for technical debt.`}{' '}
        Per closed sprint, the accepted points that were debt, against the share in force when it closed.
      </p>
      {debt.sprints.length === 0 ? (
        <p className="card muted">No sprint has closed yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Sprint</th>
                <th scope="col">Debt accepted</th>
                <th scope="col">Share delivered</th>
                <th scope="col">Share in force</th>
                <th scope="col">Against the share</th>
              </tr>
            </thead>
            <tbody>
              {debt.sprints.map((s) => (
                <tr key={s.sprintId}>
                  <th scope="row">{s.name}</th>
                  <td>
                    {s.debtPoints} of {s.acceptedPoints} points
                    {unknown(s) > 0 ? ` (${unknown(s)} accepted items not estimated)` : ''}
                  </td>
                  <td>{s.percent === null ? 'nothing accepted' : `${s.percent} %`}</td>
                  <td>{s.share === null ? 'none' : `${s.share} %`}</td>
                  <td>{debtStatusLabels[s.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
