import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { liveSessions, sessionParticipants } from '../../../db/schema';
import { sessionDocument } from '~/domain/document-names';
import { AppError } from '~/domain/errors';
import { RateLimiter } from '~/domain/rate-limit';
import { issueLiveToken } from '~/domain/signed-token';
import { guestJoinsWatching } from '~/domain/session-guests';
import { assertFacilitator } from './access.server';
import { asyncWindowOpen } from './async-window.server';
import { sessionCommand } from './commands.server';
import { stepOutOfOpenRounds } from './estimators.server';
import { settingsOf } from './sessions.server';

export const guestJoinSchema = z.strictObject({
  displayName: z
    .string({ message: 'Give the name others will see' })
    .trim()
    .min(1, 'Give the name others will see')
    .max(60, 'A name is at most 60 characters'),
});

/** Guests stay signed in to their session for a working day; after that they join again by the link. */
export const guestTokenSeconds = 12 * 3600;
const maxGuestsPerSession = 500;

/**
 * Someone without an account joins by the session's link with a display name. They become a participant of this
 * session only, and get a signed token naming that participant (for the API and the live channel). In refinement
 * sessions guests watch (and estimate while the facilitator lets them); in prioritisation sessions and reviews they
 * vote and give feedback.
 */
export async function joinAsGuest(
  db: Db,
  secret: string,
  joinCode: string,
  input: z.output<typeof guestJoinSchema>,
) {
  if (joinCode.length > 100) throw new AppError('not_found', 'This session link is not valid');
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.joinCode, joinCode));
  if (!session) throw new AppError('not_found', 'This session link is not valid');
  if (session.endedAt) throw new AppError('gone', 'This session has ended');
  if (!session.guestsAllowed)
    throw new AppError('forbidden', 'The facilitator has closed this session to guests');
  const participant = await db.transaction(async (tx) => {
    await tx
      .select({ id: liveSessions.id })
      .from(liveSessions)
      .where(eq(liveSessions.id, session.id))
      .for('update');
    const [{ n }] = await tx
      .select({ n: count() })
      .from(sessionParticipants)
      .where(and(eq(sessionParticipants.sessionId, session.id), isNotNull(sessionParticipants.guestName)));
    if (n >= maxGuestsPerSession)
      throw new AppError('conflict', `This session is full (${maxGuestsPerSession} guests)`);
    const [row] = await tx
      .insert(sessionParticipants)
      .values({
        sessionId: session.id,
        guestName: input.displayName,
        spectator: guestJoinsWatching(session.kind, settingsOf(session)),
      })
      .returning();
    // As for members: the first person in the room starts the session (not one voting before the meeting).
    if (!session.startedAt && !(await asyncWindowOpen(tx, session.id))) {
      await tx
        .update(liveSessions)
        .set({ startedAt: new Date() })
        .where(and(eq(liveSessions.id, session.id), isNull(liveSessions.startedAt)));
    }
    return row;
  });
  return {
    sessionId: session.id,
    kind: session.kind,
    title: session.title,
    participantId: participant.id,
    displayName: input.displayName,
    spectator: participant.spectator,
    guestToken: issueLiveToken(secret, participant.id, 'guest', guestTokenSeconds),
    documentName: sessionDocument(session.id),
  };
}

export const guestLinkSchema = z.strictObject({ open: z.boolean({ message: 'open must be true or false' }) });

/** Opens or closes the session to new guests (facilitator). Guests already in stay until removed. */
export async function setGuestLink(db: Db, sessionId: string, actorId: string, open: boolean) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    await tx.update(liveSessions).set({ guestsAllowed: open }).where(eq(liveSessions.id, sessionId));
  });
}

export const guestEstimatingSchema = z.strictObject({
  allowed: z.boolean({ message: 'allowed must be true or false' }),
});

/**
 * The facilitator lets the guests of a refinement estimate, or stops them. On: every guest in the session gets the
 * deck (they may still switch to watching), and guests who join later estimate from the start. Off: every guest
 * watches again and their cards in rounds not yet revealed are withdrawn unseen (a round that then waited only for
 * them is revealed with auto-reveal), and from then on the server refuses a guest's card whatever the request.
 */
export async function setGuestEstimating(db: Db, sessionId: string, actorId: string, allowed: boolean) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const { session } = access;
    if (session.kind !== 'refinement')
      throw new AppError('conflict', 'Guests estimate only in refinement sessions (planning poker)');
    await tx
      .update(liveSessions)
      .set({ settings: { ...session.settings, guestsEstimate: allowed } })
      .where(eq(liveSessions.id, sessionId));
    const guests = await tx
      .update(sessionParticipants)
      .set({ spectator: !allowed })
      .where(
        and(
          eq(sessionParticipants.sessionId, sessionId),
          isNull(sessionParticipants.userId),
          isNull(sessionParticipants.removedAt),
        ),
      )
      .returning({ id: sessionParticipants.id });
    let withdrawn = 0;
    let revealed = false;
    if (!allowed) {
      for (const guest of guests) {
        const outcome = await stepOutOfOpenRounds(tx, session, guest.id);
        withdrawn += outcome.withdrawn;
        revealed ||= outcome.revealed;
      }
    }
    return { allowed, guests: guests.length, withdrawn, revealed };
  });
}

/**
 * What the refinement room shows whoever runs it about guests: the absolute join link (on `origin`: PUBLIC_URL or
 * the request's), whether it is open, whether guests estimate, and the guests in the room (to remove one).
 * Null for anyone else and once the session has ended.
 */
export async function refinementGuestPanel(
  db: Db,
  view: {
    session: { id: string; kind: string; state: string };
    may: { facilitate: boolean };
    participants: Array<{ id: string; userId: string | null; name: string; spectator: boolean }>;
  },
  origin: string,
) {
  if (view.session.kind !== 'refinement' || !view.may.facilitate || view.session.state === 'ended')
    return null;
  const [row] = await db
    .select({
      joinCode: liveSessions.joinCode,
      guestsAllowed: liveSessions.guestsAllowed,
      settings: liveSessions.settings,
    })
    .from(liveSessions)
    .where(eq(liveSessions.id, view.session.id));
  if (!row) return null;
  return {
    joinUrl: `${origin}/join/${row.joinCode}`,
    open: row.guestsAllowed,
    estimate: settingsOf(row).guestsEstimate,
    guests: view.participants
      .filter((p) => p.userId === null)
      .map((p) => ({ id: p.id, name: p.name, spectator: p.spectator })),
  };
}

/**
 * Guest joins per address, shared by the join page and the API (one count whichever door is used), one limiter
 * per running app so two apps in one process (tests) do not share counts. Returns the seconds to wait, or null.
 */
export function guestJoinWait(
  app: { config: { GUEST_JOINS_PER_MINUTE: number } },
  address: string,
): number | null {
  let limiter = guestJoinLimiters.get(app);
  if (!limiter) {
    limiter = new RateLimiter(app.config.GUEST_JOINS_PER_MINUTE, 60_000);
    guestJoinLimiters.set(app, limiter);
  }
  return limiter.hit(address);
}

const guestJoinLimiters = new WeakMap<object, RateLimiter>();
