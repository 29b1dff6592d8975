import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { liveSessions, memberships, sessionParticipants, users } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { mayBeFacilitator } from '~/domain/policies';
import { handOverRefusal } from '~/domain/refinement';
import { roleIn } from '~/services/products.server';
import { sessionCommand } from './commands.server';
import { customDecksOf, deckChoices, preferredDeckKey } from './poker-decks.server';

export const handOverSchema = z.strictObject({
  facilitatorId: z.uuid({ message: 'facilitatorId must be a member’s user id' }),
});

/**
 * Hands facilitation to another member mid-session: the current facilitator or the product owner picks a product
 * owner or team member of the product. From the next publish on, the new facilitator's room shows the controls
 * and the previous one's (a team member) no longer does; the product owner keeps them whoever facilitates.
 */
export async function handOverFacilitation(
  db: Db,
  sessionId: string,
  actorId: string,
  facilitatorId: string,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const isFacilitator = access.session.facilitatorId === actorId;
    const refusal = handOverRefusal(
      { role: access.role, isFacilitator },
      {
        role: await roleIn(tx, access.session.productId, facilitatorId),
        isFacilitator: access.session.facilitatorId === facilitatorId,
      },
    );
    if (refusal) {
      throw new AppError(
        refusal.code,
        refusal.message,
        refusal.code === 'invalid' ? { field: 'facilitatorId' } : {},
      );
    }
    await tx.update(liveSessions).set({ facilitatorId }).where(eq(liveSessions.id, sessionId));
    return { sessionId, facilitatorId, previousId: access.session.facilitatorId };
  });
}

/**
 * Who facilitation can go to: the product owner and team members of the product other than the current
 * facilitator, those in the session first (`inRoom`), then by name.
 */
export async function handOverCandidates(
  db: Db,
  session: { id: string; productId: string; facilitatorId: string },
) {
  const members = await db
    .select({ userId: memberships.userId, role: memberships.role, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.productId, session.productId),
        inArray(memberships.role, ['product_owner', 'team_member']),
      ),
    );
  const joined = await db
    .select({ userId: sessionParticipants.userId })
    .from(sessionParticipants)
    .where(and(eq(sessionParticipants.sessionId, session.id), isNull(sessionParticipants.removedAt)));
  const inRoom = new Set(joined.map((j) => j.userId));
  return members
    .filter((m) => m.userId !== session.facilitatorId && mayBeFacilitator(m.role))
    .map((m) => ({ userId: m.userId, name: m.name, role: m.role, inRoom: inRoom.has(m.userId) }))
    .sort((a, b) => Number(b.inRoom) - Number(a.inRoom) || a.name.localeCompare(b.name));
}

/** What only the facilitator's room needs: the decks a round can open with, and who facilitation can go to. */
export async function facilitationData(db: Db, sessionId: string) {
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  if (!session) return null;
  const decks = deckChoices(await customDecksOf(db, session.productId));
  return {
    decks: decks.map((d) => ({ key: d.key, label: d.label, cards: d.cards })),
    preferredDeck: preferredDeckKey(session),
    handOver: await handOverCandidates(db, session),
  };
}
