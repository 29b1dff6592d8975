import type { LoaderFunctionArgs } from '@remix-run/node';
import {
  computeDashboard,
  type DashboardChart,
  dashboardCharts,
  dashboardCsv,
} from '~/services/metrics/dashboard.server';
import { resolveDashboardLink } from '~/services/metrics/dashboard-links.server';
import { timeZoneOf } from '~/utils/client-hints';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/** A shared dashboard's chart data as CSV: velocity.csv, burndown.csv or forecast.csv, while the link is valid. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const chart = (params.file ?? '').replace(/\.csv$/, '') as DashboardChart;
  if (!params.file?.endsWith('.csv') || !dashboardCharts.includes(chart))
    throw new Response('No such chart data', { status: 404 });
  const link = await orRespond(resolveDashboardLink(context.app.db, params.token ?? ''));
  const dashboard = await computeDashboard(context.app.db, link.productId, link.itemIds, timeZoneOf(request));
  return new Response(`\uFEFF${dashboardCsv(dashboard, chart)}`, {
    headers: downloadHeaders(`${dashboard.product.name} ${chart}`, 'csv', 'text/csv; charset=utf-8'),
  });
}
