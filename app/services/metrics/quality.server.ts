import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems, estimateRounds, estimates, liveSessions } from '../../../db/schema';
import { roundDeck } from '~/domain/poker';
import { outcomeRate, pokerSpread, rate, sprintQuality } from '~/domain/quality-metrics';
import { authorize } from '~/services/products.server';
import { sprintHistory } from './history.server';

/** How many recent revealed poker rounds the spread looks at. */
const recentRounds = 200;

/**
 * The PO's quality numbers: review rejection rate and the share of items that entered each sprint not ready
 * (closed sprints), the estimate spread at poker (recent revealed rounds) and the outcome rate (accepted items with
 * a success metric).
 */
export async function computeQualityMetrics(db: Db, productId: string) {
  const history = await sprintHistory(db, productId);
  const closed = history.sprints.filter((s) => s.state === 'closed');
  const perSprint = sprintQuality(
    closed.map((s) => ({
      sprintId: s.id,
      name: s.name,
      accepted: s.acceptedCount,
      rejected: s.rejectedCount,
      committed: s.committedCount,
      enteredNotReady: s.enteredNotReady,
    })),
  );
  const totals = closed.reduce(
    (t, s) => ({
      accepted: t.accepted + s.acceptedCount,
      rejected: t.rejected + s.rejectedCount,
      committed: t.committed + s.committedCount,
      notReady: t.notReady + s.enteredNotReady,
    }),
    { accepted: 0, rejected: 0, committed: 0, notReady: 0 },
  );

  const rounds = await db
    .select({
      id: estimateRounds.id,
      deck: estimateRounds.deck,
      cards: estimateRounds.cards,
      values: sql<string[]>`array_agg(${estimates.value})`,
    })
    .from(estimateRounds)
    .innerJoin(liveSessions, eq(liveSessions.id, estimateRounds.sessionId))
    .innerJoin(estimates, eq(estimates.roundId, estimateRounds.id))
    .where(and(eq(liveSessions.productId, productId), isNotNull(estimateRounds.revealedAt)))
    .groupBy(estimateRounds.id)
    .orderBy(desc(estimateRounds.revealedAt))
    .limit(recentRounds);
  const released = await db
    .select({ successMetric: backlogItems.successMetric, outcome: backlogItems.outcome })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), eq(backlogItems.status, 'accepted')));

  return {
    sprints: perSprint,
    overall: {
      rejectionRate: rate(totals.rejected, totals.accepted + totals.rejected),
      notReadyShare: rate(totals.notReady, totals.committed),
    },
    poker: pokerSpread(
      rounds
        .map((r) => ({ deck: roundDeck(r.deck, r.cards).cards, values: r.values }))
        .filter((r) => r.deck.length > 0),
    ),
    outcomes: outcomeRate(released),
  };
}

export async function qualityMetrics(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  return computeQualityMetrics(db, productId);
}
