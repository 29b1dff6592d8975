import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { liveSessions } from './sessions';
import { users } from './users';

/**
 * Votes before the meeting (issue 18): a prioritisation session's window for asynchronous voting before the live
 * session. The votes themselves are the session's dot_votes and session_scores rows, secret until the reveal as
 * any others; this row says only when the window closes and, once closed, who had voted in it.
 */
export const asyncVoteWindows = pgTable('async_vote_windows', {
  sessionId: uuid('session_id')
    .primaryKey()
    .references(() => liveSessions.id, { onDelete: 'cascade' }),
  openedBy: uuid('opened_by').references(() => users.id, { onDelete: 'set null' }),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
  closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
  /** the facilitator's time zone when they set closes-at, to show it as they meant it */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** when it closed: by hand, at closes-at (the background tick), or when the live vote opened */
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** the participants who had voted when it closed (ids only, never their votes) */
  earlyVoters: jsonb('early_voters').$type<string[]>(),
});

/**
 * The reminders due before a window closes (app/domain/async-voting.ts, remindersDue), one row per person and
 * reminder, so each is recorded once whichever copy of the server ticks. `deliveredAt` is for whatever sends them.
 */
export const asyncVoteReminders = pgTable(
  'async_vote_reminders',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** which reminder: '24h' or '2h' before closing */
    reminder: text('reminder').notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('async_vote_reminders_once_idx').on(t.sessionId, t.userId, t.reminder, t.closesAt),
    index('async_vote_reminders_session_idx').on(t.sessionId),
  ],
);
