/**
 * The stand-in's admin API as tests see it (not Jira's): the same interface in-process (`startJiraStandin().admin`)
 * and over HTTP (`createStandinAdminClient(url)`, for Playwright), both async.
 */
import type { AdfDoc } from './adf';
import type { IssueTypeName, PermissionKey } from './catalog';
import type { Delivery, RequestLogEntry } from './state';

export type { Delivery, PermissionKey, RequestLogEntry };

export interface SeedIssue {
  summary: string;
  /** plain or wiki text; v3 answers it as ADF, v2 as the text */
  description?: string;
  /** default Story */
  type?: IssueTypeName;
  points?: number | null;
  labels?: string[];
  /** the key of an issue seeded before this one (or already there): an epic, or a sub-task's parent */
  parent?: string;
  /** 'To Do' (default), 'In Progress', 'Done' or 'Rejected' */
  status?: string;
  acceptanceCriteria?: string;
  /** 'Highest' … 'Lowest', default 'Medium' */
  priority?: string;
  /** ISO times; default now */
  created?: string;
  updated?: string;
}

export interface SeedProject {
  /** the project key, e.g. `REF` (letters and digits, starting with a letter) */
  key: string;
  name?: string;
  /** seeded in order: keys are `KEY-1`, `KEY-2`, … and the rank order is this order */
  issues?: SeedIssue[];
}

export interface SeededProject {
  projectId: string;
  key: string;
  boardId: number;
  issues: { id: string; key: string; summary: string }[];
}

/** An edit made by a person in Jira: bumps `updated`, is recorded in the changelog, fires the webhooks. */
export interface JiraUserEdit {
  summary?: string;
  description?: string | null;
  acceptanceCriteria?: string | null;
  labels?: string[];
  points?: number | null;
  parent?: string | null;
  /** moves the issue to this status (by the workflow's transition when there is one) */
  status?: string;
  priority?: string;
  type?: IssueTypeName;
  /** moves the issue in the rank order */
  rank?: { before: string } | { after: string };
}

/** An issue as the stand-in holds it, for assertions. */
export interface StandinIssue {
  id: string;
  key: string;
  project: string;
  type: string;
  summary: string;
  /** the description as wiki text */
  description: string | null;
  /** the description as ADF (what v3 answers) */
  descriptionAdf: AdfDoc | null;
  acceptanceCriteria: string | null;
  labels: string[];
  points: number | null;
  status: string;
  statusCategory: 'new' | 'indeterminate' | 'done';
  resolution: string | null;
  parent: string | null;
  priority: string;
  rank: string;
  created: string;
  updated: string;
  comments: { id: string; author: string; body: string }[];
}

export interface StandinAccount {
  accountId: string;
  displayName: string;
  email: string;
  apiToken: string;
  pat: string;
  permissions: PermissionKey[];
}

export interface RegisteredWebhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  jql: string | null;
  excludeBody: boolean;
  secret: string | null;
}

/** Which account an admin call is about; the stand-in's own credentials' account when left out. */
export interface ForAccount {
  accountId?: string;
}

export interface StandinAdmin {
  /** Back to an empty site: no projects, issues, webhooks or logs; the accounts' tokens work again. */
  reset(): Promise<void>;
  seedProject(seed: SeedProject): Promise<SeededProject>;
  /** A person creates an issue in Jira (fires `jira:issue_created`). */
  createIssue(projectKey: string, issue: SeedIssue): Promise<StandinIssue>;
  editIssue(key: string, edit: JiraUserEdit): Promise<StandinIssue>;
  commentIssue(key: string, text: string): Promise<StandinIssue>;
  deleteIssue(key: string): Promise<void>;
  getIssue(key: string): Promise<StandinIssue | null>;
  /** A project's issues in rank order. */
  listIssues(projectKey: string): Promise<StandinIssue[]>;
  /** Another account (its own credentials, permissions and rate limits): for tests that run side by side. */
  addAccount(seed?: { displayName?: string; permissions?: PermissionKey[] }): Promise<StandinAccount>;
  /** Revokes the API token (Cloud) and/or the PAT (Data Center); requests with it get 401. */
  revokeToken(options?: ForAccount & { which?: 'apiToken' | 'pat' | 'both' }): Promise<void>;
  restoreToken(options?: ForAccount): Promise<void>;
  /** Grants (true) or takes away (false) permissions; answers the account's permissions after. */
  setPermissions(
    changes: Partial<Record<PermissionKey, boolean>>,
    options?: ForAccount,
  ): Promise<PermissionKey[]>;
  /** The next `count` requests (of the account when given, else of anyone) answer 429 with this Retry-After. */
  injectRateLimit(options: ForAccount & { count: number; retryAfterSeconds?: number }): Promise<void>;
  /** The Jira API requests served so far (not the admin API's), oldest first. */
  requests(filter?: ForAccount): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** Webhook deliveries attempted so far, oldest first. */
  deliveries(): Promise<Delivery[]>;
  webhooks(): Promise<RegisteredWebhook[]>;
}
