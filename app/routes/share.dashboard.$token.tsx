import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useParams } from '@remix-run/react';
import type { HeaderHandle } from '~/components/app-header';
import { DashboardView } from '~/components/metrics/dashboard-view';
import { computeDashboard } from '~/services/metrics/dashboard.server';
import { resolveDashboardLink } from '~/services/metrics/dashboard-links.server';
import { timeZoneOf, useTimeZone } from '~/utils/client-hints';
import { formatDate } from '~/utils/dates';
import { orRespond } from '~/utils/route-errors.server';

/** Someone with a share link has no account here: no "Log in / Sign up", which would lead them away. */
export const handle: HeaderHandle = { guestPage: true };

/** Share links are for the people they were given to: never indexed, never cached. */
export const headers: HeadersFunction = () => ({
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.dashboard.product.name} dashboard · Refinery` : 'Dashboard · Refinery' },
  { name: 'robots', content: 'noindex, nofollow' },
];

/** The stakeholder dashboard by share link, for people without an account. A revoked or expired link shows why, and no data. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const link = await orRespond(resolveDashboardLink(context.app.db, params.token ?? ''));
  const dashboard = await computeDashboard(context.app.db, link.productId, link.itemIds, timeZoneOf(request));
  context.app.log.info({ event: 'dashboard_link_opened', productId: link.productId, linkId: link.id });
  return { dashboard, label: link.label, expiresAt: link.expiresAt.toISOString() };
}

export default function SharedDashboard() {
  const { dashboard, label, expiresAt } = useLoaderData<typeof loader>();
  const { token } = useParams();
  const timeZone = useTimeZone();
  return (
    <div className="stack">
      <div className="product-heading">
        <div>
          <h1>{dashboard.product.name}</h1>
          <p className="muted">
            Dashboard shared with {label} · read-only · this link works until{' '}
            {formatDate(expiresAt, timeZone)}
          </p>
        </div>
      </div>
      <DashboardView
        data={dashboard}
        csvHref={(chart) => `/share/dashboard/${encodeURIComponent(token ?? '')}/${chart}.csv`}
      />
    </div>
  );
}
