/**
 * What a Jira route handler is given, and the helpers to declare routes for both REST versions at once.
 */
import type { IncomingMessage } from 'node:http';
import { requirePermission } from './auth';
import type { IssueChanges } from './changes';
import { notFound, type Params, type Reply, type Route } from './http';
import type { ApiVersion, View } from './issue-json';
import type { Account, Flavour, Issue, StandinState } from './state';

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  /** the parsed JSON body (undefined when none) */
  body: unknown;
  state: StandinState;
  changes: IssueChanges;
  /** the site's base URL, no trailing slash */
  base: string;
  /** the authenticated account (every route but serverInfo needs one) */
  caller: Account;
  /** the REST version of `/rest/api/{2|3}/...`; '2' for the agile and webhook APIs */
  version: ApiVersion;
  view: View;
}

export type Handler = (ctx: Ctx, params: Params) => Reply | Promise<Reply>;

export interface JiraRoute extends Route<Ctx> {
  anonymous?: boolean;
}

/** The REST versions a flavour serves: Cloud has v2 and v3, Data Center v2 only. */
export const apiVersions = (flavour: Flavour): ApiVersion[] => (flavour === 'cloud' ? ['2', '3'] : ['2']);

/** One route per REST version: `api(flavour, 'GET', '/issue/:key', handler)` → `/rest/api/{2,3}/issue/:key`. */
export function api(
  flavour: Flavour,
  method: string,
  path: string,
  handler: Handler,
  anonymous = false,
): JiraRoute[] {
  return apiVersions(flavour).map((version) => ({
    method,
    pattern: `/rest/api/${version}${path}`,
    handler,
    anonymous,
  }));
}

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** An issue the caller may see, or Jira's 404 (which does not tell the two apart). */
export function visibleIssue(ctx: Ctx, keyOrId: string): Issue {
  const issue = ctx.state.issue(keyOrId);
  if (!issue || !ctx.caller.permissions.has('BROWSE_PROJECTS')) throw notFound(ISSUE_NOT_FOUND);
  return issue;
}

export { requirePermission };
