import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { products } from './products';
import { users } from './users';

/**
 * Share links to a product's stakeholder dashboard, for people without an account. Only a SHA-256 of the token is
 * stored (the link is shown once); a link expires and can be revoked. The PO picks the items whose forecast it shows.
 */
export const dashboardLinks = pgTable(
  'dashboard_links',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** who the link is for, e.g. "Clinic leads" */
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** items whose forecast the dashboard shows (epics or target items); empty: the top of the order */
    itemIds: uuid('item_ids').array().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('dashboard_links_hash_idx').on(t.tokenHash),
    index('dashboard_links_product_idx').on(t.productId),
  ],
);
