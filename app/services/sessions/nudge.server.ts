import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { estimateRounds, estimates } from '../../../db/schema';
import type { AppServices } from '~/context';
import { nudgeMapKey, type PokerNudge } from '~/collab/nudge';
import { sessionDocument } from '~/domain/document-names';
import { AppError } from '~/domain/errors';
import { assertFacilitator } from './access.server';
import { sessionCommand } from './commands.server';
import { estimatorsOf } from './estimators.server';

export const nudgeSchema = z.strictObject({});

/**
 * The facilitator reminds everyone who has not yet played a card in the open round on the current item. It
 * names people only (who has voted is public already), never a card. Refused to anyone but the facilitator,
 * and when no round is open or everyone has voted.
 */
export async function nudgeNonVoters(db: Db, sessionId: string, actorId: string): Promise<PokerNudge> {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const itemId = access.session.currentItemId;
    if (!itemId) throw new AppError('conflict', 'There is no current item to estimate');
    const [round] = await tx
      .select()
      .from(estimateRounds)
      .where(and(eq(estimateRounds.sessionId, sessionId), eq(estimateRounds.itemId, itemId)))
      .orderBy(desc(estimateRounds.number))
      .limit(1);
    if (!round || round.revealedAt) throw new AppError('conflict', 'No estimation round is open');
    const [voters, cast] = await Promise.all([
      estimatorsOf(tx, sessionId),
      tx.select({ id: estimates.participantId }).from(estimates).where(eq(estimates.roundId, round.id)),
    ]);
    const castIds = new Set(cast.map((c) => c.id));
    const waiting = voters.map((v) => v.id).filter((id) => !castIds.has(id));
    if (waiting.length === 0) throw new AppError('conflict', 'Everyone has voted: nobody to nudge');
    return { id: randomUUID(), roundId: round.id, itemId, participantIds: waiting.sort(), at: Date.now() };
  });
}

/** Puts the nudge into the session's live document, beside its public state, for the nudged rooms to show. */
export async function publishNudge(
  services: Pick<AppServices, 'live'>,
  sessionId: string,
  nudge: PokerNudge,
): Promise<void> {
  await services.live.update(sessionDocument(sessionId), (doc) => {
    doc.transact(() => doc.getMap('session').set(nudgeMapKey, nudge));
  });
}
