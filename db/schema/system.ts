import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns';

/** Settings the processes must share, e.g. the generated signing secret when SESSION_SECRET is unset. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * The last snapshot of each live (Yjs) document, by document name. `throughUpdateId` is the last row of
 * live_updates folded into it: loading applies the snapshot, then the log rows after it.
 */
export const liveDocuments = pgTable('live_documents', {
  name: text('name').primaryKey(),
  state: bytea('state').notNull(),
  throughUpdateId: bigint('through_update_id', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
