import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, NavLink, Outlet, useLoaderData, useLocation } from '@remix-run/react';
import { ImportNotice } from '~/components/import-notice';
import { can, roleLabels } from '~/domain/roles';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/session.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.product.name} · Refinery` : 'Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const product = await orRespond(getProduct(context.app.db, params.productId ?? '', user.id));
  return { product };
}

export default function ProductLayout() {
  const { product } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  // An item page belongs to the backlog: its tab stays marked there.
  const inBacklog =
    pathname === `/products/${product.id}` || pathname.startsWith(`/products/${product.id}/items/`);
  return (
    <div className="stack">
      <div className="product-heading">
        <div>
          <h1>{product.name}</h1>
          {product.description ? <p className="muted">{product.description}</p> : null}
        </div>
        <p className="badge">
          <span className="visually-hidden">Your role: </span>
          {roleLabels[product.role]}
        </p>
      </div>
      <nav aria-label="Product" className="tabs">
        <Link
          to="."
          className={inBacklog ? 'active' : undefined}
          aria-current={inBacklog ? 'page' : undefined}
        >
          Backlog
        </Link>
        <NavLink to="sessions">Sessions</NavLink>
        <NavLink to="sprints">Sprints</NavLink>
        <NavLink to="dashboard">Dashboard</NavLink>
        <NavLink to="metrics">Metrics</NavLink>
        <NavLink to="proposals">Order proposal</NavLink>
        <NavLink to="decisions">Decisions</NavLink>
        {can(product.role, 'backlog.edit') ? <NavLink to="import">Import</NavLink> : null}
        {can(product.role, 'backlog.order') ? <NavLink to="cleanup">Cleanup</NavLink> : null}
        <NavLink to="settings">Settings</NavLink>
        <NavLink to="members">Members ({product.memberCount})</NavLink>
      </nav>
      <p className="muted export-links">
        Export the backlog: <a href={`/products/${product.id}/export.csv`}>CSV</a> ·{' '}
        <a href={`/products/${product.id}/export.json`}>JSON</a>
      </p>
      <ImportNotice />
      <Outlet />
    </div>
  );
}
