/**
 * Everything the stand-in holds, in memory: accounts and their tokens and permissions, projects with their board,
 * issues (with comments and change history), registered webhooks, and the logs tests read. No HTTP here.
 */
import { randomBytes } from 'node:crypto';
import type { RichText } from './adf';
import { allPermissions, type PermissionKey } from './catalog';
import { compareRanks } from './ranks';

export type Flavour = 'cloud' | 'dc';

export interface Account {
  /** Cloud's accountId; Data Center calls it the user key */
  accountId: string;
  /** Data Center's username */
  name: string;
  displayName: string;
  emailAddress: string;
  apiToken: string;
  pat: string;
  revoked: { apiToken: boolean; pat: boolean };
  permissions: Set<PermissionKey>;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  /** the number the next issue's key gets */
  nextNumber: number;
}

export interface Board {
  id: number;
  name: string;
  projectId: string;
  type: 'scrum' | 'kanban';
}

export interface Comment {
  id: string;
  authorId: string;
  body: RichText;
  created: number;
  updated: number;
}

/** One changed field of a change, in the shape of Jira's changelog items. */
export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface History {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface Issue {
  id: string;
  key: string;
  projectId: string;
  typeId: string;
  summary: string;
  description: RichText | null;
  acceptanceCriteria: RichText | null;
  labels: string[];
  storyPoints: number | null;
  statusId: string;
  resolutionId: string | null;
  resolutionDate: number | null;
  priorityId: string;
  parentId: string | null;
  rank: string;
  reporterId: string;
  assigneeId: string | null;
  created: number;
  updated: number;
  comments: Comment[];
  histories: History[];
}

export interface Webhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  /** the `issue-related-events-section` filter */
  jql: string | null;
  excludeBody: boolean;
  secret: string | null;
  enabled: boolean;
  lastUpdatedBy: string;
  lastUpdated: number;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  /** the path without the query string */
  path: string;
  /** the query string without `?`, '' when none */
  query: string;
  status: number;
  /** the account the request authenticated as (null: none or wrong credentials) */
  accountId: string | null;
  /** the JSON body of a write, when it had one */
  body?: unknown;
}

export interface Delivery {
  at: string;
  webhookId: number;
  event: string;
  issueKey: string;
  url: string;
  /** the receiver's status, null when it could not be reached */
  status: number | null;
  error: string | null;
}

export interface RateLimit {
  remaining: number;
  retryAfterSeconds: number;
  /** only requests of this account; null: every request */
  accountId: string | null;
}

export interface AccountSeed {
  displayName?: string;
  emailAddress?: string;
  name?: string;
  apiToken?: string;
  pat?: string;
  permissions?: PermissionKey[];
}

const LOG_LIMIT = 10_000;

const token = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

/** Ids start where a fresh Jira's do, so ids and keys are predictable after a reset. */
const FIRST_IDS = {
  project: 10000,
  issue: 10000,
  comment: 10000,
  history: 10000,
  board: 1,
  webhook: 1,
  account: 1,
};

export class StandinState {
  readonly accounts = new Map<string, Account>();
  readonly projects = new Map<string, Project>();
  readonly boards = new Map<number, Board>();
  readonly issues = new Map<string, Issue>();
  readonly webhooks = new Map<number, Webhook>();
  readonly requestLog: RequestLogEntry[] = [];
  readonly deliveries: Delivery[] = [];
  readonly rateLimits: RateLimit[] = [];
  /** the account the stand-in's credentials belong to */
  integration!: Account;
  /** the person who edits issues "in Jira" through the admin API */
  human!: Account;
  private ids = { ...FIRST_IDS };

  constructor(
    readonly flavour: Flavour,
    private readonly integrationSeed: AccountSeed = {},
  ) {
    this.reset();
  }

  reset(): void {
    this.projects.clear();
    this.boards.clear();
    this.issues.clear();
    this.webhooks.clear();
    this.requestLog.length = 0;
    this.deliveries.length = 0;
    this.rateLimits.length = 0;
    this.ids = { ...FIRST_IDS };
    const keep = this.integration;
    this.accounts.clear();
    const seed = this.integrationSeed;
    this.integration = this.addAccount({
      displayName: seed.displayName ?? 'Refinery Integration',
      emailAddress: seed.emailAddress ?? 'refinery@standin.example',
      name: seed.name ?? 'refinery',
      permissions: seed.permissions,
      // the same tokens across resets: a running app keeps its configured credentials
      apiToken: keep?.apiToken ?? seed.apiToken,
      pat: keep?.pat ?? seed.pat,
    });
    this.human = this.addAccount({
      displayName: 'Jamie Jira',
      emailAddress: 'jamie@standin.example',
      name: 'jamie',
    });
  }

  addAccount(seed: AccountSeed): Account {
    const n = this.ids.account++;
    const account: Account = {
      accountId:
        this.flavour === 'cloud'
          ? `5b10ac8d82e05b22cc7d${String(n).padStart(4, '0')}`
          : `JIRAUSER${10000 + n}`,
      name: seed.name ?? `user${n}`,
      displayName: seed.displayName ?? `Stand-in User ${n}`,
      emailAddress: seed.emailAddress ?? `user${n}@standin.example`,
      apiToken: seed.apiToken ?? token('ATATT3x'),
      pat: seed.pat ?? token('NjM'),
      revoked: { apiToken: false, pat: false },
      permissions: new Set(seed.permissions ?? allPermissions),
    };
    this.accounts.set(account.accountId, account);
    return account;
  }

  nextId(kind: 'project' | 'issue' | 'comment' | 'history' | 'board' | 'webhook'): number {
    return this.ids[kind]++;
  }

  account(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  /** A project by key (any case), id or name. */
  project(keyOrId: string): Project | undefined {
    const wanted = keyOrId.toUpperCase();
    for (const project of this.projects.values()) {
      if (project.key === wanted || project.id === keyOrId || project.name.toUpperCase() === wanted)
        return project;
    }
    return undefined;
  }

  /** An issue by key (any case) or id. */
  issue(keyOrId: string): Issue | undefined {
    const byId = this.issues.get(keyOrId);
    if (byId) return byId;
    const wanted = keyOrId.toUpperCase();
    for (const issue of this.issues.values()) if (issue.key === wanted) return issue;
    return undefined;
  }

  projectOf(issue: Issue): Project {
    return this.projects.get(issue.projectId)!;
  }

  /** Every issue, in rank order. */
  rankOrder(): Issue[] {
    return [...this.issues.values()].sort((a, b) => compareRanks(a.rank, b.rank));
  }

  /** The last rank held by any issue (new issues go to the bottom). */
  lastRank(): string | null {
    let last: string | null = null;
    for (const issue of this.issues.values()) if (last === null || issue.rank > last) last = issue.rank;
    return last;
  }

  /** Appends to a log, keeping the newest LOG_LIMIT entries (a long e2e run must not grow without bound). */
  static append<T>(log: T[], entry: T): void {
    log.push(entry);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  }

  childrenOf(issue: Issue): Issue[] {
    return [...this.issues.values()].filter((child) => child.parentId === issue.id);
  }
}
