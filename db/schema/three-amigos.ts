import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { backlogItems } from './items';
import { liveSessions } from './sessions';
import { users } from './users';

/**
 * Three amigos (issue 18): what the developer records (questions, dependencies, assumptions) and the cases the
 * tester added to the story's criteria, one row each. The session's public live state mirrors them; Postgres holds
 * them.
 */
export const threeAmigosNotes = pgTable(
  'three_amigos_notes',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    /** question, dependency, assumption (the developer's list) or case (a scenario the tester added) */
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** a dependency: the item of the product it depends on (also linked as a dependency of the story) */
    linkedItemId: uuid('linked_item_id').references(() => backlogItems.id, { onDelete: 'set null' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('three_amigos_notes_session_idx').on(t.sessionId, t.createdAt)],
);

/** "We share an understanding": one row per person who marked it; taking it back deletes the row. */
export const threeAmigosMarks = pgTable(
  'three_amigos_marks',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);
