import { and, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  backlogStability,
  type OrderChange,
  type StabilityMove,
  type StabilityWeek,
} from '~/domain/backlog-stability';
import { hiddenItemTitle, itemsVisibleTo } from '~/services/backlog/visibility.server';
import { authorize } from '~/services/products.server';
import type { Db } from '../../../db/client';
import { backlogItems, decisions, users } from '../../../db/schema';

export const defaultStabilityWeeks = 12;
export const maxStabilityWeeks = 52;

export const stabilityQuerySchema = z.strictObject({
  weeks: z.coerce
    .number({ message: `weeks must be a whole number from 1 to ${maxStabilityWeeks}` })
    .int(`weeks must be a whole number from 1 to ${maxStabilityWeeks}`)
    .min(1, `weeks must be a whole number from 1 to ${maxStabilityWeeks}`)
    .max(maxStabilityWeeks, `weeks must be a whole number from 1 to ${maxStabilityWeeks}`)
    .default(defaultStabilityWeeks),
});

/** The decision kinds that change the order (see app/domain/backlog-stability.ts for why these and no others). */
const orderKinds = ['moved', 'proposal_applied'] as const;

export interface StabilityMoveView extends StabilityMove {
  title: string;
  /** the item is one the viewer may not see (or is gone): the title is `hiddenItemTitle` */
  hidden: boolean;
  /** the proposal's mode (wsjf, moscow) for a `proposal_applied` change */
  mode: string | null;
}

export interface StabilityReport {
  /** how many weeks back the report looks, the current one included */
  windowWeeks: number;
  /** items in the order now */
  backlogSize: number;
  timeZone: string;
  /** the weeks with order changes, newest first */
  weeks: Array<Omit<StabilityWeek, 'moves'> & { moves: StabilityMoveView[] }>;
}

const position = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

/**
 * How much the order moved each week of the last `weeks` (the current one included), newest first, with each
 * week's changes and their reasons. Anyone who may view the product sees it (stakeholders are who it explains
 * reshuffles to); titles of items the viewer may not see are not shown.
 */
export async function backlogStabilityReport(
  db: Db,
  productId: string,
  userId: string,
  options: { weeks?: number; timeZone?: string; now?: Date } = {},
): Promise<StabilityReport> {
  await authorize(db, productId, userId, 'product.view');
  const weeks = Math.min(Math.max(Math.trunc(options.weeks ?? defaultStabilityWeeks), 1), maxStabilityWeeks);
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? 'UTC';
  // A day more than the window on each side covers every time zone; the domain cuts at the viewer's Monday.
  const since = new Date(now.getTime() - (weeks * 7 + 1) * 86_400_000);
  const [rows, [size]] = await Promise.all([
    db
      .select({
        itemId: decisions.itemId,
        kind: decisions.kind,
        before: decisions.before,
        after: decisions.after,
        reason: decisions.reason,
        createdAt: decisions.createdAt,
        actor: sql<string>`coalesce(${users.displayName}, 'someone')`,
      })
      .from(decisions)
      .leftJoin(users, eq(users.id, decisions.actorId))
      .where(
        and(
          eq(decisions.productId, productId),
          inArray(decisions.kind, [...orderKinds]),
          gte(decisions.createdAt, since),
        ),
      )
      .orderBy(decisions.id),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived'))),
  ]);

  const changes: Array<OrderChange & { mode: string | null }> = [];
  for (const row of rows) {
    const base = { at: new Date(row.createdAt), reason: row.reason, actor: row.actor };
    if (row.kind === 'moved') {
      const from = position((row.before as { position?: unknown } | null)?.position);
      const to = position((row.after as { position?: unknown } | null)?.position);
      if (row.itemId && from !== null && to !== null)
        changes.push({ ...base, kind: 'moved', itemId: row.itemId, from, to, mode: null });
    } else {
      const before = (row.before as { order?: unknown } | null)?.order;
      const after = row.after as { order?: unknown; mode?: unknown } | null;
      if (!Array.isArray(before) || !Array.isArray(after?.order)) continue;
      const mode = typeof after.mode === 'string' ? after.mode : null;
      const placeBefore = new Map(before.map((id, index) => [String(id), index + 1]));
      after.order.forEach((id, index) => {
        const from = placeBefore.get(String(id));
        if (from !== undefined && from !== index + 1)
          changes.push({ ...base, kind: 'proposal_applied', itemId: String(id), from, to: index + 1, mode });
      });
    }
  }

  const result = backlogStability(changes, { backlogSize: size?.count ?? 0, weeks, now, timeZone });
  const shownIds = [...new Set(result.flatMap((w) => w.moves.map((m) => m.itemId)))];
  const visible = [...(await itemsVisibleTo(db, userId, shownIds))];
  const titles = new Map(
    visible.length === 0
      ? []
      : (
          await db
            .select({ id: backlogItems.id, title: backlogItems.title })
            .from(backlogItems)
            .where(inArray(backlogItems.id, visible))
        ).map((r) => [r.id, r.title] as const),
  );
  return {
    windowWeeks: weeks,
    backlogSize: size?.count ?? 0,
    timeZone,
    weeks: result.map((week) => ({
      ...week,
      moves: week.moves.map((move) => {
        const title = titles.get(move.itemId);
        return {
          ...move,
          mode: (move as StabilityMove & { mode?: string | null }).mode ?? null,
          title: title ?? hiddenItemTitle,
          hidden: title === undefined,
        };
      }),
    })),
  };
}
