import type { AppLoadContext } from '@remix-run/node';
import { and, asc, eq } from 'drizzle-orm';
import { sessionAccess } from '~/services/sessions/access.server';
import { sessionResults } from '~/services/sessions/prioritisation.server';
import { settingsOf } from '~/services/sessions/sessions.server';
import { formatDateTime } from '~/utils/dates';
import { decisions, users } from '../../../db/schema';

/**
 * What a prioritisation session decided: its results (once revealed) and the orders the product owner applied
 * from them, with their reasons. Null for other kinds of session.
 */
export async function prioritisationSummary(
  context: AppLoadContext,
  sessionId: string,
  userId: string,
  timeZone: string,
) {
  const { db } = context.app;
  const { session } = await sessionAccess(db, sessionId, userId);
  if (session.kind !== 'prioritisation') return null;
  const settings = settingsOf(session);
  const results = session.resultsRevealedAt ? await sessionResults(db, sessionId, userId) : null;
  const applied = await db
    .select({
      id: decisions.id,
      reason: decisions.reason,
      after: decisions.after,
      createdAt: decisions.createdAt,
      actor: users.displayName,
    })
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.actorId))
    .where(and(eq(decisions.sessionId, sessionId), eq(decisions.kind, 'proposal_applied')))
    .orderBy(asc(decisions.id));
  return {
    methods: settings.methods,
    anonymous: settings.anonymous,
    results,
    applied: applied.map((d) => ({
      id: String(d.id),
      reason: d.reason,
      when: formatDateTime(d.createdAt, timeZone),
      actor: d.actor ?? 'Someone',
      mode: (d.after as { mode?: unknown } | null)?.mode,
      moved: (d.after as { moved?: unknown } | null)?.moved,
    })),
  };
}
