import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { eventMatches, type WebhookPayload } from '~/domain/webhook-events';
import type { Db, Tx } from '../../../db/client';
import { webhookDeliveries, webhooks } from '../../../db/schema';

export interface WebhookEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt?: Date;
}

/**
 * Queues events of a product for its webhooks, in the caller's transaction (a transactional outbox, decision
 * 0041): a delivery exists exactly when the change that caused it committed, and the worker sends it after.
 * Each event becomes one delivery per active webhook whose filter takes it, in the order given (`seq`). Pass
 * `webhookId` to address one webhook only (a ping).
 */
export async function enqueueEvents(
  tx: Db | Tx,
  productId: string,
  events: readonly WebhookEvent[],
  options: { webhookId?: string } = {},
): Promise<number> {
  if (events.length === 0) return 0;
  const hooks = await tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.productId, productId),
        eq(webhooks.active, true),
        options.webhookId ? eq(webhooks.id, options.webhookId) : undefined,
      ),
    );
  if (hooks.length === 0) return 0;
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const event of events) {
    const payload: WebhookPayload = {
      id: randomUUID(),
      type: event.type,
      productId,
      occurredAt: (event.occurredAt ?? new Date()).toISOString(),
      data: event.data,
    };
    const body = JSON.stringify(payload);
    for (const hook of hooks) {
      if (!eventMatches(hook.events, event.type)) continue;
      rows.push({ webhookId: hook.id, productId, eventId: payload.id, eventType: event.type, body });
    }
  }
  // In chunks, under the bind-parameter limit (an import writes thousands of decisions in one go).
  for (let i = 0; i < rows.length; i += 500)
    await tx.insert(webhookDeliveries).values(rows.slice(i, i + 500));
  return rows.length;
}
