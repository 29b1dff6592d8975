import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { liveSessions, sessionParticipants } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { mayFacilitate } from '~/domain/policies';
import type { ActorRole } from '~/domain/roles';
import { isUuid, rolesIn } from '~/services/products.server';

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
  const { accessOf } = await sessionAccessMany(db, sessionId, [userId], options);
  const access = accessOf.get(userId)!;
  if (access instanceof AppError) throw access;
  return access;
}

/**
 * The session as each of several callers may see it, in three statements whoever they are (a batch of votes,
 * decision 0027): each caller gets their access or the refusal they would get alone. The session itself missing
 * refuses them all.
 */
export async function sessionAccessMany(
  db: Db | Tx,
  sessionId: string,
  actorIds: readonly string[],
  options: { lock?: boolean } = {},
): Promise<{ session: SessionRow; accessOf: Map<string, SessionAccess | AppError> }> {
  if (!isUuid(sessionId)) throw new AppError('not_found', 'No such session');
  const query = db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  const [session] = options.lock ? await query.for('update') : await query;
  if (!session) throw new AppError('not_found', 'No such session');
  const guestIds = [
    ...new Set(actorIds.map(guestParticipantOf).filter((id): id is string => id !== null && isUuid(id))),
  ];
  const userIds = [...new Set(actorIds.filter((id) => guestParticipantOf(id) === null && isUuid(id)))];
  // Guests are participants by id (and have no user); members by their user id. One read for both.
  const [people, roles] = await Promise.all([
    guestIds.length + userIds.length === 0
      ? []
      : db
          .select()
          .from(sessionParticipants)
          .where(
            and(
              eq(sessionParticipants.sessionId, sessionId),
              isNull(sessionParticipants.removedAt),
              or(
                guestIds.length > 0
                  ? and(inArray(sessionParticipants.id, guestIds), isNull(sessionParticipants.userId))
                  : undefined,
                userIds.length > 0 ? inArray(sessionParticipants.userId, userIds) : undefined,
              ),
            ),
          ),
    rolesIn(db, session.productId, userIds),
  ]);
  const guestById = new Map(people.filter((p) => p.userId === null).map((g) => [g.id, g]));
  const participantOfUser = new Map(people.filter((p) => p.userId !== null).map((p) => [p.userId, p]));
  const accessOf = new Map<string, SessionAccess | AppError>();
  for (const actorId of actorIds) {
    const guestId = guestParticipantOf(actorId);
    if (guestId !== null) {
      // A guest belongs to exactly one session; anywhere else, or once removed, it does not exist.
      const guest = guestById.get(guestId);
      accessOf.set(
        actorId,
        guest
          ? { session, role: 'guest', participant: guest, facilitates: false }
          : new AppError('not_found', 'No such session, or you were removed from it'),
      );
      continue;
    }
    const role = roles.get(actorId);
    accessOf.set(
      actorId,
      role
        ? {
            session,
            role,
            participant: participantOfUser.get(actorId) ?? null,
            facilitates: mayFacilitate({ role, isFacilitator: session.facilitatorId === actorId }),
          }
        : new AppError('not_found', 'No such session'),
    );
  }
  return { session, accessOf };
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
