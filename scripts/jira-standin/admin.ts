/**
 * The admin API's operations on the stand-in's state, and their HTTP routes under `/__standin/`. Errors use Jira's
 * error body, so one reader handles both.
 */
import { asAdf, asWiki } from './adf';
import type {
  ForAccount,
  JiraUserEdit,
  SeededProject,
  SeedIssue,
  SeedProject,
  StandinAccount,
  StandinAdmin,
  StandinIssue,
} from './admin-types';
import {
  allPermissions,
  CF_ACCEPTANCE,
  CF_STORY_POINTS,
  issueTypeById,
  type PermissionKey,
  priorityById,
  resolutionById,
  statusById,
} from './catalog';
import type { IssueChanges } from './changes';
import { badRequest, json, noContent, notFound, type Reply, type Route } from './http';
import type { Account, Issue, StandinState } from './state';
import { jiraDateTime } from './time';

export function snapshot(state: StandinState, issue: Issue): StandinIssue {
  const status = statusById(issue.statusId)!;
  const parent = issue.parentId ? state.issues.get(issue.parentId) : undefined;
  return {
    id: issue.id,
    key: issue.key,
    project: state.projectOf(issue).key,
    type: issueTypeById(issue.typeId)!.name,
    summary: issue.summary,
    description: issue.description && asWiki(issue.description),
    descriptionAdf: issue.description && asAdf(issue.description),
    acceptanceCriteria: issue.acceptanceCriteria && asWiki(issue.acceptanceCriteria),
    labels: [...issue.labels],
    points: issue.storyPoints,
    status: status.name,
    statusCategory: status.category,
    resolution: issue.resolutionId ? resolutionById(issue.resolutionId)!.name : null,
    parent: parent?.key ?? null,
    priority: priorityById(issue.priorityId)!.name,
    rank: issue.rank,
    created: jiraDateTime(issue.created),
    updated: jiraDateTime(issue.updated),
    comments: issue.comments.map((comment) => ({
      id: comment.id,
      author: state.account(comment.authorId)?.displayName ?? comment.authorId,
      body: asWiki(comment.body),
    })),
  };
}

function accountJson(account: Account): StandinAccount {
  return {
    accountId: account.accountId,
    displayName: account.displayName,
    email: account.emailAddress,
    apiToken: account.apiToken,
    pat: account.pat,
    permissions: allPermissions.filter((permission) => account.permissions.has(permission)),
  };
}

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`'${name}' must be an ISO date-time, not '${value}'.`);
  return ms;
}

/** A seed or an edit as the `fields` of a v2 request (wiki text), so it goes through Jira's own checks. */
function asFields(edit: JiraUserEdit | SeedIssue): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (edit.summary !== undefined) fields.summary = edit.summary;
  if (edit.description !== undefined) fields.description = edit.description;
  if (edit.acceptanceCriteria !== undefined) fields[CF_ACCEPTANCE] = edit.acceptanceCriteria;
  if (edit.labels !== undefined) fields.labels = edit.labels;
  if (edit.points !== undefined) fields[CF_STORY_POINTS] = edit.points;
  if (edit.parent !== undefined) fields.parent = edit.parent === null ? null : { key: edit.parent };
  if (edit.priority !== undefined) fields.priority = { name: edit.priority };
  if (edit.type !== undefined) fields.issuetype = { name: edit.type };
  return fields;
}

/** The admin operations, straight on the state. */
export function createAdmin(state: StandinState, changes: IssueChanges): StandinAdmin {
  const accountFor = (options?: ForAccount): Account => {
    const account = options?.accountId ? state.account(options.accountId) : state.integration;
    if (!account) throw notFound(`No account ${options?.accountId}.`);
    return account;
  };
  const issueFor = (key: string): Issue => {
    const issue = state.issue(key);
    if (!issue) throw notFound(`No issue ${key}.`);
    return issue;
  };

  /** A person creates an issue (and moves it to its status). Seeded issues were "already there": no events. */
  const seedIssue = (projectKey: string, seed: SeedIssue, seeded: boolean): Issue => {
    const created = time(seed.created, 'created');
    const updated = time(seed.updated, 'updated');
    const make = () => {
      const fields = {
        project: { key: projectKey },
        issuetype: { name: seed.type ?? 'Story' },
        ...asFields(seed),
      };
      const issue = changes.create(state.human, { fields }, '2', created);
      if (seed.status) changes.setStatus(issue, state.human, seed.status);
      return issue;
    };
    const issue = seeded ? changes.quietly(make) : make();
    if (seeded) issue.histories = [];
    if (updated !== undefined || created !== undefined) {
      issue.updated = updated ?? created!;
      if (issue.resolutionDate !== null) issue.resolutionDate = issue.updated;
    }
    return issue;
  };

  return {
    async reset() {
      state.reset();
    },

    async seedProject(seed: SeedProject): Promise<SeededProject> {
      if (typeof seed?.key !== 'string' || !/^[A-Z][A-Z0-9_]{0,9}$/.test(seed.key)) {
        throw badRequest('A project key is 1 to 10 capital letters, digits or _, starting with a letter.');
      }
      if (state.project(seed.key)) throw badRequest(`A project with key '${seed.key}' already exists.`);
      const project = {
        id: String(state.nextId('project')),
        key: seed.key,
        name: seed.name ?? seed.key,
        nextNumber: 1,
      };
      state.projects.set(project.id, project);
      const board = {
        id: state.nextId('board'),
        name: `${project.key} board`,
        projectId: project.id,
        type: 'scrum' as const,
      };
      state.boards.set(board.id, board);
      // Seeded issues rank after every issue already there, in the order given.
      const issues = (seed.issues ?? []).map((issueSeed) => seedIssue(project.key, issueSeed, true));
      return {
        projectId: project.id,
        key: project.key,
        boardId: board.id,
        issues: issues.map((issue) => ({ id: issue.id, key: issue.key, summary: issue.summary })),
      };
    },

    async createIssue(projectKey, seed) {
      return snapshot(state, seedIssue(projectKey, seed, false));
    },

    async editIssue(key, edit) {
      const issue = issueFor(key);
      changes.edit(issue, state.human, { fields: asFields(edit) }, '2');
      if (edit.status !== undefined) changes.setStatus(issue, state.human, edit.status);
      if (edit.rank !== undefined) {
        const before = 'before' in edit.rank;
        const target = issueFor(
          before ? (edit.rank as { before: string }).before : (edit.rank as { after: string }).after,
        );
        const [entry] = changes.rank(state.human, [issue.key], target, before ? 'before' : 'after');
        if (entry.status !== 200) throw badRequest(entry.errors?.join(' ') ?? 'Could not rank the issue.');
      }
      return snapshot(state, issue);
    },

    async commentIssue(key, text) {
      const issue = issueFor(key);
      if (typeof text !== 'string' || text.trim() === '') throw badRequest('A comment needs a body.');
      changes.comment(issue, state.human, { format: 'wiki', text });
      return snapshot(state, issue);
    },

    async deleteIssue(key) {
      changes.remove(issueFor(key), state.human);
    },

    async getIssue(key) {
      const issue = state.issue(key);
      return issue ? snapshot(state, issue) : null;
    },

    async listIssues(projectKey) {
      const project = state.project(projectKey);
      if (!project) throw notFound(`No project ${projectKey}.`);
      return state
        .rankOrder()
        .filter((issue) => issue.projectId === project.id)
        .map((issue) => snapshot(state, issue));
    },

    async addAccount(seed = {}) {
      const permissions = seed.permissions?.filter((p) => allPermissions.includes(p));
      return accountJson(state.addAccount({ displayName: seed.displayName, permissions }));
    },

    async revokeToken(options = {}) {
      const account = accountFor(options);
      const which = options.which ?? 'both';
      if (which !== 'pat') account.revoked.apiToken = true;
      if (which !== 'apiToken') account.revoked.pat = true;
    },

    async restoreToken(options = {}) {
      accountFor(options).revoked = { apiToken: false, pat: false };
    },

    async setPermissions(changesToMake, options = {}) {
      const account = accountFor(options);
      for (const [key, granted] of Object.entries(changesToMake ?? {})) {
        if (!allPermissions.includes(key as PermissionKey)) throw badRequest(`Unknown permission ${key}.`);
        if (granted) account.permissions.add(key as PermissionKey);
        else account.permissions.delete(key as PermissionKey);
      }
      return accountJson(account).permissions;
    },

    async injectRateLimit(options) {
      const count = Number(options?.count);
      const retryAfterSeconds = Number(options?.retryAfterSeconds ?? 1);
      if (!Number.isInteger(count) || count < 1) throw badRequest('count must be a positive integer.');
      if (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0)
        throw badRequest('retryAfterSeconds must be >= 0.');
      const accountId = options.accountId ? accountFor(options).accountId : null;
      state.rateLimits.push({ remaining: count, retryAfterSeconds, accountId });
    },

    async requests(filter = {}) {
      return state.requestLog.filter((entry) => !filter.accountId || entry.accountId === filter.accountId);
    },

    async clearRequests() {
      state.requestLog.length = 0;
    },

    async deliveries() {
      return [...state.deliveries];
    },

    async webhooks() {
      return [...state.webhooks.values()].map(({ id, name, url, events, jql, excludeBody, secret }) => ({
        id,
        name,
        url,
        events,
        jql,
        excludeBody,
        secret,
      }));
    },
  };
}

export interface AdminCtx {
  body: unknown;
  query: URLSearchParams;
}

type AdminRoute = Route<AdminCtx>;

const objectBody = (ctx: AdminCtx): Record<string, unknown> => {
  if (ctx.body === undefined) return {};
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return ctx.body as Record<string, unknown>;
};

/** `/__standin/...`: one route per admin operation. */
export function adminRoutes(admin: StandinAdmin): AdminRoute[] {
  const route = (
    method: string,
    pattern: string,
    handler: (ctx: AdminCtx, p: Record<string, string>) => Promise<unknown>,
    status = 200,
  ): AdminRoute => ({
    method,
    pattern: `/__standin${pattern}`,
    handler: async (ctx, p): Promise<Reply> => {
      const result = await handler(ctx, p);
      return result === undefined ? noContent() : json(result, status);
    },
  });
  const forAccount = (ctx: AdminCtx) => ({ accountId: ctx.query.get('accountId') ?? undefined });
  return [
    route('POST', '/reset', () => admin.reset()),
    route('POST', '/projects', (ctx) => admin.seedProject(objectBody(ctx) as unknown as SeedProject), 201),
    route('GET', '/projects/:key/issues', (_ctx, p) => admin.listIssues(p.key)),
    route(
      'POST',
      '/projects/:key/issues',
      (ctx, p) => admin.createIssue(p.key, objectBody(ctx) as unknown as SeedIssue),
      201,
    ),
    route('GET', '/issues/:key', async (_ctx, p) => {
      const issue = await admin.getIssue(p.key);
      if (!issue) throw notFound(`No issue ${p.key}.`);
      return issue;
    }),
    route('PATCH', '/issues/:key', (ctx, p) => admin.editIssue(p.key, objectBody(ctx) as JiraUserEdit)),
    route('DELETE', '/issues/:key', (_ctx, p) => admin.deleteIssue(p.key)),
    route(
      'POST',
      '/issues/:key/comments',
      (ctx, p) => admin.commentIssue(p.key, objectBody(ctx).body as string),
      201,
    ),
    route('POST', '/accounts', (ctx) => admin.addAccount(objectBody(ctx)), 201),
    route('POST', '/tokens/revoke', (ctx) => admin.revokeToken(objectBody(ctx))),
    route('POST', '/tokens/restore', (ctx) => admin.restoreToken(objectBody(ctx))),
    route('PATCH', '/permissions', (ctx) => {
      const body = objectBody(ctx);
      return admin.setPermissions(body.permissions as Partial<Record<PermissionKey, boolean>>, {
        accountId: body.accountId as string | undefined,
      });
    }),
    route('POST', '/rate-limit', (ctx) => admin.injectRateLimit(objectBody(ctx) as { count: number })),
    route('GET', '/requests', (ctx) => admin.requests(forAccount(ctx))),
    route('DELETE', '/requests', () => admin.clearRequests()),
    route('GET', '/deliveries', () => admin.deliveries()),
    route('GET', '/webhooks', () => admin.webhooks()),
  ];
}
