import type { LoaderFunctionArgs } from '@remix-run/node';
import { AppError } from '~/domain/errors';
import { resultsMarkdown } from '~/domain/results-export';
import { requireUser } from '~/services/auth.server';
import { sessionAccess } from '~/services/sessions/access.server';
import { sessionResults } from '~/services/sessions/prioritisation.server';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/** A prioritisation session's results as Markdown (after the reveal; who voted what only when not anonymous). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { title, md } = await orRespond(
    (async () => {
      const { session } = await sessionAccess(context.app.db, params.sessionId ?? '', user.id);
      if (session.productId !== params.productId)
        throw new AppError('not_found', 'No such session in this product');
      return {
        title: session.title,
        md: resultsMarkdown(session.title, await sessionResults(context.app.db, session.id, user.id)),
      };
    })(),
  );
  return new Response(md, {
    headers: downloadHeaders(`${title} results`, 'md', 'text/markdown; charset=utf-8'),
  });
}
