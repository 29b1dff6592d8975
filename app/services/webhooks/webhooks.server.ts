import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { eventFilterPattern, maxEventFilters } from '~/domain/webhook-events';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { authorize } from '~/services/products.server';
import type { Db, Tx } from '../../../db/client';
import { webhookDeliveries, webhooks } from '../../../db/schema';
import type { WebhookDeps } from './deps.server';
import { enqueueEvents } from './events.server';
import { checkWebhookUrl, maxWebhookUrlLength } from './url';

/* A product's outgoing webhooks (decision 0041): the product owner adds, lists, tests and removes them. */

export const createWebhookSchema = z.strictObject({
  url: z
    .string({ message: 'Enter the address to send to' })
    .trim()
    .min(1, 'Enter the address to send to')
    .max(maxWebhookUrlLength, `The address must be at most ${maxWebhookUrlLength} characters`)
    .meta({ description: 'Where events are posted: https and a public host' }),
  events: z
    .array(
      z
        .string()
        .max(80, 'An event type is at most 80 characters')
        .regex(eventFilterPattern, 'An event type looks like decision.sprint_item_accepted or decision.*'),
      { message: 'events must be a list of event types' },
    )
    .max(maxEventFilters, `At most ${maxEventFilters} event types`)
    .default([])
    .meta({
      description:
        'The event types to send (`decision.<kind>`, `decision.*`, `votes.opened`, …); empty or absent: all',
    }),
});
export type CreateWebhookInput = z.output<typeof createWebhookSchema>;
export const emptySchema = z.strictObject({});

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: Date;
  pending: number;
  failed: number;
  lastDeliveredAt: Date | null;
}

async function webhookIn(tx: Db | Tx, productId: string, webhookId: string) {
  if (!z.uuid().safeParse(webhookId).success) throw new AppError('not_found', 'No such webhook');
  const [hook] = await tx
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, webhookId), eq(webhooks.productId, productId)));
  if (!hook) throw new AppError('not_found', 'No such webhook');
  return hook;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

/**
 * Adds a webhook (product owner). Its secret is made here and returned this once, never again (only its sealed
 * form is kept). The decision log names the host only: a chat service's address is often a secret itself.
 */
export async function createWebhook(
  deps: WebhookDeps,
  productId: string,
  actorId: string,
  input: CreateWebhookInput,
): Promise<{ webhook: WebhookView; secret: string }> {
  // The same rules whichever door it came through (the API validated already; a form's text may not have).
  const parsed = createWebhookSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'url') });
  }
  input = parsed.data;
  await authorize(deps.db, productId, actorId, 'product.manage');
  const checked = checkWebhookUrl(input.url, deps.allowPrivateUrls);
  if (!checked.ok) throw new AppError('invalid', checked.reason, { field: 'url' });
  if (!deps.box)
    throw new AppError(
      'unavailable',
      'This server has no key to keep webhook secrets with (set TRACKER_SECRET_KEYS)',
    );
  const secret = newSecret();
  const events = [...new Set(input.events)];
  const row = await deps.db.transaction(async (tx) => {
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhooks)
      .where(eq(webhooks.productId, productId));
    if (Number(count?.n ?? 0) >= 20) throw new AppError('conflict', 'A product has at most 20 webhooks');
    // Logged first, so the other webhooks hear of it and the new one starts with its own events (or a ping).
    const webhookId = randomUUID();
    await recordDecisions(tx, [
      { productId, actorId, kind: 'webhook_added', after: { webhookId, host: checked.host, events } },
    ]);
    const [created] = await tx
      .insert(webhooks)
      .values({
        id: webhookId,
        productId,
        url: checked.url,
        events,
        secret: deps.box!.seal(secret),
        createdBy: actorId,
      })
      .returning();
    return created;
  });
  return { webhook: { ...view(row), pending: 0, failed: 0, lastDeliveredAt: null }, secret };
}

const view = (row: typeof webhooks.$inferSelect) => ({
  id: row.id,
  url: row.url,
  events: row.events,
  active: row.active,
  createdAt: row.createdAt,
});

/** The product's webhooks with how their deliveries stand (product owner). Never their secrets. */
export async function listWebhooks(db: Db, productId: string, actorId: string): Promise<WebhookView[]> {
  await authorize(db, productId, actorId, 'product.manage');
  // The counts' sub-selects name the outer row as `webhooks.id` in so many words: drizzle writes a column of the
  // selected table unqualified (`"id"`), which inside the sub-select would be the delivery's own id.
  const rows = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      events: webhooks.events,
      active: webhooks.active,
      createdAt: webhooks.createdAt,
      pending: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.webhook_id = webhooks.id and d.status = 'pending')`,
      failed: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.webhook_id = webhooks.id and d.status = 'failed')`,
      lastDeliveredAt: sql<
        string | null
      >`(select max(d.delivered_at) from ${webhookDeliveries} d where d.webhook_id = webhooks.id)`,
    })
    .from(webhooks)
    .where(eq(webhooks.productId, productId))
    .orderBy(webhooks.createdAt);
  return rows.map((r) => ({
    ...r,
    pending: Number(r.pending),
    failed: Number(r.failed),
    lastDeliveredAt: r.lastDeliveredAt ? new Date(r.lastDeliveredAt) : null,
  }));
}

/** Removes a webhook and its deliveries: nothing more is sent to it, not even what was waiting. */
export async function deleteWebhook(db: Db, productId: string, webhookId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  await db.transaction(async (tx) => {
    const hook = await webhookIn(tx, productId, webhookId);
    await tx.delete(webhooks).where(eq(webhooks.id, hook.id));
    await recordDecisions(tx, [
      { productId, actorId, kind: 'webhook_removed', before: { webhookId, host: hostOf(hook.url) } },
    ]);
  });
  return { deleted: true };
}

export const webhookActiveSchema = z.strictObject({
  active: z.boolean({ message: 'active must be true (send) or false (paused)' }),
});

/**
 * Pauses or resumes a webhook (product owner). While paused nothing is sent to it and the product's events are not
 * queued for it; what was already waiting goes out, in order, once it is resumed. Setting what it already is
 * changes nothing and records nothing.
 */
export async function setWebhookActive(
  db: Db,
  productId: string,
  webhookId: string,
  actorId: string,
  input: z.output<typeof webhookActiveSchema>,
): Promise<{ active: boolean }> {
  await authorize(db, productId, actorId, 'product.manage');
  return db.transaction(async (tx) => {
    const hook = await webhookIn(tx, productId, webhookId);
    if (hook.active === input.active) return { active: hook.active };
    await tx.update(webhooks).set({ active: input.active }).where(eq(webhooks.id, hook.id));
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: input.active ? 'webhook_resumed' : 'webhook_paused',
        after: { webhookId, host: hostOf(hook.url) },
      },
    ]);
    return { active: input.active };
  });
}

/** A new secret for a webhook, returned this once; deliveries sent from now on are signed with it. */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  productId: string,
  webhookId: string,
  actorId: string,
): Promise<{ secret: string }> {
  await authorize(deps.db, productId, actorId, 'product.manage');
  if (!deps.box)
    throw new AppError(
      'unavailable',
      'This server has no key to keep webhook secrets with (set TRACKER_SECRET_KEYS)',
    );
  const secret = newSecret();
  await deps.db.transaction(async (tx) => {
    const hook = await webhookIn(tx, productId, webhookId);
    await tx
      .update(webhooks)
      .set({ secret: deps.box!.seal(secret) })
      .where(eq(webhooks.id, hook.id));
    await recordDecisions(tx, [
      { productId, actorId, kind: 'webhook_secret_rotated', after: { webhookId, host: hostOf(hook.url) } },
    ]);
  });
  return { secret };
}

/** Queues a `ping` to one webhook (the "send a test" button): it shows in the delivery log like any event. */
export async function pingWebhook(db: Db, productId: string, webhookId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  return db.transaction(async (tx) => {
    const hook = await webhookIn(tx, productId, webhookId);
    if (!hook.active) throw new AppError('conflict', 'This webhook is paused: resume it to send a test');
    const queued = await enqueueEvents(
      tx,
      productId,
      [{ type: 'ping', data: { message: 'A test from Refinery: this webhook works.' } }],
      { webhookId: hook.id },
    );
    return { queued };
  });
}

export const deliveryListSchema = z.strictObject({
  beforeSeq: z.coerce
    .number({ message: 'beforeSeq must be a number' })
    .int()
    .positive()
    .optional()
    .meta({ description: 'The `nextBeforeSeq` of the previous page' }),
  limit: z.coerce.number({ message: 'limit must be a number' }).int().min(1).max(100).default(50),
});

/** A webhook's deliveries, newest first (product owner): the event, attempts, answer, the next try. */
export async function listDeliveries(
  db: Db,
  productId: string,
  webhookId: string,
  actorId: string,
  query: z.output<typeof deliveryListSchema>,
) {
  await authorize(db, productId, actorId, 'product.manage');
  const hook = await webhookIn(db, productId, webhookId);
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      seq: webhookDeliveries.seq,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      responseExcerpt: webhookDeliveries.responseExcerpt,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, hook.id),
        query.beforeSeq ? lt(webhookDeliveries.seq, query.beforeSeq) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.seq))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = (more ? rows.slice(0, query.limit) : rows).map((r) => ({
    ...r,
    seq: Number(r.seq),
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
  }));
  return {
    webhook: {
      id: hook.id,
      url: hook.url,
      events: hook.events,
      active: hook.active,
      createdAt: hook.createdAt,
    },
    deliveries: page,
    nextBeforeSeq: more ? page[page.length - 1].seq : null,
  };
}

/**
 * "Retry now" on a failed delivery: it is due again at once and gets one more attempt (failed again if that
 * fails). Its place in the order is its own: later deliveries of the webhook wait behind it.
 */
export async function redeliver(
  db: Db,
  productId: string,
  webhookId: string,
  deliveryId: string,
  actorId: string,
) {
  await authorize(db, productId, actorId, 'product.manage');
  const hook = await webhookIn(db, productId, webhookId);
  if (!z.uuid().safeParse(deliveryId).success) throw new AppError('not_found', 'No such delivery');
  const [row] = await db
    .select({ status: webhookDeliveries.status })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, hook.id)));
  if (!row) throw new AppError('not_found', 'No such delivery');
  if (row.status !== 'failed') throw new AppError('conflict', 'Only a failed delivery can be retried');
  await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, deliveryId));
  return { retried: true };
}

/** After a key rotation: re-seals every webhook secret an older key sealed (as resealTrackerSecrets does). */
export async function resealWebhookSecrets(
  db: Db,
  box: import('~/services/trackers/secret-box.server').SecretBox,
) {
  const rows = await db.select({ id: webhooks.id, secret: webhooks.secret }).from(webhooks);
  let resealed = 0;
  for (const row of rows) {
    if (!box.needsReseal(row.secret)) continue;
    await db
      .update(webhooks)
      .set({ secret: box.seal(box.open(row.secret)) })
      .where(eq(webhooks.id, row.id));
    resealed += 1;
  }
  return resealed;
}
