import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { mayEditText } from '~/domain/policies';
import { RateLimiter } from '~/domain/rate-limit';
import { phaseAfter } from '~/domain/refinement';
import { checkGuestQuestion, mayVoteIn as mayVote } from '~/domain/session-guests';
import { phasesOf } from '~/domain/session-rules';
import { busyRefusal } from '~/services/busy.server';
import { isDatabaseBusy, oneAtATime } from '../../../db/busy';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  liveSessions,
  products,
  sessionAgenda,
  sessionNotes,
  sessionParticipants,
} from '../../../db/schema';
import {
  assertFacilitator,
  assertOpen,
  assertParticipant,
  type SessionAccess,
  sessionAccess,
} from './access.server';
import { asyncWindowOpen } from './async-window.server';
import { stepOutOfOpenRounds } from './estimators.server';
import { settingsOf } from './sessions.server';
import { openVotingIn } from './voting-open.server';

/**
 * Runs a session command in one transaction with the session row locked, so commands on one session apply one
 * after the other (a vote and a reveal can never interleave). Ended sessions refuse every command.
 */
export async function sessionCommand<T>(
  db: Db,
  sessionId: string,
  actorId: string,
  run: (tx: Tx, access: SessionAccess) => Promise<T>,
): Promise<T> {
  try {
    // Checked outside first, so a refused command never takes the lock.
    assertOpen((await sessionAccess(db, sessionId, actorId)).session);
    // One command per session at a time in this process: a session stuck behind a held lock then ties up one
    // connection of the pool, not all of them, and each caller waits at most the lock timeout (decision 0018).
    return await oneAtATime(db, `session:${sessionId}`, () =>
      db.transaction(async (tx) => {
        const access = await sessionAccess(tx, sessionId, actorId, { lock: true });
        assertOpen(access.session);
        return run(tx, access);
      }),
    );
  } catch (error) {
    throw isDatabaseBusy(error) ? busyRefusal() : error;
  }
}

export const joinSchema = z.strictObject({ spectator: z.boolean().optional() });

/**
 * Whether the caller may vote in this session: in refinement only people who estimate (poker) vote, guests while
 * the facilitator lets them (app/domain/session-guests.ts).
 */
export function mayVoteIn(access: SessionAccess): boolean {
  return mayVote(access.role, access.session.kind, settingsOf(access.session));
}

/**
 * The first person in the room starts the session: from then on it is running (lists, lobby and room header say
 * so), whatever phase the facilitator has the room in. Recorded once, in the command's transaction.
 */
async function markStarted(tx: Tx, session: SessionAccess['session']) {
  if (session.startedAt) return;
  await tx
    .update(liveSessions)
    .set({ startedAt: new Date() })
    .where(and(eq(liveSessions.id, session.id), isNull(liveSessions.startedAt)));
}

/**
 * A member joins (or re-joins) the session. People who may not estimate (stakeholders) join as spectators;
 * anyone may choose to watch only. The first join starts the session.
 */
export async function joinSession(
  db: Db,
  sessionId: string,
  userId: string,
  input: z.output<typeof joinSchema> = {},
) {
  return sessionCommand(db, sessionId, userId, async (tx, access) => {
    const { session } = access;
    const mayVote = mayVoteIn(access);
    const spectator = input.spectator ?? !mayVote;
    if (!spectator && !mayVote)
      throw new AppError('forbidden', 'Stakeholders watch planning poker; they do not estimate');
    const [participant] = await tx
      .insert(sessionParticipants)
      .values({ sessionId: session.id, userId, spectator })
      .onConflictDoUpdate({
        target: [sessionParticipants.sessionId, sessionParticipants.userId],
        set: { spectator, removedAt: null },
      })
      .returning();
    // Re-joining to watch is the same as stepping back from estimating.
    if (spectator && session.kind === 'refinement') await stepOutOfOpenRounds(tx, session, participant.id);
    // Joining to vote before the meeting does not start the live session.
    if (!(await asyncWindowOpen(tx, session.id))) await markStarted(tx, session);
    return participant;
  });
}

export const spectatorSchema = z.strictObject({
  spectator: z.boolean({ message: 'spectator must be true or false' }),
});

/**
 * A participant of a refinement session switches their own part: estimating or watching. Only people who may
 * estimate (product owner, team) can estimate; anyone may watch. Stepping back during an open round withdraws
 * their card, unseen, so the round neither counts it nor waits for them; stepping in adds them to the people the
 * round waits for. Their vote values never leave Postgres either way.
 */
export async function setSpectator(db: Db, sessionId: string, actorId: string, spectator: boolean) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    if (access.session.kind !== 'refinement') {
      throw new AppError('conflict', 'Switching between estimating and watching is for refinement sessions');
    }
    const participant = assertParticipant(access);
    if (!spectator && !mayVoteIn(access)) {
      throw new AppError(
        'forbidden',
        access.role === 'guest'
          ? 'Guests watch planning poker here: the facilitator has not let guests estimate'
          : 'Stakeholders watch planning poker; they do not estimate',
      );
    }
    if (participant.spectator === spectator)
      return { participantId: participant.id, spectator, withdrawn: 0, revealed: false };
    await tx.update(sessionParticipants).set({ spectator }).where(eq(sessionParticipants.id, participant.id));
    const outcome = spectator
      ? await stepOutOfOpenRounds(tx, access.session, participant.id)
      : { withdrawn: 0, revealed: false };
    return { participantId: participant.id, spectator, ...outcome };
  });
}

export const phaseSchema = z.strictObject({ phase: z.string().min(1, 'phase is required').max(40) });

export async function setPhase(db: Db, sessionId: string, actorId: string, phase: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const phases = phasesOf[access.session.kind];
    if (!phases.includes(phase))
      throw new AppError('invalid', `phase must be one of ${phases.join(', ')}`, { field: 'phase' });
    const startedAt = access.session.startedAt ?? (phase === phases[0] ? null : new Date());
    await tx.update(liveSessions).set({ phase, startedAt }).where(eq(liveSessions.id, sessionId));
    // Moving a prioritisation room to its Voting step opens the vote, once: a room that says "Voting" while nobody
    // can vote would leave everyone waiting. A vote closed since, or revealed, is reopened only on purpose.
    const { session } = access;
    const opens = phase === 'voting' && session.voting === 'not_open' && !session.resultsRevealedAt;
    if (session.kind === 'prioritisation' && opens)
      await openVotingIn(tx, { ...access, session: { ...session, phase, startedAt } }, actorId);
  });
}

export const currentItemSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be an item on the agenda' }),
});

/** Everyone follows the current item; moving to an item starts its time-box. */
export async function setCurrentItem(db: Db, sessionId: string, actorId: string, itemId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const [entry] = await tx
      .select()
      .from(sessionAgenda)
      .where(and(eq(sessionAgenda.sessionId, sessionId), eq(sessionAgenda.itemId, itemId)));
    if (!entry)
      throw new AppError('invalid', 'That item is not on this session’s agenda', { field: 'itemId' });
    await tx
      .update(liveSessions)
      .set({
        currentItemId: itemId,
        timerSeconds: entry.timeboxSeconds,
        timerEndsAt: new Date(Date.now() + entry.timeboxSeconds * 1000),
        startedAt: access.session.startedAt ?? new Date(),
        // Taking up an item in the lobby starts refining it.
        phase: phaseAfter(access.session.kind, access.session.phase, 'itemChosen'),
      })
      .where(eq(liveSessions.id, sessionId));
  });
}

export const timerSchema = z.strictObject({
  /** start a countdown of this many seconds, or stop the timer with null */
  seconds: z
    .number()
    .int('Whole seconds')
    .min(10, 'At least 10 seconds')
    .max(4 * 3600, 'At most four hours')
    .nullable(),
});

export async function setTimer(db: Db, sessionId: string, actorId: string, seconds: number | null) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    await tx
      .update(liveSessions)
      .set(
        seconds === null
          ? { timerEndsAt: null, timerSeconds: null }
          : { timerSeconds: seconds, timerEndsAt: new Date(Date.now() + seconds * 1000) },
      )
      .where(eq(liveSessions.id, sessionId));
  });
}

export const handSchema = z.strictObject({ raised: z.boolean({ message: 'raised must be true or false' }) });

/**
 * Hand changes per person and session: every change is shown to the whole room, so a script (or a stuck key)
 * flipping a hand must not flood everyone's screen. Twelve a minute is far above a person's use.
 */
export const handChangesPerMinute = 12;
const handLimiter = new RateLimiter(handChangesPerMinute, 60_000);

export async function raiseHand(db: Db, sessionId: string, actorId: string, raised: boolean) {
  const wait = handLimiter.hit(`${sessionId}:${actorId}`);
  if (wait !== null)
    throw new AppError('too_many_requests', `Your hand changed too often; try again in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const participant = assertParticipant(access);
    await tx
      .update(sessionParticipants)
      .set({ handRaisedAt: raised ? new Date() : null })
      .where(eq(sessionParticipants.id, participant.id));
  });
}

/** The facilitator lowers someone's hand once they have spoken. */
export async function lowerHandOf(db: Db, sessionId: string, actorId: string, participantId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    await tx
      .update(sessionParticipants)
      .set({ handRaisedAt: null })
      .where(and(eq(sessionParticipants.id, participantId), eq(sessionParticipants.sessionId, sessionId)));
  });
}

export async function endSession(db: Db, sessionId: string, actorId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const now = new Date();
    await tx
      .update(liveSessions)
      .set({
        endedAt: now,
        startedAt: access.session.startedAt ?? now,
        timerEndsAt: null,
        timerSeconds: null,
      })
      .where(eq(liveSessions.id, sessionId));
    await tx
      .update(sessionParticipants)
      .set({ handRaisedAt: null })
      .where(eq(sessionParticipants.sessionId, sessionId));
  });
}

export const noteSchema = z.strictObject({
  text: z.string().trim().min(1, 'Write the question first').max(2000, 'A note is at most 2000 characters'),
  itemId: z.uuid({ message: 'itemId must be an item on the agenda' }).optional(),
});

/**
 * An open question raised in the room; the summary lists those not resolved. A guest's question is shorter and
 * limited in number (checkGuestQuestion), counted in Postgres under the session's lock, so every copy and every
 * door shares one count.
 */
export async function addNote(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof noteSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const participant = assertParticipant(access);
    if (access.role === 'guest') {
      const earlier = await tx
        .select({ at: sessionNotes.createdAt })
        .from(sessionNotes)
        .where(
          and(
            eq(sessionNotes.sessionId, sessionId),
            eq(sessionNotes.participantId, participant.id),
            eq(sessionNotes.kind, 'question'),
          ),
        );
      const verdict = checkGuestQuestion(
        input.text,
        earlier.map((e) => e.at),
        new Date(),
      );
      if (!verdict.ok) {
        throw new AppError(verdict.code, verdict.message, {
          field: 'text',
          ...(verdict.code === 'too_many_requests' && verdict.retryAfterSeconds
            ? { retryAfterSeconds: verdict.retryAfterSeconds }
            : {}),
        });
      }
    }
    const itemId = input.itemId ?? access.session.currentItemId;
    const [note] = await tx
      .insert(sessionNotes)
      .values({ sessionId, itemId, participantId: participant.id, kind: 'question', text: input.text })
      .returning();
    return note;
  });
}

export async function resolveNote(db: Db, sessionId: string, actorId: string, noteId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const updated = await tx
      .update(sessionNotes)
      .set({ resolvedAt: new Date() })
      .where(
        and(
          eq(sessionNotes.id, noteId),
          eq(sessionNotes.sessionId, sessionId),
          isNull(sessionNotes.resolvedAt),
        ),
      )
      .returning({ id: sessionNotes.id });
    if (updated.length === 0) throw new AppError('not_found', 'No such open question in this session');
  });
}

export const readyCheckSchema = z.strictObject({
  checkId: z.string().min(1, 'checkId is required').max(64),
  checked: z.boolean({ message: 'checked must be true or false' }),
});

/**
 * Ticks one line of the current item's Definition of Ready. One jsonb key is set in SQL, so two people ticking
 * different lines at once both count.
 */
export async function setReadyCheck(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof readyCheckSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    if (!mayEditText(access.role))
      throw new AppError('forbidden', 'Only the product owner and the team tick the Definition of Ready');
    const itemId = access.session.currentItemId;
    if (!itemId) throw new AppError('conflict', 'There is no current item');
    const [product] = await tx
      .select({ dor: products.definitionOfReady })
      .from(products)
      .where(eq(products.id, access.session.productId));
    if (!product.dor.some((line) => line.id === input.checkId)) {
      throw new AppError('invalid', 'No such line in the Definition of Ready', { field: 'checkId' });
    }
    await tx
      .update(backlogItems)
      .set({
        readyChecks: sql`${backlogItems.readyChecks} || jsonb_build_object(${input.checkId}::text, ${input.checked}::boolean)`,
        updatedAt: new Date(),
      })
      .where(eq(backlogItems.id, itemId));
    return { itemId, productId: access.session.productId };
  });
}
