import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { isOnDeck, roundDeck, type Tally, tally } from '~/domain/poker';
import { type PokerEvent, phaseAfter } from '~/domain/refinement';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { queueFieldPush } from '~/services/trackers/push.server';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  estimateRounds,
  estimates,
  liveSessions,
  sessionParticipants,
  users,
} from '../../../db/schema';
import type { SessionAccess } from './access.server';
import { assertFacilitator, assertParticipant } from './access.server';
import { mayVoteIn, sessionCommand } from './commands.server';
import { autoRevealIfComplete } from './estimators.server';
import { preferredDeckKey, resolveRoundDeck } from './poker-decks.server';
import { settingsOf } from './sessions.server';

type RoundRow = typeof estimateRounds.$inferSelect;

async function latestRound(
  tx: Db | Tx,
  sessionId: string,
  itemId: string,
  lock = false,
): Promise<RoundRow | null> {
  const query = tx
    .select()
    .from(estimateRounds)
    .where(and(eq(estimateRounds.sessionId, sessionId), eq(estimateRounds.itemId, itemId)))
    .orderBy(desc(estimateRounds.number))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

function currentItemOf(access: SessionAccess): string {
  if (!access.session.currentItemId) throw new AppError('conflict', 'There is no current item to estimate');
  return access.session.currentItemId;
}

/** Moves a refinement's phase as its poker goes (app/domain/refinement.ts), in the command's transaction. */
async function followPhase(tx: Tx, access: SessionAccess, event: PokerEvent) {
  const phase = phaseAfter(access.session.kind, access.session.phase, event);
  if (phase !== access.session.phase)
    await tx.update(liveSessions).set({ phase }).where(eq(liveSessions.id, access.session.id));
}

export const startEstimateRoundSchema = z.strictObject({
  /** a built-in deck (fibonacci, tshirt) or the id of one of the product's own decks; by default the last one used */
  deck: z.string().min(1, 'deck must name a deck').max(64, 'No such deck in this product').optional(),
});

/**
 * Starts the first or the next round on the current item (a re-vote); earlier rounds are kept. The round keeps
 * the cards of its deck, and the room moves to its estimating step.
 */
export async function startEstimateRound(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof startEstimateRoundSchema> = {},
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const itemId = currentItemOf(access);
    const previous = await latestRound(tx, sessionId, itemId);
    if (previous && !previous.revealedAt)
      throw new AppError('conflict', 'This round is still open: reveal it before starting a new one');
    const { session } = access;
    // The last deck used may since have been removed from the product: then the session's own deck.
    const chosen = input.deck
      ? await resolveRoundDeck(tx, session.productId, input.deck)
      : await resolveRoundDeck(tx, session.productId, preferredDeckKey(session)).catch(() =>
          resolveRoundDeck(tx, session.productId, settingsOf(session).deck),
        );
    const [round] = await tx
      .insert(estimateRounds)
      .values({
        sessionId,
        itemId,
        number: (previous?.number ?? 0) + 1,
        deck: chosen.deck,
        cards: chosen.cards,
      })
      .returning();
    await tx
      .update(liveSessions)
      .set({
        settings: sql`${liveSessions.settings} || jsonb_build_object('lastDeck', ${chosen.key}::text)`,
        startedAt: session.startedAt ?? new Date(),
      })
      .where(eq(liveSessions.id, sessionId));
    await followPhase(tx, access, 'roundOpened');
    return round;
  });
}

export const castEstimateSchema = z.strictObject({
  value: z.string().min(1, 'value is required').max(10, 'Not a card of the deck'),
});

/**
 * A secret vote on the current round. It is stored only in Postgres; the live document learns only that this
 * participant has voted. Changing one's card is allowed until the reveal. With auto-reveal on, the last missing
 * vote reveals the round in the same transaction.
 */
export async function castEstimate(db: Db, sessionId: string, actorId: string, value: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const participant = assertParticipant(access);
    // Checked here, not only when someone switched to estimating: the facilitator may have stopped letting guests
    // estimate since, and a request can be crafted by hand.
    if (!mayVoteIn(access)) {
      throw new AppError(
        'forbidden',
        access.role === 'guest'
          ? 'The facilitator has not let guests estimate in this session'
          : 'Spectators watch; they do not estimate',
      );
    }
    if (participant.spectator) throw new AppError('forbidden', 'Spectators watch; they do not estimate');
    const itemId = currentItemOf(access);
    const round = await latestRound(tx, sessionId, itemId, true);
    if (!round) throw new AppError('conflict', 'No estimation round is open: the facilitator starts one');
    if (round.revealedAt)
      throw new AppError('conflict', 'This round has been revealed; wait for a re-vote to estimate again');
    if (!isOnDeck(roundDeck(round.deck, round.cards).cards, value))
      throw new AppError('invalid', `${value} is not a card of this deck`, { field: 'value' });
    await tx
      .insert(estimates)
      .values({ roundId: round.id, participantId: participant.id, value })
      .onConflictDoUpdate({
        target: [estimates.roundId, estimates.participantId],
        set: { value, castAt: new Date() },
      });
    const revealed = await autoRevealIfComplete(tx, access.session, round.id);
    return { roundId: round.id, revealed };
  });
}

export async function revealEstimates(db: Db, sessionId: string, actorId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const round = await latestRound(tx, sessionId, currentItemOf(access), true);
    if (!round) throw new AppError('conflict', 'No estimation round to reveal');
    if (round.revealedAt) throw new AppError('conflict', 'This round is already revealed');
    await tx.update(estimateRounds).set({ revealedAt: new Date() }).where(eq(estimateRounds.id, round.id));
    await followPhase(tx, access, 'roundRevealed');
  });
}

export const commitEstimateSchema = z.strictObject({
  estimate: z
    .number()
    .int('Estimate must be whole points')
    .min(0, 'Estimate cannot be negative')
    .max(1000, 'Estimate must be at most 1000'),
});

/** The facilitator writes the agreed estimate to the item, after a reveal; the decision log records it. */
export async function commitEstimate(db: Db, sessionId: string, actorId: string, estimate: number) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const itemId = currentItemOf(access);
    const round = await latestRound(tx, sessionId, itemId, true);
    if (!round?.revealedAt) throw new AppError('conflict', 'Reveal the estimates before committing one');
    const [item] = await tx.select().from(backlogItems).where(eq(backlogItems.id, itemId)).for('update');
    await tx.update(backlogItems).set({ estimate, updatedAt: new Date() }).where(eq(backlogItems.id, itemId));
    await tx.update(estimateRounds).set({ committedValue: estimate }).where(eq(estimateRounds.id, round.id));
    await recordDecisions(tx, [
      {
        productId: access.session.productId,
        itemId,
        actorId,
        kind: 'edited',
        before: { estimate: item.estimate },
        after: { estimate },
        reason: `Planning poker, round ${round.number} of “${access.session.title}”`,
        sessionId,
      },
    ]);
    // A linked Jira issue gets the story points (sent after the commit, in order; decision 0038).
    await queueFieldPush(
      tx,
      itemId,
      { storyPoints: estimate },
      `${estimate} points, agreed in planning poker (round ${round.number} of “${access.session.title}”)`,
    );
    await followPhase(tx, access, 'estimateCommitted');
    return { itemId, productId: access.session.productId };
  });
}

export interface RoundView {
  id: string;
  number: number;
  /** a built-in deck's name (fibonacci, tshirt) or the name of the product's own deck */
  deck: string;
  /** the deck as people read it, and whether its cards are numbers (then the tally has a mean) */
  deckLabel: string;
  numeric: boolean;
  /** the cards of a product's own deck, in order; null for a built-in deck (`deck` names it) */
  cards: string[] | null;
  revealed: boolean;
  committedValue: number | null;
  voted: string[];
  /** the caller's own card: they may see it before the reveal */
  myValue: string | null;
  /** every card with who played it: only after the reveal */
  votes: Array<{ participantId: string; name: string; value: string }> | null;
  tally: Tally | null;
}

/**
 * The rounds on one item as `viewerParticipantId` may see them. Before a reveal nobody (the facilitator
 * included) gets another participant's value: only the list of who voted and their own card.
 */
export async function roundsFor(
  db: Db,
  sessionId: string,
  itemId: string,
  viewerParticipantId: string | null,
): Promise<RoundView[]> {
  const rounds = await db
    .select()
    .from(estimateRounds)
    .where(and(eq(estimateRounds.sessionId, sessionId), eq(estimateRounds.itemId, itemId)))
    .orderBy(desc(estimateRounds.number));
  // Every card of every round in one read (a round on the item is one more row here, not one more query).
  const castAll =
    rounds.length === 0
      ? []
      : await db
          .select({
            roundId: estimates.roundId,
            participantId: estimates.participantId,
            value: estimates.value,
            name: users.displayName,
            guestName: sessionParticipants.guestName,
          })
          .from(estimates)
          .innerJoin(sessionParticipants, eq(sessionParticipants.id, estimates.participantId))
          .leftJoin(users, eq(users.id, sessionParticipants.userId))
          .where(
            inArray(
              estimates.roundId,
              rounds.map((r) => r.id),
            ),
          )
          .orderBy(estimates.castAt);
  const views: RoundView[] = [];
  for (const round of rounds) {
    const cast = castAll.filter((c) => c.roundId === round.id);
    const revealed = round.revealedAt !== null;
    const deck = roundDeck(round.deck, round.cards);
    views.push({
      id: round.id,
      number: round.number,
      deck: round.deck,
      deckLabel: deck.label,
      numeric: deck.numeric,
      cards: round.cards ?? null,
      revealed,
      committedValue: round.committedValue,
      voted: cast.map((c) => c.participantId).sort(),
      myValue: cast.find((c) => c.participantId === viewerParticipantId)?.value ?? null,
      votes: revealed
        ? cast.map((c) => ({
            participantId: c.participantId,
            name: c.name ?? c.guestName ?? 'Guest',
            value: c.value,
          }))
        : null,
      tally: revealed
        ? tally(
            deck.cards,
            cast.map((c) => c.value),
          )
        : null,
    });
  }
  return views;
}
