import { createAgileClient, createCloudClient } from 'jira.js';
import {
  type Client,
  createClient,
  isApiError,
  isAuthError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
} from 'jira.js/core';
import { issueFromJira } from '~/domain/jira-fields';
import type { ConnectionCheck, FieldMap, TrackerField, TrackerIssue, TrackerKind } from '~/domain/tracker';
import { type IssuePage, type PageRequest, type TrackerConnector, TrackerError } from './connector.server';

export interface JiraCredentials {
  kind: TrackerKind;
  baseUrl: string;
  /** Cloud: the account's email (with an API token); Data Center: none (a personal access token) */
  email: string | null;
  token: string;
}

export interface JiraConnectorOptions {
  /** a response that does not match jira.js's schema: logged, not thrown (Jira adds fields over time) */
  onSchemaMismatch?: (report: { endpoint: string }) => void;
  pageSize?: number;
}

/**
 * Jira through jira.js (decision 0038): the Cloud platform API (REST v3, ADF descriptions) with jira.js's typed
 * calls, and Data Center's REST v2 (wiki descriptions, the same shapes for what is used here) through jira.js's
 * own transport, so both get its authentication, its transient retries and its typed errors.
 */
export function jiraConnector(
  credentials: JiraCredentials,
  options: JiraConnectorOptions = {},
): TrackerConnector {
  const siteUrl = credentials.baseUrl.replace(/\/+$/, '');
  const cloud = credentials.kind === 'jira_cloud';
  const client: Client = createClient({
    host: siteUrl,
    auth:
      cloud && credentials.email
        ? { type: 'basic', email: credentials.email, apiToken: credentials.token }
        : { type: 'bearer', token: credentials.token },
    retry: { maxAttempts: 2, initialDelayMs: 250 },
    onSchemaMismatch: options.onSchemaMismatch ?? 'silent',
  });
  const jira = createCloudClient(client);
  const agile = createAgileClient(client);
  const api = cloud ? '/rest/api/3' : '/rest/api/2';
  const format = cloud ? ('adf' as const) : ('wiki' as const);
  const pageSize = options.pageSize ?? 50;
  const send = <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    searchParams?: Record<string, unknown>,
  ) => client.sendRequest<T>({ method, url, body, searchParams });

  const fieldsWanted = (map: FieldMap) =>
    [
      'summary',
      'description',
      'issuetype',
      'parent',
      'labels',
      'priority',
      'status',
      'updated',
      map.storyPoints,
      map.criteria.kind === 'field' ? map.criteria.fieldId : null,
      map.epicLink,
      map.rank,
    ].filter((f): f is string => Boolean(f));

  const read = (raws: unknown[], map: FieldMap): Pick<IssuePage, 'issues' | 'unreadable'> => {
    const issues: TrackerIssue[] = [];
    const unreadable: IssuePage['unreadable'] = [];
    for (const raw of raws) {
      try {
        issues.push(issueFromJira(raw, map, siteUrl, format));
      } catch (error) {
        const key = (raw as { key?: unknown } | null)?.key;
        unreadable.push({
          issueKey: typeof key === 'string' ? key : null,
          message: (error as Error).message,
        });
      }
    }
    return { issues, unreadable };
  };

  const connector: TrackerConnector = {
    format,
    siteUrl,
    async check(): Promise<ConnectionCheck> {
      try {
        const me = cloud
          ? await jira.myself.getCurrentUser()
          : await send<{ displayName?: string; name?: string }>('GET', `${api}/myself`);
        const info = cloud
          ? await jira.serverInfo.getServerInfo().catch(() => null)
          : await send<{ serverTitle?: string }>('GET', `${api}/serverInfo`).catch(() => null);
        const wanted = 'BROWSE_PROJECTS,EDIT_ISSUES,ADMINISTER';
        const permissions = (
          cloud
            ? await jira.permissions.getMyPermissions({ permissions: wanted })
            : await send('GET', `${api}/mypermissions`, undefined, { permissions: wanted })
        ) as { permissions?: Record<string, { havePermission?: boolean }> };
        const has = (key: string) => permissions.permissions?.[key]?.havePermission === true;
        return {
          ok: true,
          accountName:
            (me as { displayName?: string }).displayName ?? (me as { name?: string }).name ?? 'Jira user',
          serverTitle: (info as { serverTitle?: string } | null)?.serverTitle ?? null,
          canBrowse: has('BROWSE_PROJECTS'),
          canEdit: has('EDIT_ISSUES'),
          canAdminWebhooks: has('ADMINISTER'),
        };
      } catch (error) {
        const failure = asTrackerError(error);
        const problem =
          failure.kind === 'unauthorized'
            ? 'unauthorized'
            : failure.kind === 'forbidden'
              ? 'forbidden'
              : failure.kind === 'rate_limited'
                ? 'rate_limited'
                : failure.kind === 'unreachable'
                  ? 'unreachable'
                  : 'not_jira';
        return { ok: false, problem, message: explainCheckFailure(problem, failure.message, siteUrl) };
      }
    },

    async fields() {
      const fields = (await call(() =>
        cloud ? jira.issueFields.getFields() : send<unknown[]>('GET', `${api}/field`),
      )) as Array<{ id?: string; name?: string; schema?: { custom?: string; type?: string } }>;
      return fields
        .filter((f) => typeof f.id === 'string' && typeof f.name === 'string')
        .map(
          (f): TrackerField => ({
            id: f.id as string,
            name: f.name as string,
            schema: f.schema?.custom ?? f.schema?.type ?? null,
          }),
        );
    },

    async page(request: PageRequest, map: FieldMap): Promise<IssuePage> {
      const size = request.pageSize ?? pageSize;
      const fields = fieldsWanted(map);
      const since = request.updatedSince ? jqlSince(request.updatedSince) : null;
      if ('boardId' in request.scope) {
        const startAt = request.cursor && 'startAt' in request.cursor ? request.cursor.startAt : 0;
        const jql = since ? `updated >= ${since}` : undefined;
        const answer = (await call(() =>
          send(
            'GET',
            `/rest/agile/1.0/board/${(request.scope as { boardId: number }).boardId}/issue`,
            undefined,
            {
              startAt,
              maxResults: size,
              fields: fields.join(','),
              ...(jql ? { jql } : {}),
            },
          ),
        )) as { issues?: unknown[]; total?: number; startAt?: number; maxResults?: number; isLast?: boolean };
        const issues = answer.issues ?? [];
        const next = startAt + issues.length;
        const more =
          answer.isLast === false ||
          (answer.total !== undefined ? next < answer.total : issues.length === size);
        return {
          ...read(issues, map),
          next: more && issues.length > 0 ? { startAt: next } : null,
          total: answer.total ?? null,
        };
      }
      const base = request.scope.jql.trim();
      const [filter, order] = splitOrderBy(base);
      const where = [filter ? `(${filter})` : '', since ? `updated >= ${since}` : '']
        .filter(Boolean)
        .join(' AND ');
      const jql = `${where}${order ? ` ORDER BY ${order}` : ' ORDER BY Rank ASC'}`;
      if (cloud) {
        const token =
          request.cursor && 'nextPageToken' in request.cursor ? request.cursor.nextPageToken : undefined;
        const answer = (await call(() =>
          jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql,
            nextPageToken: token,
            maxResults: size,
            fields,
          }),
        )) as { issues?: unknown[]; nextPageToken?: string; isLast?: boolean };
        return {
          ...read(answer.issues ?? [], map),
          next:
            answer.nextPageToken && answer.isLast !== true ? { nextPageToken: answer.nextPageToken } : null,
          total: null,
        };
      }
      const startAt = request.cursor && 'startAt' in request.cursor ? request.cursor.startAt : 0;
      const answer = (await call(() =>
        send('POST', `${api}/search`, { jql, startAt, maxResults: size, fields }),
      )) as { issues?: unknown[]; total?: number };
      const issues = answer.issues ?? [];
      const next = startAt + issues.length;
      return {
        ...read(issues, map),
        next:
          issues.length > 0 && answer.total !== undefined && next < answer.total ? { startAt: next } : null,
        total: answer.total ?? null,
      };
    },

    async issue(key, map) {
      const raw = await call(() =>
        cloud
          ? jira.issues.getIssue({ issueIdOrKey: key, fields: fieldsWanted(map) })
          : send('GET', `${api}/issue/${encodeURIComponent(key)}`, undefined, {
              fields: fieldsWanted(map).join(','),
            }),
      );
      return issueFromJira(raw, map, siteUrl, format);
    },

    async edit(key, fields) {
      await call(() =>
        cloud
          ? jira.issues.editIssue({ issueIdOrKey: key, fields })
          : send('PUT', `${api}/issue/${encodeURIComponent(key)}`, { fields }),
      );
    },

    async rank(key, placement) {
      // A 207 (some issues not ranked) does not throw in jira.js: its entries say why.
      const answer = (await call(() =>
        agile.issue.rankIssues({ issues: [key], ...placement }),
      )) as unknown as {
        entries?: Array<{ issueKey?: string; status?: number; errors?: string[] }>;
      } | null;
      const failed = answer?.entries?.find((entry) => (entry.status ?? 200) >= 400);
      if (failed)
        throw new TrackerError(
          failed.status === 403 ? 'forbidden' : 'bad_request',
          `Jira did not rank ${failed.issueKey ?? key}: ${(failed.errors ?? []).join('; ') || failed.status}`,
        );
    },

    async create(fields) {
      const created = (await call(() =>
        cloud ? jira.issues.createIssue({ fields }) : send('POST', `${api}/issue`, { fields }),
      )) as { id?: string; key?: string };
      if (!created.id || !created.key)
        throw new TrackerError('server', 'Jira did not say which issue it created');
      return { id: String(created.id), key: created.key };
    },

    async transition(key, toStatus) {
      const answer = (await call(() =>
        cloud
          ? jira.issues.getTransitions({ issueIdOrKey: key })
          : send('GET', `${api}/issue/${encodeURIComponent(key)}/transitions`),
      )) as { transitions?: Array<{ id?: string; name?: string; to?: { name?: string } }> };
      const wanted = toStatus.trim().toLowerCase();
      const transition = answer.transitions?.find(
        (t) => t.to?.name?.toLowerCase() === wanted || t.name?.toLowerCase() === wanted,
      );
      if (!transition?.id) return false;
      const id = transition.id;
      await call(() =>
        cloud
          ? jira.issues.doTransition({ issueIdOrKey: key, transition: { id } })
          : send('POST', `${api}/issue/${encodeURIComponent(key)}/transitions`, { transition: { id } }),
      );
      return true;
    },

    async comment(key, text) {
      await call(() =>
        cloud
          ? jira.issueComments.addComment({ issueIdOrKey: key, body: plainAdf(text) })
          : send('POST', `${api}/issue/${encodeURIComponent(key)}/comment`, { body: text }),
      );
    },

    async registerWebhook(url, secret, jql) {
      try {
        const answer = (await send('POST', '/rest/webhooks/1.0/webhook', {
          name: 'Refinery backlog sync',
          url,
          events: ['jira:issue_created', 'jira:issue_updated'],
          filters: { 'issue-related-events-section': jql },
          excludeBody: false,
          secret,
        })) as { self?: string; id?: string | number };
        const id = answer.id ?? answer.self?.split('/').pop();
        return id === undefined ? null : String(id);
      } catch (error) {
        const failure = asTrackerError(error);
        if (failure.kind === 'forbidden' || failure.kind === 'not_found') return null;
        throw failure;
      }
    },

    async removeWebhook(id) {
      try {
        await send('DELETE', `/rest/webhooks/1.0/webhook/${encodeURIComponent(id)}`);
      } catch (error) {
        if (asTrackerError(error).kind !== 'not_found') throw asTrackerError(error);
      }
    },
  };
  return connector;
}

/** Runs one call, turning jira.js's errors into a TrackerError with Jira's own message. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asTrackerError(error);
  }
}

export function asTrackerError(error: unknown): TrackerError {
  if (error instanceof TrackerError) return error;
  const said = jiraMessage(error);
  const with_ = (prefix: string) => `${prefix}${said ? `: ${said}` : ''}`;
  const status = (error as { status?: unknown } | null)?.status;
  if (isRateLimitError(error) || status === 429)
    return new TrackerError(
      'rate_limited',
      with_('Jira asked us to slow down (429)'),
      (error as { retryAfterMs?: number }).retryAfterMs ?? null,
    );
  if (isAuthError(error) || status === 401)
    return new TrackerError('unauthorized', with_('Jira did not accept the token (401)'));
  if (isForbiddenError(error) || status === 403)
    return new TrackerError('forbidden', with_('The Jira account may not do this (403)'));
  if (isNotFoundError(error) || status === 404)
    return new TrackerError('not_found', with_('Jira has no such thing (404)'));
  if (isServerError(error) || (typeof status === 'number' && status >= 500))
    return new TrackerError('server', with_(`Jira failed (${String(status ?? '5xx')})`));
  if (isNetworkError(error))
    return new TrackerError('unreachable', `Jira could not be reached: ${error.message}`);
  if (isApiError(error) || typeof status === 'number')
    return new TrackerError('bad_request', with_(`Jira refused the request (${String(status)})`));
  return new TrackerError(
    'unreachable',
    error instanceof Error ? error.message : 'Jira could not be reached',
  );
}

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
function jiraMessage(error: unknown): string | null {
  const body = (error as { body?: unknown } | null)?.body as
    | { errorMessages?: unknown; errors?: unknown; message?: unknown }
    | undefined;
  if (!body || typeof body !== 'object') return null;
  const messages = [
    ...(Array.isArray(body.errorMessages) ? body.errorMessages.filter((m) => typeof m === 'string') : []),
    ...(body.errors && typeof body.errors === 'object'
      ? Object.entries(body.errors as Record<string, unknown>).map(
          ([field, message]) => `${field}: ${String(message)}`,
        )
      : []),
    ...(typeof body.message === 'string' ? [body.message] : []),
  ];
  return messages.length > 0 ? messages.join('; ').slice(0, 500) : null;
}

function explainCheckFailure(problem: string, message: string, siteUrl: string): string {
  switch (problem) {
    case 'unauthorized':
      return `${message}. Check the email and the token.`;
    case 'forbidden':
      return `The account signed in but may not read its own profile (403): ${message}`;
    case 'rate_limited':
      return 'Jira asked us to slow down (429): try again in a minute.';
    case 'unreachable':
      return `${siteUrl} could not be reached: check the address. ${message}`;
    default:
      return `${siteUrl} did not answer as Jira does: check the address (the site's own address, without a path). ${message}`;
  }
}

/**
 * "Updated since" in JQL, as minutes back from now (`-12m`): Jira reads absolute JQL dates in the account's own
 * time zone, which we do not know; a relative time means the same everywhere. One minute early, so nothing at the
 * edge is missed (a pull is idempotent).
 */
function jqlSince(at: Date, now = Date.now()): string {
  return `-${Math.max(1, Math.ceil((now - at.getTime()) / 60_000) + 1)}m`;
}

/** `project = X ORDER BY created` → [`project = X`, `created`]. */
function splitOrderBy(jql: string): [string, string | null] {
  const match = /\s*\border\s+by\b/i.exec(jql);
  if (!match) return [jql, null];
  return [jql.slice(0, match.index).trim(), jql.slice(match.index + match[0].length).trim()];
}

/** A comment's text as ADF paragraphs (one per line). */
function plainAdf(text: string) {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line ? [{ type: 'text', text: line }] : [],
    })),
  };
}
