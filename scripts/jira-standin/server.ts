/**
 * The stand-in's request handling: admin API first (`/__standin/`), then for Jira's API the injected 429s,
 * routing (404/405), authentication (401), the handler, and the request log. Whatever a handler throws becomes an
 * answer: Jira's error body for what Jira would refuse, a 500 for a stand-in bug; the server never goes down.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminRoutes } from './admin';
import type { StandinAdmin } from './admin-types';
import { identify, rateLimited, takeRateLimit, unauthorized } from './auth';
import type { IssueChanges } from './changes';
import type { Ctx, JiraRoute } from './context';
import { JiraError, json, matchRoute, notFound, parseJson, type Reply, readBody, send } from './http';
import type { ApiVersion } from './issue-json';
import { JqlError } from './jql';
import { agileRoutes } from './routes-agile';
import { issueRoutes } from './routes-issues';
import { platformRoutes } from './routes-platform';
import { searchRoutes } from './routes-search';
import { StandinState } from './state';
import { webhookRoutes } from './webhooks';

function errorReply(error: unknown): Reply {
  if (error instanceof JiraError) return { status: error.status, body: error.body, headers: error.headers };
  if (error instanceof JqlError) return { status: 400, body: { errorMessages: error.messages, errors: {} } };
  console.error('[jira-standin] internal error:', error);
  return { status: 500, body: { errorMessages: ['Internal server error'], errors: {} } };
}

export function createHandler(
  state: StandinState,
  changes: IssueChanges,
  admin: StandinAdmin,
  base: () => string,
) {
  const routes: JiraRoute[] = [
    ...platformRoutes(state.flavour),
    ...searchRoutes(state.flavour),
    ...issueRoutes(state.flavour),
    ...agileRoutes(state.flavour),
    ...webhookRoutes(),
  ];
  const admins = adminRoutes(admin);

  async function handleAdmin(req: IncomingMessage, url: URL): Promise<Reply> {
    const match = matchRoute(admins, req.method ?? 'GET', url.pathname);
    if (!match) throw notFound(`No admin route ${req.method} ${url.pathname}.`);
    if ('methodNotAllowed' in match) throw new JiraError(405, [`${req.method} is not allowed here.`]);
    const body = parseJson(await readBody(req));
    return match.route.handler({ body, query: url.searchParams }, match.params);
  }

  async function handleJira(
    req: IncomingMessage,
    url: URL,
    entry: { accountId: string | null; body?: unknown },
  ) {
    const method = req.method ?? 'GET';
    const identified = identify(state, req.headers.authorization);
    entry.accountId = identified.valid ? identified.account!.accountId : null;
    const retryAfter = takeRateLimit(state, identified.account?.accountId ?? null);
    if (retryAfter !== null) throw rateLimited(retryAfter);
    const match = matchRoute(routes, method, url.pathname);
    if (!match) throw notFound(`null for uri: ${base()}${url.pathname}`);
    if ('methodNotAllowed' in match) throw new JiraError(405, [`The method ${method} is not allowed here.`]);
    const route = match.route as JiraRoute;
    if (!identified.valid && (!route.anonymous || req.headers.authorization)) throw unauthorized(state);
    const text = await readBody(req);
    const body = parseJson(text);
    if (method !== 'GET' && body !== undefined) entry.body = body;
    const version: ApiVersion = url.pathname.startsWith('/rest/api/3/') ? '3' : '2';
    const ctx: Ctx = {
      req,
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      state,
      changes,
      base: base(),
      caller: identified.account ?? state.integration,
      version,
      view: { state, base: base(), version, flavour: state.flavour },
    };
    return match.route.handler(ctx, match.params);
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    let reply: Reply;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://standin.invalid');
    } catch {
      send(res, json({ errorMessages: ['Bad request URL.'], errors: {} }, 400));
      return;
    }
    if (url.pathname.startsWith('/__standin/')) {
      try {
        reply = await handleAdmin(req, url);
      } catch (error) {
        reply = errorReply(error);
      }
      send(res, reply);
      return;
    }
    const entry: { accountId: string | null; body?: unknown } = { accountId: null };
    try {
      reply = await handleJira(req, url, entry);
    } catch (error) {
      reply = errorReply(error);
    }
    StandinState.append(state.requestLog, {
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      status: reply.status,
      accountId: entry.accountId,
      ...(entry.body !== undefined ? { body: entry.body } : {}),
    });
    if (req.method === 'HEAD') reply = { ...reply, body: undefined };
    send(res, reply);
  };
}
