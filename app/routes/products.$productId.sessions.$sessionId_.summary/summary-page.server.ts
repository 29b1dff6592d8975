import type { AppLoadContext } from '@remix-run/node';
import { AppError } from '~/domain/errors';
import type { SessionSummary } from '~/domain/session-summary';
import { sessionAccess } from '~/services/sessions/access.server';
import { sessionSummary } from '~/services/sessions/summary.server';

/** The summary of a session, reached only through the product it belongs to. */
export async function loadSummary(
  context: AppLoadContext,
  productId: string,
  sessionId: string,
  userId: string,
  timeZone: string,
): Promise<SessionSummary> {
  const { session } = await sessionAccess(context.app.db, sessionId, userId);
  if (session.productId !== productId) throw new AppError('not_found', 'No such session in this product');
  return sessionSummary(context.app.db, sessionId, userId, timeZone);
}
