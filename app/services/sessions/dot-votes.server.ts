import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { dotVotes } from '../../../db/schema';
import { type DotRequest, applyDotRequests } from '~/domain/dot-voting';
import { AppError } from '~/domain/errors';
import { groupCommit } from '~/services/group-commit.server';
import { asyncWindowOf } from './async-window.server';
import { agendaItemIds, checkEach, notOnAgenda, sessionBatchCommand } from './batch-command.server';
import { assertMethod, voter } from './prioritisation.server';
import { settingsOf } from './sessions.server';

export const castDotsSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be an item on the agenda' }),
  dots: z
    .number({ message: 'dots must be a number' })
    .int('Dots are whole')
    .min(0, 'Dots cannot be negative')
    .max(50, 'Too many dots'),
});

type CastDots = { actorId: string } & z.output<typeof castDotsSchema>;

/**
 * Sets the caller's dots on one item (0 takes them off). Votes of one session that arrive together are written
 * together (group commit, decision 0027): one transaction with the session row locked, each vote checked against
 * the caller's dots after the votes before it, so concurrent requests from one participant can never exceed the
 * budget, and a reveal or the close of voting never lands between a vote's check and its write.
 */
export function castDots(db: Db, sessionId: string, actorId: string, input: z.output<typeof castDotsSchema>) {
  return groupCommit<CastDots, { used: number; left: number }>(
    db,
    `dots:${sessionId}`,
    { actorId, ...input },
    (batch) => writeDots(db, sessionId, batch),
  );
}

async function writeDots(db: Db, sessionId: string, batch: CastDots[]) {
  return sessionBatchCommand(
    db,
    sessionId,
    batch.map((vote) => vote.actorId),
    async (tx, session, accessOf) => {
      const agenda = await agendaItemIds(tx, sessionId);
      const window = await asyncWindowOf(tx, sessionId);
      // Who each vote is from, or why it is refused before the budget is even looked at.
      const checked = checkEach(batch, accessOf, (access, vote): DotRequest => {
        const participant = voter(access, window);
        assertMethod(access, 'dots');
        if (!agenda.has(vote.itemId)) throw notOnAgenda();
        return { participantId: participant.id, itemId: vote.itemId, dots: vote.dots };
      });
      const requests = checked.filter((c): c is DotRequest => !(c instanceof AppError));
      const participantIds = [...new Set(requests.map((r) => r.participantId))];
      const current = new Map<string, Map<string, number>>();
      if (participantIds.length > 0) {
        const rows = await tx
          .select({ participantId: dotVotes.participantId, itemId: dotVotes.itemId, dots: dotVotes.dots })
          .from(dotVotes)
          .where(inArray(dotVotes.participantId, participantIds));
        for (const row of rows) {
          const mine = current.get(row.participantId) ?? new Map<string, number>();
          mine.set(row.itemId, row.dots);
          current.set(row.participantId, mine);
        }
      }
      const rules = settingsOf(session).dots;
      const { outcomes, writes } = applyDotRequests(rules, current, requests);
      const removed = writes.filter((w) => w.dots === 0);
      const kept = writes.filter((w) => w.dots > 0);
      if (removed.length > 0) {
        await tx
          .delete(dotVotes)
          .where(
            or(
              ...removed.map((w) =>
                and(eq(dotVotes.participantId, w.participantId), eq(dotVotes.itemId, w.itemId)),
              ),
            ),
          );
      }
      if (kept.length > 0) {
        await tx
          .insert(dotVotes)
          .values(kept.map((w) => ({ sessionId, ...w })))
          .onConflictDoUpdate({
            target: [dotVotes.participantId, dotVotes.itemId],
            set: { dots: sql`excluded.dots`, updatedAt: new Date() },
          });
      }
      let next = 0;
      return checked.map((c) => {
        if (c instanceof AppError) return c;
        const outcome = outcomes[next++];
        return outcome.ok
          ? { used: outcome.used, left: outcome.left }
          : new AppError('conflict', outcome.refusal, { field: 'dots' });
      });
    },
  );
}
