import type { LoaderFunctionArgs } from '@remix-run/node';
import { toCsv } from '~/domain/csv-write';
import { percent } from '~/domain/quality-metrics';
import { epicBurnup, sprintBurndown } from '~/services/metrics/burndown.server';
import { computeDashboard, dashboardCsv } from '~/services/metrics/dashboard.server';
import { backlogForecast } from '~/services/metrics/forecast.server';
import { sprintHistory } from '~/services/metrics/history.server';
import { qualityMetrics } from '~/services/metrics/quality.server';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { timeZoneOf } from '~/utils/client-hints';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/**
 * The data behind every chart, as CSV (any member): velocity.csv, burndown.csv?sprint=, burnup.csv?epic=,
 * forecast.csv (every open item), quality.csv and dashboard-forecast.csv (the dashboard's chosen items).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = context.app.db;
  const productId = params.productId ?? '';
  const product = await orRespond(getProduct(db, productId, user.id));
  const search = new URL(request.url).searchParams;
  const csv = async (): Promise<[string, string] | null> => {
    switch (params.file) {
      case 'velocity.csv': {
        const history = await sprintHistory(db, productId);
        const closed = history.sprints.filter((s) => s.state === 'closed');
        return [
          'velocity',
          toCsv(
            ['Sprint', 'Start', 'End', 'Accepted points'],
            closed.map((s) => [s.name, s.startDate, s.endDate, s.accepted]),
          ),
        ];
      }
      case 'burndown.csv': {
        const { sprint, burndown } = await orRespond(
          sprintBurndown(db, search.get('sprint') ?? '', user.id, timeZoneOf(request)),
        );
        if (sprint && !(await sprintHistory(db, productId)).sprints.some((s) => s.id === sprint.id))
          return null;
        const rows = burndown.days.map((d) => [
          d.date,
          d.remaining,
          d.ideal,
          d.completed,
          d.added,
          d.removed,
        ]);
        return [
          `burndown ${sprint.name}`,
          toCsv(['Day', 'Remaining', 'Ideal', 'Completed', 'Added', 'Removed'], rows),
        ];
      }
      case 'burnup.csv': {
        const { epic, points } = await orRespond(epicBurnup(db, search.get('epic') ?? '', user.id));
        return [
          `burn-up ${epic.title}`,
          toCsv(
            ['Sprint', 'Scope', 'Done'],
            points.map((p) => [p.label, p.scope, p.done]),
          ),
        ];
      }
      case 'forecast.csv': {
        const forecast = await orRespond(backlogForecast(db, productId, user.id));
        const rows = [...forecast.rows.values()].map((r) => [r.title, r.label, r.from, r.to]);
        return ['forecast', toCsv(['Item', 'Forecast', 'From', 'To'], rows)];
      }
      case 'quality.csv': {
        const quality = await orRespond(qualityMetrics(db, productId, user.id));
        return [
          'quality',
          toCsv(
            ['Sprint', 'Review rejection rate', 'Entered not ready'],
            quality.sprints.map((s) => [s.name, percent(s.rejectionRate), percent(s.notReadyShare)]),
          ),
        ];
      }
      case 'dashboard-forecast.csv':
        return ['dashboard forecast', dashboardCsv(await computeDashboard(db, productId), 'forecast')];
      default:
        return null;
    }
  };
  const result = await csv();
  if (!result) throw new Response('No such chart data', { status: 404 });
  return new Response(`\uFEFF${result[1]}`, {
    headers: downloadHeaders(`${product.name} ${result[0]}`, 'csv', 'text/csv; charset=utf-8'),
  });
}
