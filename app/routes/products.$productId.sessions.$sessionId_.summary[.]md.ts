import type { LoaderFunctionArgs } from '@remix-run/node';
import { summaryMarkdown } from '~/domain/session-summary';
import { requireUser } from '~/services/auth.server';
import { timeZoneOf } from '~/utils/client-hints';
import { downloadHeaders } from '~/utils/download.server';
import { orRespond } from '~/utils/route-errors.server';
import { loadSummary } from './products.$productId.sessions.$sessionId_.summary/summary-page.server';

/** The session's summary as a Markdown file (any member of the product). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const summary = await orRespond(
    loadSummary(context, params.productId ?? '', params.sessionId ?? '', user.id, timeZoneOf(request)),
  );
  return new Response(summaryMarkdown(summary), {
    headers: downloadHeaders(`${summary.title} summary`, 'md', 'text/markdown; charset=utf-8'),
  });
}
