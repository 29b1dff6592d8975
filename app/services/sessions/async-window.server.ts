import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AsyncWindow,
  asyncWindowState,
  closesAtRefusal,
  instantFromWallClock,
  type ReminderKey,
  remindersDue,
  reminderText,
} from '~/domain/async-voting';
import { AppError } from '~/domain/errors';
import { can } from '~/domain/roles';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { notify } from '~/services/notifications/notify.server';
import { resolveTimeZone, utcOffsetMinutes } from '~/utils/dates';
import type { Db, Tx } from '../../../db/client';
import {
  asyncVoteReminders,
  asyncVoteWindows,
  dotVotes,
  liveSessions,
  memberships,
  sessionParticipants,
  sessionScores,
  users,
} from '../../../db/schema';
import { assertFacilitator, type SessionRow, sessionAccess } from './access.server';
import { sessionCommand } from './commands.server';
import { settingsOf } from './sessions.server';

/* Votes before the meeting (issue 18): the asynchronous voting window of a prioritisation session. */

export const asyncWindowSchema = z.strictObject({
  action: z.enum(['open', 'close'], { message: 'action must be open or close' }),
  /** ISO 8601 with an offset, or a wall-clock date and time (2026-12-05T17:30) in `timeZone` */
  closesAt: z
    .string({ message: 'closesAt must be a date and time' })
    .trim()
    .max(40, 'closesAt is too long')
    .optional(),
  timeZone: z.string().trim().max(64, 'timeZone is too long').optional(),
});
export type AsyncWindowInput = z.output<typeof asyncWindowSchema>;

export type WindowRow = typeof asyncVoteWindows.$inferSelect;

export async function asyncWindowOf(db: Db | Tx, sessionId: string): Promise<WindowRow | null> {
  const [row] = await db.select().from(asyncVoteWindows).where(eq(asyncVoteWindows.sessionId, sessionId));
  return row ?? null;
}

/** Whether the session's window takes votes now (the vote commands ask this before the live vote opens). */
export async function asyncWindowOpen(db: Db | Tx, sessionId: string, now = new Date()) {
  return asyncWindowState(await asyncWindowOf(db, sessionId), now) === 'open';
}

/** The ids of the session's participants who have not been removed. */
async function stillInSession(db: Db | Tx, sessionId: string): Promise<Set<string>> {
  const active = await db
    .select({ id: sessionParticipants.id })
    .from(sessionParticipants)
    .where(and(eq(sessionParticipants.sessionId, sessionId), isNull(sessionParticipants.removedAt)));
  return new Set(active.map((a) => a.id));
}

/** The participants (still in the session) who have given a dot or a score: ids only. */
async function votersNow(db: Db | Tx, sessionId: string): Promise<string[]> {
  const [dotted, scored, inSession] = await Promise.all([
    db.selectDistinct({ id: dotVotes.participantId }).from(dotVotes).where(eq(dotVotes.sessionId, sessionId)),
    db
      .selectDistinct({ id: sessionScores.participantId })
      .from(sessionScores)
      .where(eq(sessionScores.sessionId, sessionId)),
    stillInSession(db, sessionId),
  ]);
  return [...new Set([...dotted, ...scored].map((r) => r.id))].filter((id) => inSession.has(id)).sort();
}

/**
 * Closes the session's window inside the caller's transaction (by hand, at closes-at, or because the live vote
 * opens): who had voted is kept (ids, never votes), and the decision log says how many. Nothing when it was closed.
 */
export async function closeWindowIn(
  tx: Tx,
  session: Pick<SessionRow, 'id' | 'productId' | 'facilitatorId'>,
  actorId: string | null,
  now: Date,
) {
  const window = await asyncWindowOf(tx, session.id);
  if (!window || window.closedAt) return null;
  const closedAt = now.getTime() > window.closesAt.getTime() ? window.closesAt : now;
  const voters = await votersNow(tx, session.id);
  const [closed] = await tx
    .update(asyncVoteWindows)
    .set({ closedAt, earlyVoters: voters })
    .where(and(eq(asyncVoteWindows.sessionId, session.id), isNull(asyncVoteWindows.closedAt)))
    .returning();
  if (!closed) return null;
  await recordDecisions(tx, [
    {
      productId: session.productId,
      actorId: actorId ?? window.openedBy ?? session.facilitatorId,
      kind: 'async_voting_closed',
      sessionId: session.id,
      after: {
        voters: voters.length,
        closesAt: window.closesAt.toISOString(),
        closedAt: closedAt.toISOString(),
      },
    },
  ]);
  return closed;
}

function closingTime(input: AsyncWindowInput): Date {
  if (!input.closesAt) throw new AppError('invalid', 'Give the closing date and time', { field: 'closesAt' });
  const zone = resolveTimeZone(input.timeZone);
  const at = instantFromWallClock(input.closesAt, (d) => utcOffsetMinutes(d, zone));
  if (!at) throw new AppError('invalid', 'closesAt must be a date and time', { field: 'closesAt' });
  return at;
}

/**
 * The facilitator (or the product owner) opens the window before the live session, moves its closing time, or
 * closes it. Only before the live vote opened and before any reveal; the decision log records each.
 */
export async function setAsyncWindow(
  db: Db,
  sessionId: string,
  actorId: string,
  input: AsyncWindowInput,
  now = new Date(),
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const { session } = access;
    if (session.kind !== 'prioritisation')
      throw new AppError('conflict', 'Votes before the meeting are for prioritisation sessions');
    assertFacilitator(access);
    if (session.voting !== 'not_open' || session.resultsRevealedAt)
      throw new AppError('conflict', 'The live vote has opened: votes before the meeting are over');
    const window = await asyncWindowOf(tx, sessionId);
    if (input.action === 'close') {
      if (asyncWindowState(window, now) !== 'open')
        throw new AppError('conflict', 'No voting window is open');
      await closeWindowIn(tx, session, actorId, now);
      return { sessionId, state: 'closed' as const };
    }
    const closesAt = closingTime(input);
    const refusal = closesAtRefusal(closesAt, now);
    if (refusal) throw new AppError('invalid', refusal, { field: 'closesAt' });
    const timeZone = resolveTimeZone(input.timeZone);
    const extending = asyncWindowState(window, now) === 'open';
    // An open window moves its closing time; a new one (or one that closed) opens afresh.
    const values = extending
      ? { closesAt, timeZone }
      : { openedBy: actorId, openedAt: now, closesAt, timeZone, closedAt: null, earlyVoters: null };
    await tx
      .insert(asyncVoteWindows)
      .values({ sessionId, ...values })
      .onConflictDoUpdate({ target: asyncVoteWindows.sessionId, set: values });
    await recordDecisions(tx, [
      {
        productId: session.productId,
        actorId,
        kind: 'async_voting_opened',
        sessionId,
        before: extending && window ? { closesAt: window.closesAt.toISOString() } : null,
        after: { closesAt: closesAt.toISOString(), timeZone, extended: extending },
      },
    ]);
    return { sessionId, state: 'open' as const, closesAt: closesAt.toISOString() };
  });
}

/**
 * The window as everyone in the session may know it: when it closes and who voted in it (ids, or only how many
 * when the session is anonymous); never a vote.
 */
export async function asyncWindowView(
  db: Db | Tx,
  session: Pick<SessionRow, 'id' | 'settings' | 'voting'>,
  now = new Date(),
) {
  const window = await asyncWindowOf(db, session.id);
  if (!window) return null;
  const state = asyncWindowState(window, now);
  // Who voted in the window: kept when it closed; while open (or past closes-at before the tick), who has now.
  // Either way only those still in the session: someone removed later no longer counts (their votes do not either).
  const kept = window.earlyVoters;
  const early = kept
    ? await stillInSession(db, session.id).then((inSession) => kept.filter((id) => inSession.has(id)))
    : session.voting === 'not_open'
      ? await votersNow(db, session.id)
      : [];
  const anonymous = settingsOf(session).anonymous;
  return {
    state,
    openedAt: window.openedAt.toISOString(),
    closesAt: window.closesAt.toISOString(),
    closedAt: window.closedAt?.toISOString() ?? null,
    timeZone: window.timeZone,
    earlyVoterCount: early.length,
    earlyVoters: anonymous ? null : early,
  };
}
export type AsyncWindowView = NonNullable<Awaited<ReturnType<typeof asyncWindowView>>>;

/** The window of a session the caller may see, checked against the product in the path. */
export function assertSessionInProduct(session: { productId: string }, productId: string) {
  if (session.productId !== productId) throw new AppError('not_found', 'No such session in this product');
}

/** Closes the windows whose closing time has passed (the background tick); the sessions to publish. */
export async function closeExpiredWindows(db: Db, now = new Date()): Promise<string[]> {
  const due = await db
    .select({ sessionId: asyncVoteWindows.sessionId })
    .from(asyncVoteWindows)
    .where(and(isNull(asyncVoteWindows.closedAt), lte(asyncVoteWindows.closesAt, now)));
  const closed: string[] = [];
  for (const { sessionId } of due) {
    const done = await db.transaction(async (tx) => {
      const [session] = await tx
        .select()
        .from(liveSessions)
        .where(eq(liveSessions.id, sessionId))
        .for('update');
      if (!session) return null;
      return closeWindowIn(tx, session, null, now);
    });
    if (done) closed.push(sessionId);
  }
  return closed;
}

export interface RecordedReminder {
  id: string;
  sessionId: string;
  productId: string;
  sessionTitle: string;
  userId: string;
  reminder: ReminderKey;
  closesAt: Date;
}

/**
 * Records the reminders due now (app/domain/async-voting.ts, remindersDue) for every open window, each once: the
 * unique index makes a second copy of the server, or a second tick, record nothing more. Returns what it recorded,
 * for whatever delivers them (the seam the in-app notifications connect to).
 */
export async function recordDueReminders(db: Db, now = new Date()): Promise<RecordedReminder[]> {
  const windows = await db
    .select({ window: asyncVoteWindows, session: liveSessions })
    .from(asyncVoteWindows)
    .innerJoin(liveSessions, eq(liveSessions.id, asyncVoteWindows.sessionId))
    .where(
      and(
        isNull(asyncVoteWindows.closedAt),
        gt(asyncVoteWindows.closesAt, now),
        eq(liveSessions.voting, 'not_open'),
        isNull(liveSessions.endedAt),
      ),
    );
  const recorded: RecordedReminder[] = [];
  for (const { window, session } of windows) {
    const members = await db
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.productId, session.productId));
    const people = await db
      .select({
        id: sessionParticipants.id,
        userId: sessionParticipants.userId,
        spectator: sessionParticipants.spectator,
        removedAt: sessionParticipants.removedAt,
      })
      .from(sessionParticipants)
      .where(eq(sessionParticipants.sessionId, session.id));
    // Someone removed from the session, or who chose to watch, is not asked to vote.
    const out = new Set(people.filter((p) => p.removedAt || p.spectator).map((p) => p.userId));
    const eligible = members
      .filter((m) => can(m.role, 'session.vote') && !out.has(m.userId))
      .map((m) => m.userId);
    const voterIds = new Set(await votersNow(db, session.id));
    const voted = new Set(people.filter((p) => p.userId && voterIds.has(p.id)).map((p) => p.userId!));
    const sentRows = await db
      .select({ userId: asyncVoteReminders.userId, reminder: asyncVoteReminders.reminder })
      .from(asyncVoteReminders)
      .where(
        and(eq(asyncVoteReminders.sessionId, session.id), eq(asyncVoteReminders.closesAt, window.closesAt)),
      );
    const due = remindersDue({
      window,
      now,
      eligible,
      voted,
      sent: new Set(sentRows.map((r) => `${r.userId} ${r.reminder}`)),
    });
    if (due.length === 0) continue;
    const rows = await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(asyncVoteReminders)
        .values(
          due.map((d) => ({
            sessionId: session.id,
            userId: d.userId,
            reminder: d.reminder,
            closesAt: window.closesAt,
          })),
        )
        .onConflictDoNothing()
        .returning();
      // Each person is reminded in the app once per reminder, with the reminder's record (decision 0041).
      for (const key of new Set(inserted.map((r) => r.reminder as ReminderKey)))
        await notify(tx, {
          productId: session.productId,
          kind: 'vote_reminder',
          to: { userIds: inserted.filter((r) => r.reminder === key).map((r) => r.userId) },
          text: reminderText(key, session.title),
          link: `/products/${session.productId}/sessions/${session.id}`,
          data: { sessionId: session.id, closesAt: window.closesAt.toISOString(), reminder: key },
        });
      return inserted;
    });
    for (const row of rows)
      recorded.push({
        id: row.id,
        sessionId: session.id,
        productId: session.productId,
        sessionTitle: session.title,
        userId: row.userId,
        reminder: row.reminder as ReminderKey,
        closesAt: row.closesAt,
      });
  }
  return recorded;
}

/** The reminders recorded for a session (the facilitator's view, and tests). */
export function remindersOf(db: Db, sessionIds: string[]) {
  return db.select().from(asyncVoteReminders).where(inArray(asyncVoteReminders.sessionId, sessionIds));
}

export type { AsyncWindow };

/**
 * The window for the API and the room: when it closes, and who has voted before the meeting and who has not
 * (names only, and only counts when the session is anonymous). Never a vote or a total before the reveal.
 */
export async function asyncWindowReport(db: Db, productId: string, sessionId: string, actorId: string) {
  const access = await sessionAccess(db, sessionId, actorId);
  assertSessionInProduct(access.session, productId);
  if (access.session.kind !== 'prioritisation')
    throw new AppError('conflict', 'Votes before the meeting are for prioritisation sessions');
  const view = await asyncWindowView(db, access.session);
  const people = await db
    .select({
      id: sessionParticipants.id,
      name: users.displayName,
      guestName: sessionParticipants.guestName,
    })
    .from(sessionParticipants)
    .leftJoin(users, eq(users.id, sessionParticipants.userId))
    .where(
      and(
        eq(sessionParticipants.sessionId, sessionId),
        isNull(sessionParticipants.removedAt),
        eq(sessionParticipants.spectator, false),
      ),
    )
    .orderBy(sessionParticipants.joinedAt);
  const early = view?.earlyVoters ? new Set(view.earlyVoters) : null;
  const named = (p: (typeof people)[number]) => ({
    participantId: p.id,
    name: p.name ?? p.guestName ?? 'Guest',
  });
  return {
    state: view?.state ?? ('none' as const),
    openedAt: view?.openedAt ?? null,
    closesAt: view?.closesAt ?? null,
    closedAt: view?.closedAt ?? null,
    timeZone: view?.timeZone ?? null,
    anonymous: settingsOf(access.session).anonymous,
    voterCount: view?.earlyVoterCount ?? 0,
    voted: early ? people.filter((p) => early.has(p.id)).map(named) : null,
    notYet: early ? people.filter((p) => !early.has(p.id)).map(named) : null,
    youVoted: access.participant ? (await votersNow(db, sessionId)).includes(access.participant.id) : false,
  };
}
export type AsyncWindowReport = Awaited<ReturnType<typeof asyncWindowReport>>;

/** Refuses (404) a session the caller may not see, or one of another product than the path's. */
export async function assertSessionOfProduct(db: Db, productId: string, sessionId: string, actorId: string) {
  const { session } = await sessionAccess(db, sessionId, actorId);
  assertSessionInProduct(session, productId);
}
