import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportBacklog } from '~/services/backlog/import-export.server';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/** The ordered backlog as a pretty-printed JSON file (any member). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const product = await orRespond(getProduct(context.app.db, productId, user.id));
  const items = await orRespond(exportBacklog(context.app.db, productId, user.id));
  const body = {
    product: { id: product.id, name: product.name },
    exportedAt: new Date().toISOString(),
    items,
  };
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: downloadHeaders(`${product.name} backlog`, 'json', 'application/json; charset=utf-8'),
  });
}
