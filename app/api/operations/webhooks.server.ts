import { z } from 'zod';
import { defineOperation, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import { runWebhookCommand } from '~/services/webhooks/commands.server';
import { webhooksOf } from '~/services/webhooks/deps.server';
import {
  createWebhookSchema,
  deliveryListSchema,
  emptySchema,
  listDeliveries,
  listWebhooks,
  webhookActiveSchema,
} from '~/services/webhooks/webhooks.server';
import { productIdParam } from './backlog.server';

/* A product's outgoing webhooks (issue 17, decision 0041): product owner only. */

const webhookIdParam = { description: 'The webhook’s id', format: 'uuid' } as const;
const deliveryIdParam = { description: 'The delivery’s id', format: 'uuid' } as const;

const webhookSchema = z
  .object({
    id,
    url: z.string(),
    events: z.array(z.string()).meta({ description: 'The event types it receives; empty: all' }),
    active: z.boolean(),
    createdAt: isoDateTime,
    pending: z.number().int().meta({ description: 'Deliveries waiting to be sent or retried' }),
    failed: z.number().int().meta({ description: 'Deliveries failed for good (retry them from the log)' }),
    lastDeliveredAt: isoDateTime.nullable(),
  })
  .meta({ title: 'Webhook', description: 'A webhook; its secret is never returned after it was made' });

const secretSchema = z.string().meta({
  description:
    'The signing secret, shown this once. Each delivery carries X-Refinery-Timestamp and X-Refinery-Signature: ' +
    'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with this secret>',
});

const deliverySchema = z
  .object({
    id,
    seq: z.number().int().meta({ description: 'Order of the deliveries of this webhook' }),
    eventId: id,
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: isoDateTime.nullable().meta({ description: 'When it is tried next; null unless pending' }),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    responseExcerpt: z
      .string()
      .nullable()
      .meta({ description: 'The first 300 characters of the last answer' }),
    createdAt: isoDateTime,
    lastAttemptAt: isoDateTime.nullable(),
    deliveredAt: isoDateTime.nullable(),
  })
  .meta({ title: 'WebhookDelivery' });

const target = (services: Parameters<typeof webhooksOf>[0], productId: string, webhookId = '') => ({
  productId,
  webhookId,
  deps: webhooksOf(services).deps,
});

export const listWebhooksOperation = defineOperation({
  operationId: 'listWebhooks',
  method: 'GET',
  path: '/products/{productId}/webhooks',
  summary: 'The product’s webhooks (product owner)',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description: 'The webhooks, oldest first, with how their deliveries stand',
    schema: z.object({ webhooks: z.array(webhookSchema) }),
  },
  errors: [403, 404],
  async handler({ services, user, params }) {
    return { webhooks: await listWebhooks(services.db, params.productId, user.id) };
  },
});

export const createWebhookOperation = defineOperation({
  operationId: 'createWebhook',
  method: 'POST',
  path: '/products/{productId}/webhooks',
  summary: 'Add a webhook (product owner)',
  description:
    'Every event of the product its filter takes is posted to the address as JSON `{id, type, productId, ' +
    'occurredAt, data}`: each decision-log entry as `decision.<kind>`, `votes.opened`, and `ping` for a test. ' +
    'Retried with backoff (10 s, 30 s, 2 min, 10 min, 1 h), in order per webhook. Only https to public hosts ' +
    '(400 otherwise). The secret is in this answer only. Recorded in the decision log (`webhook_added`, host only).',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam },
  body: createWebhookSchema.meta({ title: 'NewWebhook' }),
  success: {
    status: 201,
    description: 'The webhook and its secret',
    schema: z.object({ webhook: webhookSchema, secret: secretSchema }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return runWebhookCommand(services, 'createWebhook', target(services, params.productId), user.id, body);
  },
});

export const deleteWebhookOperation = defineOperation({
  operationId: 'deleteWebhook',
  method: 'DELETE',
  path: '/products/{productId}/webhooks/{webhookId}',
  summary: 'Remove a webhook and what it had waiting (product owner)',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam },
  success: { status: 204, description: 'Removed', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await runWebhookCommand(
      services,
      'deleteWebhook',
      target(services, params.productId, params.webhookId),
      user.id,
      {},
    );
  },
});

export const rotateWebhookSecretOperation = defineOperation({
  operationId: 'rotateWebhookSecret',
  method: 'POST',
  path: '/products/{productId}/webhooks/{webhookId}/rotate-secret',
  summary: 'Give a webhook a new secret, shown this once (product owner)',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam },
  body: emptySchema,
  success: { status: 200, description: 'The new secret', schema: z.object({ secret: secretSchema }) },
  errors: [403, 404],
  async handler({ services, user, params }) {
    return runWebhookCommand(
      services,
      'rotateWebhookSecret',
      target(services, params.productId, params.webhookId),
      user.id,
      {},
    );
  },
});

export const setWebhookActiveOperation = defineOperation({
  operationId: 'setWebhookActive',
  method: 'PUT',
  path: '/products/{productId}/webhooks/{webhookId}/active',
  summary: 'Pause or resume a webhook (product owner)',
  description:
    'While paused nothing is sent to the webhook and the product’s events are not queued for it; deliveries ' +
    'already waiting are sent, in order, once it is resumed. Setting what it already is changes nothing.',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam },
  body: webhookActiveSchema,
  success: { status: 200, description: 'Whether it sends now', schema: z.object({ active: z.boolean() }) },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    const result = await runWebhookCommand(
      services,
      'setWebhookActive',
      target(services, params.productId, params.webhookId),
      user.id,
      body,
    );
    if (result.active) webhooksOf(services).kick();
    return result;
  },
});

export const pingWebhookOperation = defineOperation({
  operationId: 'pingWebhook',
  method: 'POST',
  path: '/products/{productId}/webhooks/{webhookId}/ping',
  summary: 'Send a test event (`ping`) to a webhook (product owner)',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam },
  body: emptySchema,
  success: {
    status: 202,
    description: 'Queued; it shows in the delivery log',
    schema: z.object({ queued: z.number().int() }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params }) {
    const result = await runWebhookCommand(
      services,
      'pingWebhook',
      target(services, params.productId, params.webhookId),
      user.id,
      {},
    );
    webhooksOf(services).kick();
    return result;
  },
});

export const listDeliveriesOperation = defineOperation({
  operationId: 'listWebhookDeliveries',
  method: 'GET',
  path: '/products/{productId}/webhooks/{webhookId}/deliveries',
  summary: 'A webhook’s delivery log, newest first (product owner)',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam },
  query: deliveryListSchema,
  success: {
    status: 200,
    description: 'The deliveries, and the cursor to older ones',
    schema: z.object({
      webhook: webhookSchema.pick({ id: true, url: true, events: true, active: true, createdAt: true }),
      deliveries: z.array(deliverySchema),
      nextBeforeSeq: z.number().int().nullable(),
    }),
  },
  errors: [403, 404],
  async handler({ services, user, params, query }) {
    return listDeliveries(services.db, params.productId, params.webhookId, user.id, query);
  },
});

export const redeliverOperation = defineOperation({
  operationId: 'redeliverWebhookDelivery',
  method: 'POST',
  path: '/products/{productId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
  summary: 'Retry a failed delivery now (product owner)',
  description: 'Only a failed delivery (409 otherwise); it gets one more attempt, in its place in the order.',
  tag: 'Webhooks',
  auth: 'token',
  params: { productId: productIdParam, webhookId: webhookIdParam, deliveryId: deliveryIdParam },
  body: emptySchema,
  success: { status: 202, description: 'Due again now', schema: z.object({ retried: z.boolean() }) },
  errors: [403, 404, 409],
  async handler({ services, user, params }) {
    const result = await runWebhookCommand(
      services,
      'redeliver',
      { ...target(services, params.productId, params.webhookId), deliveryId: params.deliveryId },
      user.id,
      {},
    );
    webhooksOf(services).kick();
    return result;
  },
});

export const webhookOperations: readonly Operation[] = [
  listWebhooksOperation,
  createWebhookOperation,
  deleteWebhookOperation,
  rotateWebhookSecretOperation,
  setWebhookActiveOperation,
  pingWebhookOperation,
  listDeliveriesOperation,
  redeliverOperation,
];
