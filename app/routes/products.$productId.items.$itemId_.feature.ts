import type { LoaderFunctionArgs } from '@remix-run/node';
import { AppError } from '~/domain/errors';
import { featureFileName, toFeatureFile } from '~/domain/gherkin';
import { loadItem } from '~/services/backlog/items.server';
import { authorize } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';

/** The item's acceptance criteria as a Gherkin `.feature` file (a download). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const item = await orRespond(
    (async () => {
      await authorize(context.app.db, productId, user.id, 'product.view');
      const found = await loadItem(context.app.db, params.itemId ?? '');
      if (found.productId !== productId)
        throw new AppError('not_found', 'No such backlog item in this product');
      return found;
    })(),
  );
  const body = toFeatureFile({ title: item.title, criteriaSource: item.criteria });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${featureFileName(item.title)}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
