import { and, asc, desc, eq, gt, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { rankAtBottom, rankAtTop, rankBetween } from '~/domain/rank';
import type { Permission, Role } from '~/domain/roles';
import {
  type SprintItemAction,
  type SprintItemFacts,
  sprintItemRefusal,
  sprintItemState,
} from '~/domain/sprint-rules';
import { lockProduct } from '~/services/backlog/items.server';
import { authorize, isUuid } from '~/services/products.server';

export type SprintRow = typeof sprints.$inferSelect;
export type SprintItemRow = typeof sprintItems.$inferSelect;

export async function loadSprint(
  db: Db | Tx,
  sprintId: string,
  options: { lock?: boolean } = {},
): Promise<SprintRow> {
  if (!isUuid(sprintId)) throw new AppError('not_found', 'No such sprint');
  const query = db.select().from(sprints).where(eq(sprints.id, sprintId));
  const [sprint] = options.lock ? await query.for('update') : await query;
  if (!sprint) throw new AppError('not_found', 'No such sprint');
  return sprint;
}

export function assertNotClosed(sprint: SprintRow) {
  if (sprint.state === 'closed')
    throw new AppError('conflict', 'This sprint is closed; its results are final');
}

/**
 * Runs a sprint command: the caller's role is checked first (a non-member gets 404, a member without the permission
 * 403), then one transaction locks the product row (sprint commands may move backlog items, and every change to a
 * product's order is serialised on that lock) and the sprint row, and refuses a closed sprint.
 */
export async function sprintCommand<T>(
  db: Db,
  sprintId: string,
  actorId: string,
  permission: Permission,
  run: (tx: Tx, context: { sprint: SprintRow; role: Role }) => Promise<T>,
): Promise<T> {
  const outside = await loadSprint(db, sprintId);
  const role = await authorize(db, outside.productId, actorId, permission);
  assertNotClosed(outside);
  return db.transaction(async (tx) => {
    await lockProduct(tx, outside.productId);
    const sprint = await loadSprint(tx, sprintId, { lock: true });
    assertNotClosed(sprint);
    return run(tx, { sprint, role });
  });
}

/** The item's current membership of the sprint (also a removed one), or 404 when it never was in it. */
export async function membership(tx: Db | Tx, sprintId: string, itemId: string): Promise<SprintItemRow> {
  if (!isUuid(itemId)) throw new AppError('not_found', 'No such item in this sprint');
  const [row] = await tx
    .select()
    .from(sprintItems)
    .where(and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId)));
  if (!row) throw new AppError('not_found', 'No such item in this sprint');
  return row;
}

export const stateOf = (row: SprintItemRow) => sprintItemState(row as SprintItemFacts);

/** The item's membership of the sprint, refused with 409 when the action does not fit the state it is in. */
export async function membershipFor(
  tx: Db | Tx,
  sprintId: string,
  itemId: string,
  action: SprintItemAction,
): Promise<SprintItemRow> {
  const row = await membership(tx, sprintId, itemId);
  const refusal = sprintItemRefusal(action, stateOf(row));
  if (refusal) throw new AppError('conflict', refusal);
  return row;
}

export const placementSchema = z
  .strictObject({
    position: z.enum(['top', 'bottom'], { message: 'position must be top or bottom' }).optional(),
    beforeId: z.uuid({ message: 'beforeId must be an item id' }).optional(),
    afterId: z.uuid({ message: 'afterId must be an item id' }).optional(),
  })
  .refine((p) => [p.position, p.beforeId, p.afterId].filter((v) => v !== undefined).length === 1, {
    message: 'Give exactly one of position, beforeId or afterId',
    path: ['position'],
  });
export type Placement = z.output<typeof placementSchema>;

/**
 * The rank for an item placed at the top, the bottom, or just before or after another item of the product. Call
 * with the product row locked, so the neighbours do not move meanwhile. `selfId` is left out of the neighbours.
 */
export async function rankFor(
  tx: Tx,
  productId: string,
  placement: Placement,
  selfId?: string,
): Promise<string> {
  const others = selfId ? ne(backlogItems.id, selfId) : undefined;
  const edge = async (where: ReturnType<typeof and>, order: 'asc' | 'desc') => {
    const [row] = await tx
      .select({ rank: backlogItems.rank })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), others, where))
      .orderBy(order === 'asc' ? asc(backlogItems.rank) : desc(backlogItems.rank))
      .limit(1);
    return row?.rank ?? null;
  };
  if (placement.position === 'top') return rankAtTop(await edge(undefined, 'asc'));
  if (placement.position === 'bottom') return rankAtBottom(await edge(undefined, 'desc'));
  const referenceId = (placement.beforeId ?? placement.afterId)!;
  const field = placement.beforeId ? 'beforeId' : 'afterId';
  if (referenceId === selfId)
    throw new AppError('invalid', 'An item cannot be placed relative to itself', { field });
  const [reference] = await tx
    .select({ rank: backlogItems.rank, productId: backlogItems.productId, status: backlogItems.status })
    .from(backlogItems)
    .where(eq(backlogItems.id, referenceId));
  if (!reference || reference.productId !== productId)
    throw new AppError('invalid', `${field} must be an item of the same product`, { field });
  if (reference.status === 'archived')
    throw new AppError('invalid', `${field} is archived and not in the order`, { field });
  if (placement.beforeId)
    return rankBetween(await edge(lt(backlogItems.rank, reference.rank), 'desc'), reference.rank);
  return rankBetween(reference.rank, await edge(gt(backlogItems.rank, reference.rank), 'asc'));
}
