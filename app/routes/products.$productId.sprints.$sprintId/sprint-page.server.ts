import { and, asc, eq, ne } from 'drizzle-orm';
import { AppError } from '~/domain/errors';
import { loadSprint } from '~/services/sprints/common.server';
import { goalRiskOf } from '~/services/sprints/goal-risk.server';
import { sprintView } from '~/services/sprints/view.server';
import type { Db } from '../../../db/client';
import { sprints } from '../../../db/schema';

/** The origin links are shared on: PUBLIC_URL when set (behind a proxy), else the request's own. */
export const shareOrigin = (request: Request, publicUrl: string | undefined) =>
  new URL(publicUrl ?? request.url).origin;

/**
 * The sprint page's data: the sprint as its reader may see it, the other open sprints (for "next sprint"), and the
 * review's guest link as an absolute URL on `origin` for those who may share it.
 */
export async function loadSprintPage(
  db: Db,
  productId: string,
  sprintId: string,
  userId: string,
  origin?: string,
  timeZone = 'UTC',
) {
  // Taken before the reads: a change announced after this moment may not be in them, so the live view reloads.
  const loadedAt = Date.now();
  const view = await sprintView(db, sprintId, userId);
  if (view.sprint.productId !== productId) throw new AppError('not_found', 'No such sprint');
  // The goal at risk, said early: evaluated (and a new state recorded) on every read of the page.
  const goalRisk = await goalRiskOf(db, await loadSprint(db, sprintId), view.role, { timeZone });
  const nextSprints = await db
    .select({ id: sprints.id, name: sprints.name })
    .from(sprints)
    .where(and(eq(sprints.productId, productId), ne(sprints.state, 'closed'), ne(sprints.id, sprintId)))
    .orderBy(asc(sprints.startDate));
  const joinUrl = view.review?.joinCode && origin ? `${origin}/join/${view.review.joinCode}` : null;
  return { ...view, goalRisk, nextSprints, joinUrl, loadedAt };
}

/** The sprint whose review is this session, for the review room. */
export async function loadSprintOfReview(
  db: Db,
  productId: string,
  sessionId: string,
  userId: string,
  origin?: string,
) {
  // Taken before the reads: live ticks written after this moment are newer than this data (see liveReviewItems).
  const loadedAt = Date.now();
  const [row] = await db
    .select({ id: sprints.id })
    .from(sprints)
    .where(and(eq(sprints.productId, productId), eq(sprints.reviewSessionId, sessionId)));
  if (!row) throw new AppError('not_found', 'This review belongs to no sprint');
  return { ...(await loadSprintPage(db, productId, row.id, userId, origin)), loadedAt };
}
