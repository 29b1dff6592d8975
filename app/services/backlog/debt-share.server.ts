import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ShareChange } from '~/domain/debt-share';
import { AppError } from '~/domain/errors';
import { can } from '~/domain/roles';
import { authorize } from '~/services/products.server';
import type { Db } from '../../../db/client';
import { decisions, products } from '../../../db/schema';
import { recordDecisions } from './decisions.server';
import { lockProduct } from './items.server';

/* The product's share of each sprint for technical debt (issue 18): set by the product owner, logged. */

export const debtShareSchema = z.strictObject({
  share: z
    .number({ message: 'The share must be a whole percent from 0 to 100, or empty for none' })
    .int('The share must be a whole percent')
    .min(0, 'The share cannot be below 0 %')
    .max(100, 'The share cannot be above 100 %')
    .nullable()
    .meta({ description: 'Percent of each sprint kept for technical debt (0–100); null for no share' }),
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});
export type DebtShareInput = z.output<typeof debtShareSchema>;

export async function debtShareOf(db: Db, productId: string): Promise<number | null> {
  const [row] = await db
    .select({ share: products.techDebtShare })
    .from(products)
    .where(eq(products.id, productId));
  return row?.share ?? null;
}

/** Sets (or clears, with null) the share. Only the product owner; an actual change is a decision in the log. */
export async function setDebtShare(db: Db, productId: string, actorId: string, input: DebtShareInput) {
  const parsed = debtShareSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'share') });
  }
  const { share, reason } = parsed.data;
  await authorize(db, productId, actorId, 'product.manage');
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const [current] = await tx
      .select({ share: products.techDebtShare })
      .from(products)
      .where(eq(products.id, productId));
    if (current.share === share) return { share, changed: false };
    await tx.update(products).set({ techDebtShare: share }).where(eq(products.id, productId));
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: 'debt_share_changed',
        before: { share: current.share },
        after: { share },
        reason: reason ?? '',
      },
    ]);
    return { share, changed: true };
  });
}

/** Every change of the share from the decision log, oldest first (for the share in force at a sprint's close). */
export async function debtShareChanges(db: Db, productId: string): Promise<ShareChange[]> {
  const rows = await db
    .select({ at: decisions.createdAt, before: decisions.before, after: decisions.after })
    .from(decisions)
    .where(and(eq(decisions.productId, productId), eq(decisions.kind, 'debt_share_changed')))
    .orderBy(asc(decisions.id));
  const shareIn = (v: unknown) => {
    const s = (v as { share?: unknown } | null)?.share;
    return typeof s === 'number' ? s : null;
  };
  return rows.map((r) => ({ at: r.at, before: shareIn(r.before), after: shareIn(r.after) }));
}

/** What Settings shows: the share and whether the reader may change it (the product owner). */
export async function debtShareSettings(db: Db, productId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  return { share: await debtShareOf(db, productId), mayEdit: can(role, 'product.manage') };
}
