/**
 * Jira's admin webhooks: registering them (`/rest/webhooks/1.0/webhook`, administrators only) and delivering
 * `jira:issue_created`, `jira:issue_updated`, `jira:issue_deleted` and `comment_created` events to every
 * registered URL whose events and JQL filter match. The payload is Jira's (timestamp, webhookEvent, user, issue in
 * the v2 shape, changelog items); with a secret, the body is signed as `X-Hub-Signature: sha256=<hex HMAC>`.
 * Delivery is fire-and-forget: a failure is logged in the deliveries, never retried (Jira does not guarantee
 * delivery either).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IssueChanges, IssueEvent } from './changes';
import type { Ctx, JiraRoute } from './context';
import { requirePermission } from './context';
import { badRequest, fieldErrors, json, noContent, notFound } from './http';
import { commentJson, issueJson, selectFields, userJson, type View } from './issue-json';
import { JqlError, prepareJql } from './jql';
import { StandinState, type Webhook } from './state';

const PATH = '/rest/webhooks/1.0/webhook';
const FILTER = 'issue-related-events-section';
const NOT_ADMIN =
  'You do not have permission to manage webhooks: it takes the Administer Jira global permission.';

function webhookJson(base: string, state: StandinState, hook: Webhook) {
  const owner = state.account(hook.lastUpdatedBy);
  return {
    self: `${base}${PATH}/${hook.id}`,
    name: hook.name,
    url: hook.url,
    events: hook.events,
    filters: { [FILTER]: hook.jql ?? '' },
    excludeBody: hook.excludeBody,
    enabled: hook.enabled,
    lastUpdatedUser: owner?.accountId ?? hook.lastUpdatedBy,
    lastUpdatedDisplayName: owner?.displayName ?? '',
    lastUpdated: hook.lastUpdated,
  };
}

function checkJql(state: StandinState, jql: string): string[] {
  try {
    prepareJql(jql, state, { now: Date.now(), canBrowse: true });
    return [];
  } catch (error) {
    if (error instanceof JqlError) return error.messages;
    throw error;
  }
}

/** Reads a registration (POST) or a replacement (PUT); every problem at once, Jira's field errors. */
function readWebhook(ctx: Ctx): Omit<Webhook, 'id' | 'lastUpdated' | 'lastUpdatedBy'> {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  const { name, url, events, filters, excludeBody, secret, enabled } = body as Record<string, unknown>;
  const errors: Record<string, string> = {};
  if (typeof name !== 'string' || name.trim() === '') errors.name = 'The webhook must have a name.';
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol))
    errors.url = 'The webhook URL must be an http(s) URL.';
  if (
    !Array.isArray(events) ||
    events.length === 0 ||
    !events.every((e) => typeof e === 'string' && e !== '')
  ) {
    errors.events = 'The webhook must list the events it is for.';
  }
  let jql: string | null = null;
  if (filters !== undefined && filters !== null) {
    const filter = typeof filters === 'object' ? (filters as Record<string, unknown>)[FILTER] : undefined;
    if (typeof filters !== 'object' || (filter !== undefined && typeof filter !== 'string')) {
      errors.filters = `The filters must be an object whose '${FILTER}' is a JQL string.`;
    } else if (typeof filter === 'string' && filter.trim() !== '') {
      const problems = checkJql(ctx.state, filter);
      if (problems.length > 0) errors.filters = problems.join(' ');
      jql = filter;
    }
  }
  if (excludeBody !== undefined && typeof excludeBody !== 'boolean')
    errors.excludeBody = 'excludeBody must be a boolean.';
  if (secret !== undefined && secret !== null && (typeof secret !== 'string' || secret === '')) {
    errors.secret = 'The secret must be a non-empty string.';
  }
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  return {
    name: name as string,
    url: url as string,
    events: events as string[],
    jql,
    excludeBody: (excludeBody as boolean | undefined) ?? false,
    secret: (secret as string | null | undefined) ?? null,
    enabled: enabled === undefined ? true : enabled !== false,
  };
}

function registeredHook(ctx: Ctx, rawId: string): Webhook {
  const hook = ctx.state.webhooks.get(Number(rawId));
  if (!hook) throw notFound(`Webhook with id ${rawId} does not exist.`);
  return hook;
}

export function webhookRoutes(): JiraRoute[] {
  const admin = (ctx: Ctx) => requirePermission(ctx.caller, 'ADMINISTER', NOT_ADMIN);
  return [
    {
      method: 'GET',
      pattern: PATH,
      handler: (ctx) => {
        admin(ctx);
        return json([...ctx.state.webhooks.values()].map((hook) => webhookJson(ctx.base, ctx.state, hook)));
      },
    },
    {
      method: 'POST',
      pattern: PATH,
      handler: (ctx) => {
        admin(ctx);
        const hook: Webhook = {
          id: ctx.state.nextId('webhook'),
          ...readWebhook(ctx),
          lastUpdatedBy: ctx.caller.accountId,
          lastUpdated: Date.now(),
        };
        ctx.state.webhooks.set(hook.id, hook);
        return json(webhookJson(ctx.base, ctx.state, hook), 201);
      },
    },
    {
      method: 'GET',
      pattern: `${PATH}/:id`,
      handler: (ctx, p) => {
        admin(ctx);
        return json(webhookJson(ctx.base, ctx.state, registeredHook(ctx, p.id)));
      },
    },
    {
      method: 'PUT',
      pattern: `${PATH}/:id`,
      handler: (ctx, p) => {
        admin(ctx);
        const hook = registeredHook(ctx, p.id);
        Object.assign(hook, readWebhook(ctx), {
          lastUpdatedBy: ctx.caller.accountId,
          lastUpdated: Date.now(),
        });
        return json(webhookJson(ctx.base, ctx.state, hook));
      },
    },
    {
      method: 'DELETE',
      pattern: `${PATH}/:id`,
      handler: (ctx, p) => {
        admin(ctx);
        ctx.state.webhooks.delete(registeredHook(ctx, p.id).id);
        return noContent();
      },
    },
  ];
}

/** Jira's URL variables: `${issue.key}`, `${issue.id}`, `${project.key}`, `${project.id}`. */
function expandUrl(url: string, event: IssueEvent, state: StandinState): string {
  const project = state.projects.get(event.issue.projectId);
  const values: Record<string, string> = {
    'issue.key': event.issue.key,
    'issue.id': event.issue.id,
    'project.key': project?.key ?? '',
    'project.id': project?.id ?? '',
  };
  return url.replace(/\$\{([a-z.]+)\}/g, (whole, name: string) =>
    name in values ? encodeURIComponent(values[name]) : whole,
  );
}

function payloadOf(event: IssueEvent, view: View): Record<string, unknown> {
  const issue = issueJson(view, event.issue, { fields: selectFields(['*all'], 'all') });
  const common = { timestamp: event.at, webhookEvent: event.type };
  switch (event.type) {
    case 'jira:issue_created':
      return { ...common, issue_event_type_name: 'issue_created', user: userJson(view, event.actor), issue };
    case 'jira:issue_deleted':
      return { ...common, issue_event_type_name: 'issue_deleted', user: userJson(view, event.actor), issue };
    case 'comment_created':
      return { ...common, comment: commentJson(view, event.issue, event.comment), issue };
    default:
      return {
        ...common,
        issue_event_type_name: event.eventTypeName,
        user: userJson(view, event.actor),
        issue,
        ...(event.changelog ? { changelog: event.changelog } : {}),
        ...(event.comment ? { comment: commentJson(view, event.issue, event.comment) } : {}),
      };
  }
}

/** Posts each event to the webhooks it is for. `stop()` aborts deliveries still on their way. */
export function startDeliveries(changes: IssueChanges, base: () => string) {
  const { state } = changes;
  const aborter = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const deliver = async (hook: Webhook, event: IssueEvent, body: string) => {
    const url = expandUrl(hook.url, event, state);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Atlassian Webhook HTTP Client',
      'X-Atlassian-Webhook-Identifier': randomUUID(),
      'X-Atlassian-Webhook-Flow': 'Primary',
    };
    if (hook.secret)
      headers['X-Hub-Signature'] = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
    const record = {
      at: new Date().toISOString(),
      webhookId: hook.id,
      event: event.type,
      issueKey: event.issue.key,
      url,
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(10_000)]),
      });
      await response.body?.cancel();
      StandinState.append(state.deliveries, { ...record, status: response.status, error: null });
    } catch (error) {
      StandinState.append(state.deliveries, {
        ...record,
        status: null,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  changes.onEvent((event) => {
    const view: View = { state, base: base(), version: '2', flavour: state.flavour };
    let body: string | undefined;
    for (const hook of state.webhooks.values()) {
      if (!hook.enabled || !hook.events.includes(event.type)) continue;
      if (hook.jql && !matchesFilter(state, hook.jql, event)) continue;
      body ??= JSON.stringify(payloadOf(event, view));
      const delivery = deliver(hook, event, hook.excludeBody ? '' : body);
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
  });

  return {
    async stop() {
      aborter.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function matchesFilter(state: StandinState, jql: string, event: IssueEvent): boolean {
  try {
    return prepareJql(jql, state, { now: Date.now(), canBrowse: true, lenient: true }).matches(event.issue);
  } catch {
    return false;
  }
}
