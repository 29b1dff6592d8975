import { and, desc, eq, lt, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { privateRequestKinds, requestDecisionKinds } from '~/domain/requests';
import { sprintDecisionKinds } from '~/domain/sprint-rules';
import { decisionEventType } from '~/domain/webhook-events';
import { authorize } from '~/services/products.server';
import { enqueueEvents, type WebhookEvent } from '~/services/webhooks/events.server';
import type { Db, Tx } from '../../../db/client';
import { decisions, users } from '../../../db/schema';
import { hiddenItemTitle, itemsVisibleTo } from './visibility.server';

export const decisionKinds = [
  'created',
  'edited',
  'moved',
  'status_changed',
  'archived',
  'restored',
  'proposal_applied',
  'dependency_added',
  'dependency_removed',
  'imported',
  'definition_changed',
  // the product's share of each sprint for technical debt (issue 18)
  'debt_share_changed',
  'split',
  // votes before the meeting: a prioritisation session's asynchronous voting window (issue 18)
  'async_voting_opened',
  'async_voting_closed',
  // a product's outgoing webhooks (decision 0041): added, removed, secret rotated, paused, resumed; never the secret
  'webhook_added',
  'webhook_removed',
  'webhook_secret_rotated',
  'webhook_paused',
  'webhook_resumed',
  // stakeholder requests and the agreed prioritisation criteria (issue 17)
  ...requestDecisionKinds,
  // a three amigos session ended in a shared understanding (issue 18): who, the cases added, the open questions
  'three_amigos_held',
  // an urgent request swapped into the running sprint, with its impact and trade-off (issue 17 part 3)
  'urgent_swap',
  // sprints and reviews (app/domain/sprint-rules.ts)
  ...sprintDecisionKinds,
] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export interface DecisionInput {
  productId: string;
  itemId?: string | null;
  /** null for what the product records by itself (e.g. a sprint goal projected at risk) */
  actorId: string | null;
  kind: DecisionKind;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** the session in which it was decided */
  sessionId?: string | null;
}

/**
 * Appends to the decision log inside the caller's transaction, so the entry exists exactly when the change does.
 * Every entry is also an event for the product's webhooks (`decision.<kind>`, decision 0041), queued in the same
 * transaction, once.
 */
export async function recordDecisions(tx: Db | Tx, entries: DecisionInput[]): Promise<void> {
  if (entries.length === 0) return;
  const events = new Map<string, WebhookEvent[]>();
  // Large imports write thousands of entries: insert in chunks to stay under the bind-parameter limit.
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000);
    const rows = await tx
      .insert(decisions)
      .values(
        chunk.map((e) => ({
          productId: e.productId,
          itemId: e.itemId ?? null,
          actorId: e.actorId,
          kind: e.kind,
          before: e.before ?? null,
          after: e.after ?? null,
          reason: e.reason ?? '',
          sessionId: e.sessionId ?? null,
        })),
      )
      .returning({ id: decisions.id, createdAt: decisions.createdAt });
    chunk.forEach((e, n) => {
      const list = events.get(e.productId) ?? [];
      list.push({
        type: decisionEventType(e.kind),
        occurredAt: rows[n]?.createdAt,
        data: {
          decisionId: rows[n]?.id ?? null,
          kind: e.kind,
          itemId: e.itemId ?? null,
          actorId: e.actorId,
          before: e.before ?? null,
          after: e.after ?? null,
          reason: e.reason ?? '',
          sessionId: e.sessionId ?? null,
        },
      });
      events.set(e.productId, list);
    });
  }
  for (const [productId, list] of events) await enqueueEvents(tx, productId, list);
}

export const decisionFilterSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be an item id' }).optional(),
  kind: z.enum(decisionKinds, { message: `kind must be one of ${decisionKinds.join(', ')}` }).optional(),
  actorId: z.uuid({ message: 'actorId must be a user id' }).optional(),
  /** entries older than this id (paging backwards in time) */
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DecisionFilter = z.output<typeof decisionFilterSchema>;

export async function listDecisions(db: Db, productId: string, userId: string, filter: DecisionFilter) {
  const role = await authorize(db, productId, userId, 'product.view');
  const where = [eq(decisions.productId, productId)];
  // Stakeholders see only their own requests, so not the answers to others' (issue 17).
  if (role === 'stakeholder') where.push(notInArray(decisions.kind, [...privateRequestKinds]));
  if (filter.itemId) where.push(eq(decisions.itemId, filter.itemId));
  if (filter.kind) where.push(eq(decisions.kind, filter.kind));
  if (filter.actorId) where.push(eq(decisions.actorId, filter.actorId));
  if (filter.beforeId) where.push(lt(decisions.id, filter.beforeId));
  const rows = await db
    .select({
      id: decisions.id,
      itemId: decisions.itemId,
      kind: decisions.kind,
      before: decisions.before,
      after: decisions.after,
      reason: decisions.reason,
      createdAt: decisions.createdAt,
      actorId: decisions.actorId,
      sessionId: decisions.sessionId,
      actorName: sql<string>`coalesce(${users.displayName}, 'someone')`,
    })
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.actorId))
    .where(and(...where))
    .orderBy(desc(decisions.id))
    .limit(filter.limit + 1);
  const more = rows.length > filter.limit;
  const entries = await hideForeignTitles(db, userId, more ? rows.slice(0, filter.limit) : rows);
  return { entries, nextBeforeId: more ? entries[entries.length - 1].id : null };
}

/**
 * A "blocked by" entry keeps the blocker's title as it was when linked, and the blocker may be in another product.
 * Readers who are not members of that product (or when the item is gone) read `hiddenItemTitle` instead, with
 * `hidden: true`; the id stays, as links in the item's own data do (it opens nothing for them).
 */
async function hideForeignTitles<T extends { kind: string; after: unknown }>(
  db: Db,
  userId: string,
  entries: T[],
): Promise<T[]> {
  const blockerOf = (e: T) => {
    const after = e.after as { blockedById?: unknown; title?: unknown } | null;
    return e.kind === 'dependency_added' && after && typeof after.blockedById === 'string'
      ? after.blockedById
      : null;
  };
  const blockers = entries.map(blockerOf).filter((id): id is string => id !== null);
  if (blockers.length === 0) return entries;
  const visible = await itemsVisibleTo(db, userId, blockers);
  return entries.map((e) => {
    const id = blockerOf(e);
    if (id === null || visible.has(id)) return e;
    return { ...e, after: { ...(e.after as object), title: hiddenItemTitle, hidden: true } };
  });
}
