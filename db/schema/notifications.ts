import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { products } from './products';
import { users } from './users';

/**
 * A person's in-app notification (issue 17, decision 0039): written in the transaction of the command that caused
 * it (app/services/notifications/notify.server.ts). `text` is plain text, rendered as text; `link` is a path in
 * the app. Read only by its person, and only while they are a member of the product (access follows membership).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** one of the kinds in app/domain/notification-kinds.ts */
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    link: text('link').notNull(),
    /** the fields behind the text (ids, titles, outcome), for API readers */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/**
 * A product's outgoing webhook (decision 0039): every event of the product whose type `events` lists (all when
 * empty) is posted to `url`, signed with the webhook's own secret (sealed at rest like tracker secrets).
 * `leaseOwner`/`leaseUntil`: the server copy sending this webhook's deliveries now (one at a time, in order).
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: text('events').array().notNull().default([]),
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (t) => [index('webhooks_product_idx').on(t.productId)],
);

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * The transactional outbox of the webhooks: one row per event and webhook, written in the transaction of the
 * command that caused the event, sent in `seq` order per webhook. `body` is the exact JSON sent (and signed), the
 * same bytes on every attempt. Only a short excerpt of the receiver's answer is kept.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    responseExcerpt: text('response_excerpt'),
    createdAt: createdAt(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.seq),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);
