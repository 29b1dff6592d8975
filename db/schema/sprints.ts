import {
  boolean,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { backlogItems, itemStatus } from './items';
import { products } from './products';
import { liveSessions, sessionNotes } from './sessions';
import { users } from './users';

export const sprintState = pgEnum('sprint_state', ['planned', 'active', 'closed']);

/**
 * A sprint of one product: a goal in value terms, dates and a capacity. Closed at its review; from then on its
 * results are final and every change is refused. Velocity is derived from its accepted items (sprint_items).
 */
export const sprints = pgTable(
  'sprints',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** calendar days, inclusive (YYYY-MM-DD) */
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    goal: text('goal').notNull().default(''),
    /** the points the team expects to manage, null when not given */
    capacity: integer('capacity'),
    state: sprintState('state').notNull().default('planned'),
    /** the product owner's call at the review, with a note */
    goalMet: boolean('goal_met'),
    goalNote: text('goal_note').notNull().default(''),
    /** the review session (kind 'review'), once started */
    reviewSessionId: uuid('review_session_id').references(() => liveSessions.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('sprints_product_idx').on(t.productId, t.startDate)],
);

/**
 * An item's membership of a sprint. Removing keeps the row (removedAt) so the history stays; pulling it in again
 * clears removedAt. Points are those at commitment; the points that count at review are taken when decided.
 */
export const sprintItems = pgTable(
  'sprint_items',
  {
    sprintId: uuid('sprint_id')
      .notNull()
      .references(() => sprints.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    pointsAtCommit: integer('points_at_commit'),
    /** the item's status before it entered the sprint, to return to when it leaves unfinished */
    statusBefore: itemStatus('status_before').notNull(),
    /** set when the item was pulled in while not ready or blocked: the override's reason */
    notReadyReason: text('not_ready_reason'),
    addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** accepted or rejected at the review */
    outcome: text('outcome').$type<'accepted' | 'rejected'>(),
    /** the points that counted when the outcome was decided (velocity sums the accepted ones) */
    pointsAtReview: integer('points_at_review'),
    /** the product owner's overall note on accept or reject */
    outcomeNote: text('outcome_note').notNull().default(''),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** unfinished items: back to the backlog, or into the next sprint */
    unfinishedDecision: text('unfinished_decision').$type<'backlog' | 'next_sprint'>(),
    nextSprintId: uuid('next_sprint_id').references(() => sprints.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.sprintId, t.itemId] }), index('sprint_items_item_idx').on(t.itemId)],
);

/**
 * One line of an item's review checklist: an acceptance criterion (a Gherkin scenario, `criterion:<n>`) or a line
 * of the Definition of Done (`dod:<id>`), met or not met, with what is needed when it is not. The label is kept
 * as it read at the review, so the report stays true when the criteria change later.
 */
export const reviewResults = pgTable(
  'review_results',
  {
    sprintId: uuid('sprint_id')
      .notNull()
      .references(() => sprints.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    line: text('line').notNull(),
    label: text('label').notNull(),
    met: boolean('met').notNull(),
    /** what is needed, for a line not met (given on reject) */
    feedback: text('feedback').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sprintId, t.itemId, t.line] })],
);

/** A review feedback note (session_notes of kind 'feedback') that the product owner turned into a backlog item. */
export const feedbackItems = pgTable(
  'feedback_items',
  {
    noteId: uuid('note_id')
      .primaryKey()
      .references(() => sessionNotes.id, { onDelete: 'cascade' }),
    sprintId: uuid('sprint_id')
      .notNull()
      .references(() => sprints.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('feedback_items_sprint_idx').on(t.sprintId)],
);
