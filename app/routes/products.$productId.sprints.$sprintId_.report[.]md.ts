import type { LoaderFunctionArgs } from '@remix-run/node';
import { reportFileName, reportMarkdown } from '~/domain/review-report';
import { requireUser } from '~/services/auth.server';
import { loadSprint } from '~/services/sprints/common.server';
import { reviewReport } from '~/services/sprints/view.server';
import { orRespond } from '~/utils/route-errors.server';

/** The review report as a Markdown file. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const report = await orRespond(reviewReport(context.app.db, params.sprintId ?? '', user.id));
  const sprint = await loadSprint(context.app.db, report.sprint.id);
  if (sprint.productId !== params.productId) throw new Response('Not found', { status: 404 });
  return new Response(reportMarkdown(report), {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${reportFileName(report.sprint.name)}"`,
    },
  });
}
