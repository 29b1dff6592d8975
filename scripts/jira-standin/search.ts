/**
 * Searching by JQL, shared by the platform's search endpoints and the agile board: read the request's paging and
 * field parameters (query string for GET, JSON body for POST), run the query, and page by `nextPageToken` (Cloud's
 * enhanced search) or by `startAt` (Data Center, the agile API).
 */
import { createHash } from 'node:crypto';
import type { Ctx } from './context';
import { badRequest, JiraError, listParam, toInt } from './http';
import { expandList } from './issue-json';
import { JqlError, prepareJql } from './jql';
import type { Issue } from './state';

export interface SearchInput {
  jql: string;
  maxResults: number | undefined;
  startAt: number;
  nextPageToken: string | undefined;
  fields: string[] | undefined;
  expand: string[];
  validateQuery: string;
}

function asStringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value
      .flatMap((item) => item.split(','))
      .map((part) => part.trim())
      .filter(Boolean);
  }
  throw badRequest(`The '${name}' parameter must be a list of strings.`);
}

/** The search parameters, from the query string (GET) or the JSON body (POST). */
export function readSearchInput(ctx: Ctx): SearchInput {
  if (ctx.method === 'POST') {
    const body = ctx.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body))
      throw badRequest('The request body must be a JSON object.');
    const b = body as Record<string, unknown>;
    if (b.jql !== undefined && b.jql !== null && typeof b.jql !== 'string')
      throw badRequest("The 'jql' must be a string.");
    if (b.nextPageToken !== undefined && b.nextPageToken !== null && typeof b.nextPageToken !== 'string') {
      throw badRequest("The 'nextPageToken' must be a string.");
    }
    return {
      jql: (b.jql as string | undefined) ?? '',
      maxResults:
        b.maxResults === undefined || b.maxResults === null ? undefined : toInt(b.maxResults, 'maxResults'),
      startAt: b.startAt === undefined || b.startAt === null ? 0 : toInt(b.startAt, 'startAt'),
      nextPageToken: (b.nextPageToken as string | undefined) ?? undefined,
      fields: asStringList(b.fields, 'fields'),
      expand: expandList(b.expand),
      validateQuery: b.validateQuery === undefined ? 'strict' : String(b.validateQuery),
    };
  }
  const q = ctx.query;
  const maxResults = q.get('maxResults');
  return {
    jql: q.get('jql') ?? '',
    maxResults: maxResults === null || maxResults === '' ? undefined : toInt(maxResults, 'maxResults'),
    startAt: q.get('startAt') ? toInt(q.get('startAt'), 'startAt') : 0,
    nextPageToken: q.get('nextPageToken') ?? undefined,
    fields: listParam(q, 'fields'),
    expand: listParam(q, 'expand') ?? [],
    validateQuery: q.get('validateQuery') ?? 'strict',
  };
}

export interface SearchOptions {
  /** `validateQuery=warn`: missing values are warnings */
  lenient?: boolean;
  /** Cloud's enhanced search refuses a query without any restriction */
  requireBounded?: boolean;
  /** a restriction of the search's own (a board's filter) */
  within?: (issue: Issue) => boolean;
  /** the order when the query has none of its own (a board: rank) */
  defaultOrder?: (a: Issue, b: Issue) => number;
}

/** Runs a query for the caller: the matching issues in order, or Jira's 400 for a query it would refuse. */
export function searchIssues(
  ctx: Ctx,
  jql: string,
  options: SearchOptions = {},
): { issues: Issue[]; warnings: string[] } {
  const canBrowse = ctx.caller.permissions.has('BROWSE_PROJECTS');
  let prepared: ReturnType<typeof prepareJql>;
  try {
    prepared = prepareJql(jql, ctx.state, { now: Date.now(), canBrowse, lenient: options.lenient });
  } catch (error) {
    if (error instanceof JqlError) throw new JiraError(400, error.messages);
    throw error;
  }
  if (options.requireBounded && !prepared.bounded) {
    throw badRequest(
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    );
  }
  const compare = !prepared.ordered && options.defaultOrder ? options.defaultOrder : prepared.compare;
  const issues = canBrowse
    ? [...ctx.state.issues.values()]
        .filter((issue) => (options.within ? options.within(issue) : true) && prepared.matches(issue))
        .sort(compare)
    : [];
  return { issues, warnings: prepared.warnings };
}

/** The page size a request gets: its own within [1, cap], 50 when it did not ask. */
export function pageSize(requested: number | undefined, cap: number): number {
  if (requested === undefined) return Math.min(50, cap);
  if (requested < 0) throw badRequest(`The value '${requested}' is not valid for 'maxResults'.`);
  return Math.max(1, Math.min(requested, cap));
}

const fingerprint = (jql: string) => createHash('sha1').update(jql).digest('hex').slice(0, 12);

/** An opaque page token, tied to its query like Jira's. */
export function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint(jql) })).toString('base64url');
}

export function decodePageToken(token: string | undefined, jql: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (Number.isInteger(decoded.o) && (decoded.o as number) >= 0 && decoded.q === fingerprint(jql)) {
      return decoded.o as number;
    }
  } catch {
    // answered below
  }
  throw badRequest('The provided next page token is invalid or expired.');
}
