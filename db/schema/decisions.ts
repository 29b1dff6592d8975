import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { products } from './products';
import { users } from './users';

/**
 * The decision log: append-only. A trigger (migration 0002) refuses UPDATE and DELETE, so nobody can edit or
 * remove an entry. Burndown and velocity are computed from it later.
 */
export const decisions = pgTable(
  'decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    itemId: uuid('item_id'),
    actorId: uuid('actor_id').references(() => users.id),
    /** created, edited, moved, status_changed, archived, restored, proposal_applied, dependency_added, … */
    kind: text('kind').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason').notNull().default(''),
    /** the session in which it was decided, if any (no foreign key: the log outlives everything) */
    sessionId: uuid('session_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('decisions_product_idx').on(t.productId, t.id),
    index('decisions_item_idx').on(t.itemId, t.id),
  ],
);
