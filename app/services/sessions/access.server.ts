import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { liveSessions, sessionParticipants } from '../../../db/schema';
import { AppError } from '../../domain/errors';
import { type ActorRole, can } from '../../domain/roles';
import { isUuid, roleIn } from '../products.server';

export type SessionRow = typeof liveSessions.$inferSelect;
export type ParticipantRow = typeof sessionParticipants.$inferSelect;

/**
 * Who acts in a session: a member (their user id) or a guest. A guest's actor id is `guest:<participant id>`,
 * made only by the server after it verified the guest's signed token (guestActor); user ids are uuids, so the two
 * never collide.
 */
export const guestActor = (participantId: string) => `guest:${participantId}`;
export const guestParticipantOf = (actorId: string): string | null =>
  actorId.startsWith('guest:') ? actorId.slice(6) : null;

export interface SessionAccess {
  session: SessionRow;
  role: ActorRole;
  /** the caller's participation, when they have joined (and were not removed) */
  participant: ParticipantRow | null;
  /** may move phases, run votes and end the session: the named facilitator or the product owner */
  facilitates: boolean;
}

/**
 * The session as the caller may see it. A non-member gets 404, as for products: a session's existence is not
 * revealed to people outside its product. Pass a transaction and `lock` to serialise commands on one session.
 */
export async function sessionAccess(
  db: Db | Tx,
  sessionId: string,
  userId: string,
  options: { lock?: boolean } = {},
): Promise<SessionAccess> {
  if (!isUuid(sessionId)) throw new AppError('not_found', 'No such session');
  const query = db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  const [session] = options.lock ? await query.for('update') : await query;
  if (!session) throw new AppError('not_found', 'No such session');
  const guestId = guestParticipantOf(userId);
  if (guestId !== null) {
    // A guest belongs to exactly one session; anywhere else, or once removed, it does not exist.
    const [guest] = isUuid(guestId)
      ? await db
          .select()
          .from(sessionParticipants)
          .where(
            and(
              eq(sessionParticipants.id, guestId),
              eq(sessionParticipants.sessionId, sessionId),
              isNull(sessionParticipants.removedAt),
            ),
          )
      : [];
    if (!guest || guest.userId !== null)
      throw new AppError('not_found', 'No such session, or you were removed from it');
    return { session, role: 'guest', participant: guest, facilitates: false };
  }
  const role = await roleIn(db, session.productId, userId);
  if (!role) throw new AppError('not_found', 'No such session');
  const [participant] = await db
    .select()
    .from(sessionParticipants)
    .where(
      and(
        eq(sessionParticipants.sessionId, sessionId),
        eq(sessionParticipants.userId, userId),
        isNull(sessionParticipants.removedAt),
      ),
    );
  return {
    session,
    role,
    participant: participant ?? null,
    facilitates: session.facilitatorId === userId || can(role, 'session.run'),
  };
}

/** Refuses every change to a session that has ended: it is read-only from then on. */
export function assertOpen(session: SessionRow) {
  if (session.endedAt) throw new AppError('conflict', 'This session has ended; it is read-only now');
}

export function assertFacilitator(access: SessionAccess) {
  if (!access.facilitates)
    throw new AppError('forbidden', 'Only the facilitator of this session may do this');
}

export function assertParticipant(access: SessionAccess): ParticipantRow {
  if (!access.participant) throw new AppError('forbidden', 'Join the session first');
  return access.participant;
}
