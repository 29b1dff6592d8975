import { and, asc, eq } from 'drizzle-orm';
import { type DebtDelivered, deliveredDebt, shareInForce } from '~/domain/debt-share';
import { debtShareChanges, debtShareOf } from '~/services/backlog/debt-share.server';
import { authorize } from '~/services/products.server';
import type { Db } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';

export interface SprintDebtShare extends DebtDelivered {
  sprintId: string;
  name: string;
  closedAt: Date | null;
}

/**
 * Per closed sprint, oldest first: the share of the accepted points that were technical debt, against the share in
 * force when the sprint closed (from the decision log's `debt_share_changed` entries).
 */
export async function computeDebtShareHistory(db: Db, productId: string) {
  const [rows, changes, current] = await Promise.all([
    db
      .select({
        sprintId: sprints.id,
        name: sprints.name,
        closedAt: sprints.closedAt,
        type: backlogItems.type,
        points: sprintItems.pointsAtReview,
        outcome: sprintItems.outcome,
      })
      .from(sprints)
      .leftJoin(sprintItems, eq(sprintItems.sprintId, sprints.id))
      .leftJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
      .where(and(eq(sprints.productId, productId), eq(sprints.state, 'closed')))
      .orderBy(asc(sprints.startDate), asc(sprints.createdAt)),
    debtShareChanges(db, productId),
    debtShareOf(db, productId),
  ]);
  const bySprint = new Map<string, { name: string; closedAt: Date | null; items: typeof rows }>();
  for (const row of rows) {
    const entry = bySprint.get(row.sprintId) ?? { name: row.name, closedAt: row.closedAt, items: [] };
    if (row.type) entry.items.push(row);
    bySprint.set(row.sprintId, entry);
  }
  const perSprint: SprintDebtShare[] = [...bySprint].map(([sprintId, s]) => ({
    sprintId,
    name: s.name,
    closedAt: s.closedAt,
    ...deliveredDebt(
      s.items.map((i) => ({ type: i.type ?? '', points: i.points, outcome: i.outcome })),
      shareInForce(changes, s.closedAt ?? new Date(), current),
    ),
  }));
  return { share: current, sprints: perSprint };
}

export async function debtShareHistory(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  return computeDebtShareHistory(db, productId);
}
