import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { products } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { type ChecklistItem, checklistSchema } from '~/domain/readiness';
import { can } from '~/domain/roles';
import { authorize } from '~/services/products.server';
import { recordDecisions } from './decisions.server';
import { lockProduct } from './items.server';
import { definitionKinds } from '~/domain/readiness';

export { type DefinitionKind, definitionKinds, definitionNames } from '~/domain/readiness';

/** The product owner keeps the Definition of Ready; the team (and the PO) keeps the Definition of Done. */
const permissionFor = { ready: 'backlog.order', done: 'backlog.edit' } as const;

export const updateDefinitionSchema = z.strictObject({
  kind: z.enum(definitionKinds, { message: 'kind must be ready or done' }),
  checklist: checklistSchema,
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});
export type UpdateDefinitionInput = z.output<typeof updateDefinitionSchema>;

export async function getDefinitions(db: Db, productId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  const [row] = await db
    .select({ ready: products.definitionOfReady, done: products.definitionOfDone })
    .from(products)
    .where(eq(products.id, productId));
  return {
    ready: row.ready as ChecklistItem[],
    done: row.done as ChecklistItem[],
    mayEdit: { ready: can(role, permissionFor.ready), done: can(role, permissionFor.done) },
  };
}

/**
 * Replaces one checklist. Ids are kept for lines that stay, so items' ticks survive a rewording; the change is
 * logged (before and after) as a decision.
 */
export async function updateDefinition(
  db: Db,
  productId: string,
  actorId: string,
  input: UpdateDefinitionInput,
) {
  const parsed = updateDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'checklist') });
  }
  const { kind, checklist, reason } = parsed.data;
  const role = await authorize(db, productId, actorId, 'product.view');
  if (!can(role, permissionFor[kind])) {
    throw new AppError(
      'forbidden',
      kind === 'ready'
        ? 'Only the product owner changes the Definition of Ready'
        : 'Only the team and the product owner change the Definition of Done',
    );
  }
  const column = kind === 'ready' ? products.definitionOfReady : products.definitionOfDone;
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const [current] = await tx.select({ list: column }).from(products).where(eq(products.id, productId));
    const before = current.list as ChecklistItem[];
    if (JSON.stringify(before) === JSON.stringify(checklist)) return { changed: false, checklist: before };
    await tx
      .update(products)
      .set(kind === 'ready' ? { definitionOfReady: checklist } : { definitionOfDone: checklist })
      .where(eq(products.id, productId));
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: 'definition_changed',
        before: { definition: kind, checklist: before },
        after: { definition: kind, checklist },
        reason: reason ?? '',
      },
    ]);
    return { changed: true, checklist };
  });
}
