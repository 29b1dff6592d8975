import { and, eq, gt, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  dotVotes,
  sessionNotes,
  sessionParticipants,
  sessionScores,
  stakeholderRequests,
} from '../../../db/schema';
import { notify } from './notify.server';

/**
 * The people who asked for an item, told when it is accepted or rejected at a review (decision 0041). Kept simple
 * for now: whoever created it, whoever gave review feedback on it, whoever voted for it in a prioritisation
 * session (dots or scores), and every member whose request was accepted as it or merged into it.
 */
export async function peopleWhoAskedFor(tx: Db | Tx, itemId: string): Promise<string[]> {
  const [creator, feedback, dots, scores, requesters] = await Promise.all([
    tx.select({ userId: backlogItems.createdBy }).from(backlogItems).where(eq(backlogItems.id, itemId)),
    tx
      .select({ userId: sessionParticipants.userId })
      .from(sessionNotes)
      .innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionNotes.participantId))
      .where(and(eq(sessionNotes.itemId, itemId), eq(sessionNotes.kind, 'feedback'))),
    tx
      .select({ userId: sessionParticipants.userId })
      .from(dotVotes)
      .innerJoin(sessionParticipants, eq(sessionParticipants.id, dotVotes.participantId))
      .where(and(eq(dotVotes.itemId, itemId), gt(dotVotes.dots, 0))),
    tx
      .select({ userId: sessionParticipants.userId })
      .from(sessionScores)
      .innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionScores.participantId))
      .where(and(eq(sessionScores.itemId, itemId), isNotNull(sessionParticipants.userId))),
    tx
      .select({ userId: stakeholderRequests.requesterId })
      .from(stakeholderRequests)
      .where(eq(stakeholderRequests.itemId, itemId)),
  ]);
  const ids = [...creator, ...feedback, ...dots, ...scores, ...requesters]
    .map((r) => r.userId)
    .filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

/** Tells the people who asked for an item what the review decided, in the deciding transaction. */
export async function notifyReviewOutcome(
  tx: Db | Tx,
  input: {
    productId: string;
    itemId: string;
    title: string;
    outcome: 'accepted' | 'rejected';
    actorId: string;
    sprintId: string;
  },
) {
  const people = await peopleWhoAskedFor(tx, input.itemId);
  if (people.length === 0) return 0;
  return notify(tx, {
    productId: input.productId,
    kind: input.outcome === 'accepted' ? 'item_accepted' : 'item_rejected',
    to: { userIds: people },
    actorId: input.actorId,
    text:
      input.outcome === 'accepted'
        ? `“${input.title}” was accepted at the sprint review`
        : `“${input.title}” was rejected at the sprint review and is back at the top of the backlog`,
    link: `/products/${input.productId}/items/${input.itemId}`,
    data: { itemId: input.itemId, title: input.title, outcome: input.outcome, sprintId: input.sprintId },
  });
}
