import type { ConnectionCheck, FieldMap, TrackerField, TrackerIssue } from '~/domain/tracker';

/**
 * One interface for every outside tracker (decision 0038): the sync speaks only this, so Azure DevOps or Linear
 * can follow Jira with a connector of their own. Each call either answers or throws a `TrackerError`.
 */
export interface TrackerConnector {
  /** Signs in and reads what the account may do; never throws (a failure is an answer that names the problem). */
  check(): Promise<ConnectionCheck>;
  /** The site's fields, for detecting and choosing the field map. */
  fields(): Promise<TrackerField[]>;
  /** One page of the issues in a scope, in the tracker's rank order. `cursor` null: the first page. */
  page(request: PageRequest, map: FieldMap): Promise<IssuePage>;
  issue(key: string, map: FieldMap): Promise<TrackerIssue>;
  edit(key: string, fields: Record<string, unknown>): Promise<void>;
  rank(key: string, placement: { rankBeforeIssue: string } | { rankAfterIssue: string }): Promise<void>;
  create(fields: Record<string, unknown>): Promise<{ id: string; key: string }>;
  /** Moves the issue to the named status through a transition that leads there; false when none does. */
  transition(key: string, toStatus: string): Promise<boolean>;
  comment(key: string, text: string): Promise<void>;
  /** Registers a webhook for the scope's issues; null when the account may not (the poll still finds changes). */
  registerWebhook(url: string, secret: string, jql: string): Promise<string | null>;
  /** Removes a webhook this product registered; a webhook already gone is not an error. */
  removeWebhook(id: string): Promise<void>;
  /** The text a description has in this tracker's format ('adf' for Cloud, 'wiki' for Data Center). */
  readonly format: 'adf' | 'wiki';
  readonly siteUrl: string;
}

export type Scope = { jql: string } | { boardId: number };
export type PageCursor = { startAt: number } | { nextPageToken: string };

export interface PageRequest {
  scope: Scope;
  /** only issues updated at or after this moment (a pull), or all (an import) */
  updatedSince?: Date | null;
  cursor: PageCursor | null;
  pageSize?: number;
}

export interface IssuePage {
  issues: TrackerIssue[];
  /** issues the tracker sent that could not be read, with why: recorded, the others go on */
  unreadable: Array<{ issueKey: string | null; message: string }>;
  next: PageCursor | null;
  total: number | null;
}

export type TrackerErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'bad_request'
  | 'unreachable'
  | 'server';

/** A tracker refused or failed: `message` is the tracker's own words where it gave some. */
export class TrackerError extends Error {
  constructor(
    readonly kind: TrackerErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
  /** worth trying again later: a rate limit, an unreachable or failing server */
  get transient() {
    return this.kind === 'rate_limited' || this.kind === 'unreachable' || this.kind === 'server';
  }
}
