import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { backlogItems } from './items';
import { products } from './products';
import { liveSessions } from './sessions';
import { users } from './users';

/* Stakeholder requests and the agreed prioritisation criteria (issue 17, parts 1 and 2). */

export const requestState = pgEnum('request_state', ['new', 'needs_info', 'accepted', 'merged', 'declined']);
export const requestChannel = pgEnum('request_channel', ['direct', 'around_po']);

/**
 * The criteria the stakeholders agreed on, one row per version (append-only; the current one is the highest
 * version). Linked to the prioritisation session that agreed them, when there was one.
 */
export const prioritisationCriteriaVersions = pgTable(
  'prioritisation_criteria_versions',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** the ordering methods agreed (wsjf, moscow, kano, dot_voting, …) */
    methods: text('methods').array().notNull(),
    /** weights of the WSJF cost-of-delay parts; 1 each is plain WSJF */
    wsjfWeights: jsonb('wsjf_weights')
      .$type<{ businessValue: number; timeCriticality: number; riskReduction: number }>()
      .notNull(),
    /** what counts as urgent, in the stakeholders' words */
    urgency: text('urgency').notNull().default(''),
    agreedInSessionId: uuid('agreed_in_session_id').references(() => liveSessions.id, {
      onDelete: 'set null',
    }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('criteria_versions_product_version_idx').on(t.productId, t.version)],
);

/** A product's request link: anyone with it may send a request without an account. Random, hashed, revocable. */
export const productRequestLinks = pgTable(
  'product_request_links',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('request_links_token_idx').on(t.tokenHash),
    index('request_links_product_idx').on(t.productId),
  ],
);

/**
 * A request from a stakeholder: a member (requesterId) or someone with the request link (requesterName and a
 * secret follow token, stored hashed), or one the team recorded that reached them around the PO.
 */
export const stakeholderRequests = pgTable(
  'stakeholder_requests',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    problem: text('problem').notNull(),
    whoHasIt: text('who_has_it').notNull().default(''),
    expectedValue: text('expected_value').notNull().default(''),
    deadline: date('deadline', { mode: 'string' }),
    /** the requester says it is urgent, as the current criteria define urgency */
    urgent: boolean('urgent').notNull().default(false),
    /** the member who sent (or recorded) it; null for a link user */
    requesterId: uuid('requester_id').references(() => users.id, { onDelete: 'set null' }),
    /** a link user's name, or who brought a request around the PO */
    requesterName: text('requester_name'),
    followTokenHash: text('follow_token_hash'),
    linkId: uuid('link_id').references(() => productRequestLinks.id, { onDelete: 'set null' }),
    channel: requestChannel('channel').notNull().default('direct'),
    state: requestState('state').notNull().default('new'),
    /** the PO's answer: the reason of a decline, the question of an "ask for more", a note on accept/merge */
    answer: text('answer').notNull().default(''),
    itemId: uuid('item_id').references(() => backlogItems.id, { onDelete: 'set null' }),
    criteriaVersionId: uuid('criteria_version_id').references(() => prioritisationCriteriaVersions.id, {
      onDelete: 'set null',
    }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('requests_product_idx').on(t.productId, t.createdAt),
    index('requests_requester_idx').on(t.requesterId),
    index('requests_item_idx').on(t.itemId),
    uniqueIndex('requests_follow_token_idx').on(t.followTokenHash),
  ],
);

/** The "ask for more" thread: the PO's questions and the requester's answers, in order. */
export const requestMessages = pgTable(
  'request_messages',
  {
    id: id(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => stakeholderRequests.id, { onDelete: 'cascade' }),
    author: text('author').$type<'po' | 'requester'>().notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('request_messages_request_idx').on(t.requestId, t.createdAt)],
);
