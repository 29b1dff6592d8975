import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';
import { loadBacklogRows } from './products.$productId._index/backlog-page.server';

/** The backlog list's rows after its first screen, page by page: `?offset=&limit=` plus the page's filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(loadBacklogRows(context, params.productId ?? '', user.id, new URL(request.url)));
}
