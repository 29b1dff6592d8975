import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { products } from './products';
import { users } from './users';

export const itemType = pgEnum('item_type', ['epic', 'story', 'bug', 'tech_debt', 'spike']);
export const itemStatus = pgEnum('item_status', [
  'new',
  'refined',
  'ready',
  'in_sprint',
  'done',
  'accepted',
  'rejected',
  'archived',
]);

/** A backlog item. `rank` is a fractional-index key: the backlog order is `order by rank`. */
export const backlogItems = pgTable(
  'backlog_items',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    type: itemType('type').notNull().default('story'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    parentId: uuid('parent_id'),
    estimate: integer('estimate'),
    status: itemStatus('status').notNull().default('new'),
    rank: text('rank').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('backlog_items_product_rank_idx').on(t.productId, t.rank)],
);
