import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';
import { loadSprintOfReview, shareOrigin } from './products.$productId.sprints.$sprintId/sprint-page.server';

/** The sprint of a review session, as the review room needs it (the room posts its commands to the sprint page). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(
    loadSprintOfReview(
      context.app.db,
      params.productId ?? '',
      params.sessionId ?? '',
      user.id,
      shareOrigin(request, context.app.config.PUBLIC_URL),
    ),
  );
}
