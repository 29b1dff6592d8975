import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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
import type { FieldMap, StatusMap, SyncedValues } from '../../app/domain/tracker';
import { createdAt, id } from './columns';
import { backlogItems } from './items';
import { products } from './products';
import { users } from './users';

export const trackerKind = pgEnum('tracker_kind', ['jira_cloud', 'jira_dc']);

/**
 * A product's connection to an outside tracker (issue 16, decision 0038): one per product. The API token or
 * personal access token and the webhook secret are stored encrypted (services/trackers/secret-box.server.ts) and
 * never leave the server. `leaseOwner`/`leaseUntil`: the copy syncing this product now (one at a time).
 */
export const trackerConnections = pgTable('tracker_connections', {
  productId: uuid('product_id')
    .primaryKey()
    .references(() => products.id, { onDelete: 'cascade' }),
  kind: trackerKind('kind').notNull(),
  baseUrl: text('base_url').notNull(),
  /** Jira Cloud signs in with an account email and an API token; Data Center with a personal access token */
  accountEmail: text('account_email'),
  secret: text('secret').notNull(),
  /** who the token signs in as, from the last successful check */
  accountName: text('account_name'),
  fieldMap: jsonb('field_map').$type<FieldMap>(),
  statusMap: jsonb('status_map').$type<StatusMap>().notNull().default({ accepted: null, rejected: null }),
  /** also write each meeting decision and its reason as a comment on the issue */
  commentDecisions: boolean('comment_decisions').notNull().default(false),
  /** what the last import asked for, so "sync now" pulls the same issues */
  scope: jsonb('scope').$type<{ jql: string } | { boardId: number }>(),
  webhookSecret: text('webhook_secret').notNull(),
  webhookId: text('webhook_id'),
  /** pulls ask the tracker for what was updated since this moment */
  pulledUntil: timestamp('pulled_until', { withTimezone: true }),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
  lastError: text('last_error'),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A backlog item linked to a tracker issue, with the field values both sides last agreed on. */
export const trackerLinks = pgTable(
  'tracker_links',
  {
    itemId: uuid('item_id')
      .primaryKey()
      .references(() => backlogItems.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    issueKey: text('issue_key').notNull(),
    issueId: text('issue_id').notNull(),
    url: text('url').notNull(),
    base: jsonb('base').$type<SyncedValues>().notNull(),
    /** the tracker's values for text being edited live, applied when the session lets go of the item */
    deferred: jsonb('deferred').$type<Partial<SyncedValues>>(),
    issueUpdated: text('issue_updated'),
    /** what Jira says of the issue beyond the synced fields, shown beside the item (read-only here) */
    issueStatus: text('issue_status'),
    issueStatusCategory: text('issue_status_category'),
    issuePriority: text('issue_priority'),
    issueType: text('issue_type'),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tracker_links_product_issue_idx').on(t.productId, t.issueId),
    index('tracker_links_product_key_idx').on(t.productId, t.issueKey),
  ],
);

export type TrackerJobKind = 'import' | 'pull';
export type TrackerJobState = 'queued' | 'running' | 'done' | 'failed';
export interface TrackerJobProgress {
  /** issues read so far, and how many there are when the tracker says */
  read: number;
  total: number | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}
export interface TrackerJobError {
  issueKey: string | null;
  message: string;
  at: string;
}

/**
 * A long piece of sync work (an import, a pull) done page by page. `cursor` is where the next page starts, saved
 * after each page, so a restart resumes where it stopped; every page is idempotent (issues are matched by id).
 */
export const trackerJobs = pgTable(
  'tracker_jobs',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<TrackerJobKind>().notNull(),
    state: text('state').$type<TrackerJobState>().notNull().default('queued'),
    request: jsonb('request')
      .$type<{ jql: string } | { boardId: number } | { since: string | null }>()
      .notNull(),
    cursor: jsonb('cursor').$type<{ startAt: number } | { nextPageToken: string } | null>(),
    progress: jsonb('progress')
      .$type<TrackerJobProgress>()
      .notNull()
      .default({ read: 0, total: null, created: 0, updated: 0, unchanged: 0, failed: 0 }),
    errors: jsonb('errors').$type<TrackerJobError[]>().notNull().default(sql`'[]'::jsonb`),
    attempts: integer('attempts').notNull().default(0),
    /** a 429's Retry-After, or a backoff after a failure: not tried again before */
    notBefore: timestamp('not_before', { withTimezone: true }),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('tracker_jobs_product_idx').on(t.productId, t.createdAt)],
);

export type TrackerPushOp =
  /** Refinery's values of these fields, written to the issue (through the product's field map when sent) */
  | { op: 'fields'; issueKey: string; changes: Partial<SyncedValues> }
  | { op: 'rank'; issueKey: string; rankBeforeIssue?: string; rankAfterIssue?: string }
  | { op: 'transition'; issueKey: string; toStatus: string }
  | { op: 'comment'; issueKey: string; text: string }
  /** a new issue for an item (a split's child, review feedback turned into an item), linked once created */
  | { op: 'create'; itemId: string; parentKey: string | null; issueType: string };

/**
 * What the meetings decided, waiting to be written to the tracker: written in the same transaction as the
 * decision (nothing acknowledged is lost), sent in order per product, retried after a failure or a 429.
 */
export const trackerOutbox = pgTable(
  'tracker_outbox',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').references(() => backlogItems.id, { onDelete: 'set null' }),
    push: jsonb('push').$type<TrackerPushOp>().notNull(),
    state: text('state').$type<'pending' | 'done' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    notBefore: timestamp('not_before', { withTimezone: true }),
    createdAt: createdAt(),
    /**
     * The order pushes are sent in. `created_at` is the transaction's start, the same for every push one decision
     * queues (a split's new stories, the items an urgent swap moves), so it cannot order them.
     */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('tracker_outbox_pending_idx').on(t.productId, t.state, t.seq)],
);
