import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { liveSessions, sessionParticipants } from '../../../db/schema';
import { AppError } from '../../domain/errors';
import { type Role, can } from '../../domain/roles';
import { isUuid, roleIn } from '../products.server';

export type SessionRow = typeof liveSessions.$inferSelect;
export type ParticipantRow = typeof sessionParticipants.$inferSelect;

export interface SessionAccess {
  session: SessionRow;
  role: Role;
  /** the caller's participation, when they have joined (and were not removed) */
  participant: ParticipantRow | null;
  /** may move phases, run votes and end the session: the named facilitator or the product owner */
  facilitates: boolean;
}

/**
 * The session as the caller may see it. A non-member gets 404, as for products: a session's existence is not
 * revealed to people outside its product. Pass a transaction and `lock` to serialise commands on one session.
 */
export async function sessionAccess(db: Db | Tx, sessionId: string, userId: string, options: { lock?: boolean } = {}): Promise<SessionAccess> {
  if (!isUuid(sessionId)) throw new AppError('not_found', 'No such session');
  const query = db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  const [session] = options.lock ? await query.for('update') : await query;
  if (!session) throw new AppError('not_found', 'No such session');
  const role = await roleIn(db, session.productId, userId);
  if (!role) throw new AppError('not_found', 'No such session');
  const [participant] = await db
    .select()
    .from(sessionParticipants)
    .where(and(eq(sessionParticipants.sessionId, sessionId), eq(sessionParticipants.userId, userId), isNull(sessionParticipants.removedAt)));
  return { session, role, participant: participant ?? null, facilitates: session.facilitatorId === userId || can(role, 'session.run') };
}

/** Refuses every change to a session that has ended: it is read-only from then on. */
export function assertOpen(session: SessionRow) {
  if (session.endedAt) throw new AppError('conflict', 'This session has ended; it is read-only now');
}

export function assertFacilitator(access: SessionAccess) {
  if (!access.facilitates) throw new AppError('forbidden', 'Only the facilitator of this session may do this');
}

export function assertParticipant(access: SessionAccess): ParticipantRow {
  if (!access.participant) throw new AppError('forbidden', 'Join the session first');
  return access.participant;
}
