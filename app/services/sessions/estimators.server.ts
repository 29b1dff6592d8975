import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { estimateRounds, estimates, sessionParticipants } from '../../../db/schema';
import type { SessionRow } from './access.server';
import { settingsOf } from './sessions.server';

/* Who estimates in planning poker, and what a change of who estimates does to a round that is still open. */

/** Who may vote: joined, not watching only, not removed. */
export async function estimatorsOf(tx: Tx, sessionId: string) {
  return tx
    .select({ id: sessionParticipants.id, userId: sessionParticipants.userId })
    .from(sessionParticipants)
    .where(
      and(
        eq(sessionParticipants.sessionId, sessionId),
        isNull(sessionParticipants.removedAt),
        eq(sessionParticipants.spectator, false),
      ),
    );
}

/**
 * With auto-reveal on, reveals the open round on the current item once every estimator has voted (there must be
 * at least one). Returns whether it revealed. Runs inside a session command, with the session row locked.
 */
export async function autoRevealIfComplete(tx: Tx, session: SessionRow, roundId: string): Promise<boolean> {
  if (!settingsOf(session).autoReveal) return false;
  const [eligible, cast] = await Promise.all([
    estimatorsOf(tx, session.id),
    tx.select({ id: estimates.participantId }).from(estimates).where(eq(estimates.roundId, roundId)),
  ]);
  const castIds = new Set(cast.map((c) => c.id));
  if (eligible.length === 0 || !eligible.every((v) => castIds.has(v.id))) return false;
  const revealed = await tx
    .update(estimateRounds)
    .set({ revealedAt: new Date() })
    .where(and(eq(estimateRounds.id, roundId), isNull(estimateRounds.revealedAt)))
    .returning({ id: estimateRounds.id });
  return revealed.length > 0;
}

/**
 * A participant stops estimating: their cards in rounds not yet revealed are withdrawn (a spectator's card never
 * counts in a tally, and the "who has voted" list only names people who estimate). Revealed rounds are history
 * and keep every card. If the open round on the current item was waiting only for them, auto-reveal applies.
 */
export async function stepOutOfOpenRounds(tx: Tx, session: SessionRow, participantId: string) {
  const open = await tx
    .select({ id: estimateRounds.id })
    .from(estimateRounds)
    .where(and(eq(estimateRounds.sessionId, session.id), isNull(estimateRounds.revealedAt)));
  if (open.length === 0) return { withdrawn: 0, revealed: false };
  const withdrawn = await tx
    .delete(estimates)
    .where(
      and(
        eq(estimates.participantId, participantId),
        inArray(
          estimates.roundId,
          open.map((r) => r.id),
        ),
      ),
    )
    .returning({ roundId: estimates.roundId });
  let revealed = false;
  if (session.currentItemId) {
    const [current] = await tx
      .select({ id: estimateRounds.id, revealedAt: estimateRounds.revealedAt })
      .from(estimateRounds)
      .where(and(eq(estimateRounds.sessionId, session.id), eq(estimateRounds.itemId, session.currentItemId)))
      .orderBy(desc(estimateRounds.number))
      .limit(1);
    if (current && !current.revealedAt) revealed = await autoRevealIfComplete(tx, session, current.id);
  }
  return { withdrawn: withdrawn.length, revealed };
}
