import { generateNKeysBetween } from 'fractional-indexing';
import { and, asc, desc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { maxDebtImpactLength } from '~/domain/debt-share';
import { AppError } from '~/domain/errors';
import { parseCriteria } from '~/domain/gherkin';
import { mayAccept } from '~/domain/policies';
import { rankAtBottom, rankAtTop } from '~/domain/rank';
import { evaluateReadiness } from '~/domain/readiness';
import { can } from '~/domain/roles';
import { wsjfPartSchema, wsjfScore } from '~/domain/wsjf';
import { authorize, isUuid } from '~/services/products.server';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, itemDependencies, products } from '../../../db/schema';
import { type DecisionInput, recordDecisions } from './decisions.server';

export const itemTypes = ['epic', 'story', 'bug', 'tech_debt', 'spike'] as const;
export const itemStatuses = [
  'new',
  'refined',
  'ready',
  'in_sprint',
  'done',
  'accepted',
  'rejected',
  'archived',
] as const;
export const settableStatuses = [
  'new',
  'refined',
  'ready',
  'in_sprint',
  'done',
  'accepted',
  'rejected',
] as const;
export const kanoCategories = [
  'must_be',
  'performance',
  'attractive',
  'indifferent',
  'reverse',
  'questionable',
] as const;
export const moscowValues = ['must', 'should', 'could', 'wont'] as const;
export const outcomes = ['moved', 'not_moved', 'unknown'] as const;

const part = wsjfPartSchema.nullable();

/** Every field a person may set on an item. Strict: an unknown field is refused by name. */
export const itemFieldsSchema = z.strictObject({
  type: z.enum(itemTypes, { message: `type must be one of ${itemTypes.join(', ')}` }),
  title: z.string().trim().min(1, 'Title is required').max(300, 'Title must be at most 300 characters'),
  description: z.string().max(20_000, 'Description must be at most 20,000 characters'),
  parentId: z.uuid({ message: 'parentId must be the id of an epic' }).nullable(),
  estimate: z
    .number()
    .int('Estimate must be whole points')
    .min(0, 'Estimate cannot be negative')
    .max(1000, 'Estimate must be at most 1000')
    .nullable(),
  status: z.enum(settableStatuses, {
    message: `status must be one of ${settableStatuses.join(', ')} (archive with the archive command)`,
  }),
  labels: z
    .array(
      z.string().trim().min(1, 'A label cannot be empty').max(50, 'A label must be at most 50 characters'),
    )
    .max(20, 'At most 20 labels'),
  moscow: z.enum(moscowValues, { message: 'moscow must be must, should, could or wont' }).nullable(),
  userBusinessValue: part,
  timeCriticality: part,
  riskReduction: part,
  jobSize: part,
  kano: z.enum(kanoCategories, { message: `kano must be one of ${kanoCategories.join(', ')}` }).nullable(),
  impactHypothesis: z.string().max(2000, 'Impact hypothesis must be at most 2000 characters'),
  successMetric: z.string().max(2000, 'Success metric must be at most 2000 characters'),
  outcome: z.enum(outcomes, { message: 'outcome must be moved, not_moved or unknown' }).nullable(),
  debtImpact: z
    .string()
    .trim()
    .max(maxDebtImpactLength, `Debt impact must be at most ${maxDebtImpactLength} characters`),
  criteria: z.string().max(50_000, 'Acceptance criteria must be at most 50,000 characters'),
  readyChecks: z.record(z.string().max(64), z.boolean()),
  readyOverrideReason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').nullable(),
});

export const createItemSchema = itemFieldsSchema
  .partial()
  .required({ title: true })
  .extend({
    position: z.enum(['top', 'bottom'], { message: 'position must be top or bottom' }).default('bottom'),
  });
// Input type: callers may leave out `position` (bottom by default), as the schema does.
export type CreateItemInput = z.input<typeof createItemSchema>;

export const updateItemSchema = itemFieldsSchema.partial().extend({
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});
export type UpdateItemInput = z.output<typeof updateItemSchema>;

/** Fields whose changes are decisions about priority; each edit of one is logged. */
const priorityFields = [
  'estimate',
  'moscow',
  'userBusinessValue',
  'timeCriticality',
  'riskReduction',
  'jobSize',
  'kano',
] as const;

export type ItemRow = typeof backlogItems.$inferSelect;

/** Locks the product row: every change to one product's order is serialised, so ranks never collide. */
export async function lockProduct(tx: Tx, productId: string) {
  await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
}

export async function loadItem(db: Db | Tx, itemId: string): Promise<ItemRow> {
  if (!isUuid(itemId)) throw new AppError('not_found', 'No such backlog item');
  const [item] = await db.select().from(backlogItems).where(eq(backlogItems.id, itemId));
  if (!item) throw new AppError('not_found', 'No such backlog item');
  return item;
}

function checkCriteria(source: string) {
  const parsed = parseCriteria(source);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new AppError(
      'invalid',
      `Acceptance criteria do not parse${first.line ? ` at line ${first.line}` : ''}: ${first.message}`,
      {
        field: 'criteria',
      },
    );
  }
}

async function checkParent(
  db: Db | Tx,
  productId: string,
  parentId: string | null | undefined,
  selfId?: string,
) {
  if (!parentId) return;
  if (parentId === selfId)
    throw new AppError('invalid', 'An item cannot be its own parent', { field: 'parentId' });
  const [parent] = await db
    .select({ type: backlogItems.type, productId: backlogItems.productId })
    .from(backlogItems)
    .where(eq(backlogItems.id, parentId));
  if (!parent || parent.productId !== productId)
    throw new AppError('invalid', 'parentId must be an epic of the same product', { field: 'parentId' });
  if (parent.type !== 'epic')
    throw new AppError('invalid', 'The parent must be an epic', { field: 'parentId' });
}

const withScore = <T extends Partial<ItemRow>>(fields: T, current?: ItemRow) => {
  const merged = { ...current, ...fields };
  return {
    ...fields,
    wsjf: wsjfScore({
      userBusinessValue: merged.userBusinessValue ?? null,
      timeCriticality: merged.timeCriticality ?? null,
      riskReduction: merged.riskReduction ?? null,
      jobSize: merged.jobSize ?? null,
    }),
  };
};

export async function createItem(
  db: Db,
  productId: string,
  actorId: string,
  input: CreateItemInput,
): Promise<ItemRow> {
  await authorize(db, productId, actorId, 'backlog.edit');
  if (input.criteria) checkCriteria(input.criteria);
  const { position = 'bottom', ...fields } = input;
  if (fields.status && fields.status !== 'new' && fields.status !== 'refined') {
    throw new AppError('invalid', 'A new item starts as new or refined', { field: 'status' });
  }
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    await checkParent(tx, productId, fields.parentId);
    const rank = await endRank(tx, productId, position);
    const [item] = await tx
      .insert(backlogItems)
      .values({ ...withScore(fields), productId, rank, createdBy: actorId })
      .returning();
    await recordDecisions(tx, [
      {
        productId,
        itemId: item.id,
        actorId,
        kind: 'created',
        after: { title: item.title, type: item.type, position },
      },
    ]);
    return item;
  });
}

export async function endRank(tx: Db | Tx, productId: string, position: 'top' | 'bottom'): Promise<string> {
  const [edge] = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(eq(backlogItems.productId, productId))
    .orderBy(position === 'top' ? asc(backlogItems.rank) : desc(backlogItems.rank))
    .limit(1);
  return position === 'top' ? rankAtTop(edge?.rank ?? null) : rankAtBottom(edge?.rank ?? null);
}

/** `n` new rank keys below the product's last item, in order (an import appends its rows with them). */
export async function ranksAtBottom(tx: Db | Tx, productId: string, n: number): Promise<string[]> {
  const [bottom] = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(eq(backlogItems.productId, productId))
    .orderBy(desc(backlogItems.rank))
    .limit(1);
  return generateNKeysBetween(bottom?.rank ?? null, null, n);
}

/** Items this one is blocked by that are not finished yet. */
export async function unresolvedBlockers(db: Db | Tx, itemId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(itemDependencies)
    .innerJoin(backlogItems, eq(backlogItems.id, itemDependencies.blockedById))
    .where(
      and(
        eq(itemDependencies.itemId, itemId),
        sql`${backlogItems.status} not in ('done', 'accepted', 'archived')`,
      ),
    );
  return row.n;
}

export async function updateItem(
  db: Db,
  itemId: string,
  actorId: string,
  input: UpdateItemInput,
): Promise<ItemRow> {
  const current = await loadItem(db, itemId);
  const role = await authorize(db, current.productId, actorId, 'backlog.edit');
  const { reason, ...fields } = input;
  if (fields.criteria !== undefined) checkCriteria(fields.criteria);
  if (fields.status && fields.status !== current.status) {
    if ((fields.status === 'accepted' || fields.status === 'rejected') && !mayAccept(role)) {
      throw new AppError('forbidden', 'Only the product owner accepts or rejects work');
    }
    if (current.status === 'archived')
      throw new AppError('conflict', 'Restore the item before changing its status', { field: 'status' });
  }
  if (fields.readyOverrideReason && !can(role, 'backlog.order')) {
    throw new AppError('forbidden', 'Only the product owner may override the Definition of Ready');
  }
  return db.transaction(async (tx) => {
    await lockProduct(tx, current.productId);
    const fresh = await loadItem(tx, itemId);
    await checkParent(tx, fresh.productId, fields.parentId, fresh.id);
    if (fields.status === 'ready' && fresh.status !== 'ready') {
      const [product] = await tx
        .select({ dor: products.definitionOfReady })
        .from(products)
        .where(eq(products.id, fresh.productId));
      const readiness = evaluateReadiness({
        checklist: product.dor,
        checked: fields.readyChecks ?? fresh.readyChecks,
        unresolvedDependencies: await unresolvedBlockers(tx, fresh.id),
        override:
          (fields.readyOverrideReason ?? fresh.readyOverrideReason)
            ? { reason: (fields.readyOverrideReason ?? fresh.readyOverrideReason)! }
            : null,
      });
      if (!readiness.ready) {
        const why = readiness.blockedByDependencies
          ? 'it is blocked by an unfinished item'
          : `the Definition of Ready is not met (${readiness.missing.slice(0, 3).join('; ')})`;
        throw new AppError(
          'conflict',
          `This item is not ready: ${why}. The product owner can override with a reason.`,
          { field: 'status' },
        );
      }
    }
    const [updated] = await tx
      .update(backlogItems)
      .set({ ...withScore(fields, fresh), updatedAt: new Date() })
      .where(eq(backlogItems.id, itemId))
      .returning();
    const entries: DecisionInput[] = [];
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of priorityFields) {
      if (key in fields && fields[key] !== fresh[key]) {
        before[key] = fresh[key];
        after[key] = updated[key];
      }
    }
    if (Object.keys(after).length > 0) {
      entries.push({
        productId: fresh.productId,
        itemId,
        actorId,
        kind: 'edited',
        before,
        after,
        reason: reason ?? '',
      });
    }
    if (fields.status && fields.status !== fresh.status) {
      entries.push({
        productId: fresh.productId,
        itemId,
        actorId,
        kind: 'status_changed',
        before: { status: fresh.status },
        after: {
          status: updated.status,
          override: fields.status === 'ready' ? (updated.readyOverrideReason ?? undefined) : undefined,
        },
        reason: reason ?? updated.readyOverrideReason ?? '',
      });
    }
    await recordDecisions(tx, entries);
    return updated;
  });
}

export const listFilterSchema = z.strictObject({
  type: z.enum(itemTypes, { message: `type must be one of ${itemTypes.join(', ')}` }).optional(),
  status: z.enum(itemStatuses, { message: `status must be one of ${itemStatuses.join(', ')}` }).optional(),
  label: z.string().max(50).optional(),
  epicId: z.uuid({ message: 'epicId must be the id of an epic' }).optional(),
  q: z.string().trim().max(200, 'Search text must be at most 200 characters').optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
});
export type ListFilter = z.output<typeof listFilterSchema>;

/** Columns the backlog list shows (not descriptions or criteria, which can be long). */
export const listColumns = {
  id: backlogItems.id,
  type: backlogItems.type,
  title: backlogItems.title,
  status: backlogItems.status,
  estimate: backlogItems.estimate,
  parentId: backlogItems.parentId,
  rank: backlogItems.rank,
  labels: backlogItems.labels,
  moscow: backlogItems.moscow,
  wsjf: backlogItems.wsjf,
  kano: backlogItems.kano,
  updatedAt: backlogItems.updatedAt,
};

/**
 * The backlog in order. Archived items are out of the order and only listed when asked for by status.
 * Positions are 1-based places in the whole (unfiltered) order.
 */
export async function listItems(db: Db, productId: string, userId: string, filter: ListFilter) {
  await authorize(db, productId, userId, 'product.view');
  const where = [eq(backlogItems.productId, productId)];
  where.push(filter.status ? eq(backlogItems.status, filter.status) : ne(backlogItems.status, 'archived'));
  if (filter.type) where.push(eq(backlogItems.type, filter.type));
  if (filter.label) where.push(sql`${filter.label} = any(${backlogItems.labels})`);
  if (filter.epicId)
    where.push(or(eq(backlogItems.parentId, filter.epicId), eq(backlogItems.id, filter.epicId))!);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(backlogItems.title, pattern), ilike(backlogItems.description, pattern))!);
  }
  // Positions come from the whole order; filters then pick rows out of it. Two plain queries rather than a join
  // with the numbered order: with a selective filter (a search) the planner chose a nested loop over the window
  // and a search took seconds at 10,000 items.
  const [numbered, items, total] = await Promise.all([
    db
      .select({
        id: backlogItems.id,
        position: sql<number>`(row_number() over (order by ${backlogItems.rank}))::int`,
      })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived'))),
    db
      .select(listColumns)
      .from(backlogItems)
      .where(and(...where))
      .orderBy(asc(backlogItems.rank))
      .offset(filter.offset)
      .limit(filter.limit),
    countItems(db, where),
  ]);
  const positions = new Map(numbered.map((r) => [r.id, r.position]));
  return { items: items.map((item) => ({ ...item, position: positions.get(item.id) ?? null })), total };
}

async function countItems(db: Db, where: ReturnType<typeof eq>[]) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(backlogItems)
    .where(and(...where));
  return row.n;
}
