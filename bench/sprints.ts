import type { Db } from '../db/client';
import { sprintItems, sprints } from '../db/schema';

/**
 * Sprint `index + 1` of a two-week cadence from 6 July 2026, closed, with `delivered` accepted in it: the history a
 * forecast needs, written straight into the tables (the benchmarks time the backlog, not the review).
 */
export async function insertClosedSprint(
  db: Db,
  productId: string,
  index: number,
  delivered: ReadonlyArray<{ itemId: string; points: number; pointsAtCommit?: number }>,
) {
  const start = new Date(Date.UTC(2026, 6, 6 + index * 14));
  const end = new Date(start.getTime() + 11 * 86_400_000);
  const [sprint] = await db
    .insert(sprints)
    .values({
      productId,
      name: `Sprint ${index + 1}`,
      startDate: start.toISOString().slice(0, 10),
      endDate: end.toISOString().slice(0, 10),
      state: 'closed',
      closedAt: end,
    })
    .returning({ id: sprints.id });
  await db.insert(sprintItems).values(
    delivered.map((d) => ({
      sprintId: sprint.id,
      itemId: d.itemId,
      statusBefore: 'ready' as const,
      pointsAtCommit: d.pointsAtCommit,
      pointsAtReview: d.points,
      outcome: 'accepted' as const,
      doneAt: end,
      decidedAt: end,
    })),
  );
}
