import {
  bigint,
  bigserial,
  boolean,
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
import { bytea, createdAt, id } from './columns';
import { backlogItems } from './items';
import { products } from './products';
import { users } from './users';

export const sessionKind = pgEnum('session_kind', ['refinement', 'prioritisation', 'review', 'three_amigos']);

/**
 * A session (live meeting) of one product; the login sessions are another table: refinement workshop, prioritisation session or sprint review. The facts (who
 * takes part, votes, estimates, notes) live here; the session's live document only mirrors the public part.
 */
export const liveSessions = pgTable(
  'live_sessions',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: sessionKind('kind').notNull(),
    title: text('title').notNull(),
    /** one of the phases of the kind (app/domain/session-phases.ts) */
    phase: text('phase').notNull().default('lobby'),
    /** the member who moves phases and runs votes: the PO or a member the PO names */
    facilitatorId: uuid('facilitator_id')
      .notNull()
      .references(() => users.id),
    currentItemId: uuid('current_item_id').references(() => backlogItems.id, { onDelete: 'set null' }),
    /** kind-specific settings, e.g. the poker deck and auto-reveal */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** the running time-box: when it ends, or null when no timer runs */
    timerEndsAt: timestamp('timer_ends_at', { withTimezone: true }),
    timerSeconds: integer('timer_seconds'),
    /** random code in the join link; null when guest links are closed (guests arrive in a later issue) */
    joinCode: text('join_code').notNull(),
    /** whether people without an account may still join by the link */
    guestsAllowed: boolean('guests_allowed').notNull().default(true),
    /** prioritisation: not_open, open or closed; votes and scores are accepted only while open */
    voting: text('voting').notNull().default('not_open'),
    /** prioritisation: results (dots, scores) are visible from this moment */
    resultsRevealedAt: timestamp('results_revealed_at', { withTimezone: true }),
    /**
     * prioritisation: the results as revealed, per item, frozen until that item is reset (a removal or a regrouping
     * afterwards must not move them: the difference would expose one person's votes). Shape: FrozenResults in
     * app/services/sessions/prioritisation.server.ts.
     */
    revealedResults: jsonb('revealed_results').$type<Record<string, unknown>>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('live_sessions_product_idx').on(t.productId, t.createdAt),
    uniqueIndex('live_sessions_join_code_idx').on(t.joinCode),
  ],
);

/** The ordered agenda: backlog items, each with its own time-box. */
export const sessionAgenda = pgTable(
  'session_agenda',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    timeboxSeconds: integer('timebox_seconds').notNull().default(600),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.itemId] })],
);

/** Who takes part: a member (userId) or, later, a guest (guestName). Spectators watch without voting. */
export const sessionParticipants = pgTable(
  'session_participants',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    guestName: text('guest_name'),
    spectator: boolean('spectator').notNull().default(false),
    /** the stakeholder group whose weight applies to this participant's scores */
    groupName: text('group_name'),
    handRaisedAt: timestamp('hand_raised_at', { withTimezone: true }),
    joinedAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('session_participants_user_idx').on(t.sessionId, t.userId),
    index('session_participants_session_idx').on(t.sessionId),
  ],
);

/** A planning-poker round on one item; a re-vote starts the next round, and rounds are kept. */
export const estimateRounds = pgTable(
  'estimate_rounds',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /** a built-in deck's name, or the name of the product's own deck the round was opened with */
    deck: text('deck').notNull(),
    /** a product's own deck: its cards as they were when the round opened (null for a built-in deck) */
    cards: jsonb('cards').$type<string[]>(),
    revealedAt: timestamp('revealed_at', { withTimezone: true }),
    /** the estimate the facilitator committed to the item from this round */
    committedValue: integer('committed_value'),
    startedAt: createdAt(),
  },
  (t) => [uniqueIndex('estimate_rounds_number_idx').on(t.sessionId, t.itemId, t.number)],
);

/** A secret vote: only Postgres holds it until its round is revealed. */
export const estimates = pgTable(
  'estimates',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => estimateRounds.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => sessionParticipants.id, { onDelete: 'cascade' }),
    value: text('value').notNull(),
    castAt: timestamp('cast_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.participantId] })],
);

/** Dots a participant put on an agenda item (prioritisation). Secret until the results are revealed. */
export const dotVotes = pgTable(
  'dot_votes',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => sessionParticipants.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    dots: integer('dots').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.itemId] }),
    index('dot_votes_session_idx').on(t.sessionId),
  ],
);

/**
 * One participant's score of one part for one item (prioritisation): a WSJF part, business value, a MoSCoW vote
 * or one answer of the Kano pair. Secret until the results are revealed.
 */
export const sessionScores = pgTable(
  'session_scores',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => sessionParticipants.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    part: text('part').notNull(),
    value: text('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.itemId, t.part] }),
    index('session_scores_session_idx').on(t.sessionId),
  ],
);

/** Open questions and notes raised in a session (review feedback notes reuse it later). */
export const sessionNotes = pgTable(
  'session_notes',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').references(() => backlogItems.id, { onDelete: 'set null' }),
    participantId: uuid('participant_id').references(() => sessionParticipants.id, { onDelete: 'set null' }),
    kind: text('kind').notNull().default('question'),
    text: text('text').notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('session_notes_session_idx').on(t.sessionId, t.createdAt)],
);

/**
 * The append-only log of collaborative-text updates: each Yjs update a client sends is written here before the
 * server applies it, so a crash loses nothing the server had received. Compaction folds a document's log into
 * its snapshot in live_documents and deletes the folded rows.
 */
export const liveUpdates = pgTable(
  'live_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    documentName: text('document_name').notNull(),
    update: bytea('update').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('live_updates_document_idx').on(t.documentName, t.id)],
);

/**
 * Rows of live_updates or snapshots that could not be applied when a document was loaded or compacted, moved
 * aside so the rest of the document loads (decision record 0019). Kept for inspection; nothing reads them.
 */
export const liveUpdatesRefused = pgTable(
  'live_updates_refused',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    documentName: text('document_name').notNull(),
    /** the live_updates id it had, or null for a snapshot */
    updateId: bigint('update_id', { mode: 'number' }),
    update: bytea('update').notNull(),
    error: text('error').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('live_updates_refused_document_idx').on(t.documentName)],
);
