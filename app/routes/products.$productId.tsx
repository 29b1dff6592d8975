import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { skipLiveReloads } from '~/utils/revalidation';
import { Outlet, useLoaderData } from '@remix-run/react';
import { ImportNotice } from '~/components/import-notice';
import { ProductTabs } from '~/components/product-tabs';
import { roleLabels } from '~/domain/roles';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.product.name} · Refinery` : 'Refinery' },
];

export const shouldRevalidate = skipLiveReloads;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const product = await orRespond(getProduct(context.app.db, params.productId ?? '', user.id));
  return { product };
}

export default function ProductLayout() {
  const { product } = useLoaderData<typeof loader>();
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
      <ProductTabs product={product} />
      <ImportNotice />
      <Outlet />
    </div>
  );
}
