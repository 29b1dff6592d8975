import type { LoaderFunctionArgs } from '@remix-run/node';
import { AppError } from '~/domain/errors';
import { resultsItemsCsv, resultsParticipantsCsv } from '~/domain/results-export';
import { requireUser } from '~/services/auth.server';
import { sessionAccess } from '~/services/sessions/access.server';
import { sessionResults } from '~/services/sessions/prioritisation.server';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';

/**
 * A prioritisation session's results as CSV, per item or (`?per=participant`) per participant. After the reveal
 * only, like every answer with results; an anonymous session has no per-participant file (404).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const perParticipant = new URL(request.url).searchParams.get('per') === 'participant';
  const { title, csv } = await orRespond(
    (async () => {
      const { session } = await sessionAccess(context.app.db, params.sessionId ?? '', user.id);
      if (session.productId !== params.productId)
        throw new AppError('not_found', 'No such session in this product');
      const results = await sessionResults(context.app.db, session.id, user.id);
      const csv = perParticipant ? resultsParticipantsCsv(results) : resultsItemsCsv(results);
      if (csv === null)
        throw new AppError('not_found', 'This session is anonymous: there are no results per participant');
      return { title: session.title, csv };
    })(),
  );
  return new Response(csv, {
    headers: downloadHeaders(
      `${title} results${perParticipant ? ' per participant' : ''}`,
      'csv',
      'text/csv; charset=utf-8',
    ),
  });
}
