import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportBacklog, exportToCsv } from '~/services/backlog/import-export.server';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/** The ordered backlog as a CSV file (any member). A byte-order mark lets spreadsheets read it as UTF-8. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const product = await orRespond(getProduct(context.app.db, productId, user.id));
  const rows = await orRespond(exportBacklog(context.app.db, productId, user.id));
  return new Response(`\uFEFF${exportToCsv(rows)}`, {
    headers: downloadHeaders(`${product.name} backlog`, 'csv', 'text/csv; charset=utf-8'),
  });
}
