import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { sessionScores } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { kanoAnswers } from '~/domain/kano';
import { moscowValues } from '~/domain/moscow';
import { fibonacciScale } from '~/domain/wsjf';
import { groupCommit } from '~/services/group-commit.server';
import { asyncWindowOf } from './async-window.server';
import { agendaItemIds, checkEach, notOnAgenda, sessionBatchCommand } from './batch-command.server';
import { assertMethod, voter } from './prioritisation.server';
import type { PrioritisationMethod } from './sessions.server';
import { mayGiveJobSize } from '~/domain/policies';

const wsjfPart = z.literal(fibonacciScale, { error: `Use one of ${fibonacciScale.join(', ')}` });
export const submitScoresSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be an item on the agenda' }),
  userBusinessValue: wsjfPart.optional(),
  timeCriticality: wsjfPart.optional(),
  riskReduction: wsjfPart.optional(),
  jobSize: wsjfPart.optional(),
  businessValue: z
    .number()
    .int('Business value is a whole number from 1 to 10')
    .min(1, 'Business value is from 1 to 10')
    .max(10, 'Business value is from 1 to 10')
    .optional(),
  moscow: z.enum(moscowValues, { message: 'moscow must be must, should, could or wont' }).optional(),
  kanoFunctional: z.enum(kanoAnswers, { message: `Kano answers are ${kanoAnswers.join(', ')}` }).optional(),
  kanoDysfunctional: z
    .enum(kanoAnswers, { message: `Kano answers are ${kanoAnswers.join(', ')}` })
    .optional(),
});

type ScoreInput = z.output<typeof submitScoresSchema>;
type Part = Exclude<keyof ScoreInput, 'itemId'>;

const methodOfPart: Record<Part, PrioritisationMethod> = {
  userBusinessValue: 'wsjf',
  timeCriticality: 'wsjf',
  riskReduction: 'wsjf',
  jobSize: 'wsjf',
  businessValue: 'businessValue',
  moscow: 'moscow',
  kanoFunctional: 'kano',
  kanoDysfunctional: 'kano',
};

interface ScoreRow {
  participantId: string;
  itemId: string;
  part: Part;
  value: string;
}

/**
 * Records the caller's scores on one item; each part given replaces their earlier score of it. Scores of one
 * session that arrive together are written together (group commit, decision 0027), as dot votes are.
 */
export function submitScores(db: Db, sessionId: string, actorId: string, input: ScoreInput) {
  return groupCommit<{ actorId: string } & ScoreInput, { itemId: string; parts: number }>(
    db,
    `scores:${sessionId}`,
    { actorId, ...input },
    (batch) =>
      sessionBatchCommand(
        db,
        sessionId,
        batch.map((request) => request.actorId),
        async (tx, _session, accessOf) => {
          const agenda = await agendaItemIds(tx, sessionId);
          const window = await asyncWindowOf(tx, sessionId);
          const checked = checkEach(batch, accessOf, (access, { actorId: _, itemId, ...parts }) => {
            const participant = voter(access, window);
            if (!agenda.has(itemId)) throw notOnAgenda();
            const given = Object.entries(parts).filter(([, v]) => v !== undefined) as Array<
              [Part, string | number]
            >;
            if (given.length === 0) throw new AppError('invalid', 'Give at least one score');
            for (const [part] of given) assertMethod(access, methodOfPart[part]);
            // The team sizes the job; stakeholders and guests score the value side.
            if (parts.jobSize !== undefined && !mayGiveJobSize(access.role))
              throw new AppError('forbidden', 'Job size is given by the team', { field: 'jobSize' });
            return given.map(
              ([part, value]): ScoreRow => ({
                participantId: participant.id,
                itemId,
                part,
                value: String(value),
              }),
            );
          });
          // One row per person, item and part: a later request in the batch replaces an earlier one's value.
          const rows = new Map<string, ScoreRow>();
          for (const c of checked) {
            if (c instanceof AppError) continue;
            for (const row of c) rows.set(`${row.participantId} ${row.itemId} ${row.part}`, row);
          }
          if (rows.size > 0) {
            await tx
              .insert(sessionScores)
              .values([...rows.values()].map((row) => ({ sessionId, ...row })))
              .onConflictDoUpdate({
                target: [sessionScores.participantId, sessionScores.itemId, sessionScores.part],
                set: { value: sql`excluded.value`, updatedAt: new Date() },
              });
          }
          return checked.map((c) => (c instanceof AppError ? c : { itemId: c[0].itemId, parts: c.length }));
        },
      ),
  );
}
