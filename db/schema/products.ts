import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { users } from './users';

export const memberRole = pgEnum('member_role', ['product_owner', 'team_member', 'stakeholder']);

export const products = pgTable(
  'products',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Definition of Ready and Definition of Done: checklists with stable ids, kept per product */
    definitionOfReady: jsonb('definition_of_ready')
      .$type<Array<{ id: string; text: string }>>()
      .notNull()
      .default([]),
    definitionOfDone: jsonb('definition_of_done')
      .$type<Array<{ id: string; text: string }>>()
      .notNull()
      .default([]),
    /** the product's own planning poker decks, beside the built-in ones */
    pokerDecks: jsonb('poker_decks')
      .$type<Array<{ id: string; name: string; cards: string[] }>>()
      .notNull()
      .default([]),
    /** the share of each sprint kept for technical debt, in percent (0–100); null while the PO has set none */
    techDebtShare: integer('tech_debt_share'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [check('products_tech_debt_share_range', sql`${t.techDebtShare} between 0 and 100`)],
);

export const memberships = pgTable(
  'memberships',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** An invite link: the token is random, stored as a SHA-256, expires and can be revoked. */
export const invites = pgTable(
  'invites',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invites_token_idx').on(t.tokenHash), index('invites_product_idx').on(t.productId)],
);
