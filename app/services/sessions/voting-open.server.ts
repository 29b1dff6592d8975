import { eq } from 'drizzle-orm';
import { notify } from '~/services/notifications/notify.server';
import type { Tx } from '../../../db/client';
import { liveSessions } from '../../../db/schema';
import type { SessionAccess } from './access.server';
import { closeWindowIn } from './async-window.server';

/**
 * Opens a prioritisation session's live vote, in the caller's transaction: the window of votes before the meeting
 * closes (its votes count as they are), a session still in its lobby moves to the Voting phase, and the product's
 * team and stakeholders are told (decision 0041). Shared by "Open voting" and by moving the room to its Voting step.
 */
export async function openVotingIn(tx: Tx, access: SessionAccess, actorId: string) {
  const { session } = access;
  await closeWindowIn(tx, session, actorId, new Date());
  await tx
    .update(liveSessions)
    .set({
      voting: 'open',
      phase: session.phase === 'lobby' ? 'voting' : session.phase,
      startedAt: session.startedAt ?? new Date(),
    })
    .where(eq(liveSessions.id, session.id));
  if (session.voting !== 'open')
    await notify(tx, {
      productId: session.productId,
      kind: 'votes_opened',
      to: { roles: ['team_member', 'stakeholder'] },
      actorId,
      text: `Votes are open in “${session.title}”`,
      link: `/products/${session.productId}/sessions/${session.id}`,
      data: { sessionId: session.id, sessionTitle: session.title },
    });
}
