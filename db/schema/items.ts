import { sql } from 'drizzle-orm';
import {
  doublePrecision,
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
export const moscow = pgEnum('moscow', ['must', 'should', 'could', 'wont']);
export const kanoCategory = pgEnum('kano_category', [
  'must_be',
  'performance',
  'attractive',
  'indifferent',
  'reverse',
  'questionable',
]);
export const outcome = pgEnum('outcome', ['moved', 'not_moved', 'unknown']);

/**
 * A backlog item. `rank` is a fractional-index key, unique per product: the backlog order is `order by rank`,
 * and a move rewrites one row.
 */
export const backlogItems = pgTable(
  'backlog_items',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    type: itemType('type').notNull().default('story'),
    title: text('title').notNull(),
    /** plain text or the serialised rich text; the live editor owns it once refinement sessions edit it */
    description: text('description').notNull().default(''),
    parentId: uuid('parent_id'),
    estimate: integer('estimate'),
    status: itemStatus('status').notNull().default('new'),
    /** the status to return to on restore */
    archivedFromStatus: itemStatus('archived_from_status'),
    rank: text('rank').notNull(),
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    moscow: moscow('moscow'),
    userBusinessValue: integer('user_business_value'),
    timeCriticality: integer('time_criticality'),
    riskReduction: integer('risk_reduction'),
    jobSize: integer('job_size'),
    /** derived from the four parts above, stored for ordering and filtering */
    wsjf: doublePrecision('wsjf'),
    kano: kanoCategory('kano'),
    impactHypothesis: text('impact_hypothesis').notNull().default(''),
    successMetric: text('success_metric').notNull().default(''),
    outcome: outcome('outcome'),
    /** for technical debt: what it costs in value terms ("adds 2 days to every feature in checkout") */
    debtImpact: text('debt_impact').notNull().default(''),
    /** the last Gherkin source that parsed; an invalid edit is refused and never replaces it */
    criteria: text('criteria').notNull().default(''),
    /** Definition of Ready checklist item id → checked */
    readyChecks: jsonb('ready_checks').$type<Record<string, boolean>>().notNull().default({}),
    readyOverrideReason: text('ready_override_reason'),
    externalKey: text('external_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('backlog_items_product_rank_idx').on(t.productId, t.rank),
    index('backlog_items_parent_idx').on(t.parentId),
  ],
);

/** "item is blocked by blockedBy"; the blocker may belong to another product the user is a member of. */
export const itemDependencies = pgTable(
  'item_dependencies',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    blockedById: uuid('blocked_by_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.blockedById] }),
    index('item_dependencies_blocker_idx').on(t.blockedById),
  ],
);
