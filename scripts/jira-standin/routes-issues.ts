/**
 * Issues: get, edit, create, transitions and comments, on `/rest/api/{2,3}/issue/...`.
 */
import { isAdfDoc, type RichText } from './adf';
import { statusById } from './catalog';
import type { FieldsRequest } from './changes';
import { api, type Ctx, type JiraRoute, requirePermission, visibleIssue } from './context';
import { badRequest, fieldErrors, intParam, json, listParam, noContent, notFound } from './http';
import { commentJson, commentsPageJson, expandList, issueJson, selectFields, statusJson } from './issue-json';
import type { Flavour, Issue } from './state';

function requestObject(ctx: Ctx): Record<string, unknown> {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function getIssue(ctx: Ctx, key: string) {
  const issue = visibleIssue(ctx, key);
  const fields = selectFields(listParam(ctx.query, 'fields'), 'all');
  return json(issueJson(ctx.view, issue, { fields, expand: listParam(ctx.query, 'expand') }));
}

function editIssue(ctx: Ctx, key: string) {
  const issue = visibleIssue(ctx, key);
  requirePermission(ctx.caller, 'EDIT_ISSUES', 'You do not have permission to edit issues in this project.');
  const body = requestObject(ctx);
  ctx.changes.edit(issue, ctx.caller, body as FieldsRequest, ctx.version);
  if (ctx.query.get('returnIssue') === 'true') {
    return json(
      issueJson(ctx.view, issue, {
        fields: selectFields(undefined, 'all'),
        expand: expandList(ctx.query.get('expand')),
      }),
    );
  }
  return noContent();
}

function createIssue(ctx: Ctx) {
  requirePermission(
    ctx.caller,
    'CREATE_ISSUES',
    'You do not have permission to create issues in this project.',
  );
  const body = requestObject(ctx);
  if (!ctx.caller.permissions.has('BROWSE_PROJECTS'))
    throw fieldErrors({ project: 'Specify a valid project ID or key' });
  const issue = ctx.changes.create(ctx.caller, body as FieldsRequest, ctx.version);
  return json(
    { id: issue.id, key: issue.key, self: `${ctx.base}/rest/api/${ctx.version}/issue/${issue.id}` },
    201,
  );
}

function transitionsJson(ctx: Ctx, issue: Issue) {
  const wanted = ctx.query.get('transitionId');
  const withFields = (listParam(ctx.query, 'expand') ?? []).includes('transitions.fields');
  // Without the Transition Issues permission Jira lists none, rather than refusing.
  const open = ctx.caller.permissions.has('TRANSITION_ISSUES') ? ctx.changes.transitionsOf(issue) : [];
  return {
    expand: 'transitions',
    transitions: open
      .filter((transition) => wanted === null || transition.id === wanted)
      .map((transition) => ({
        id: transition.id,
        name: transition.name,
        to: statusJson(ctx.view, statusById(transition.to)!),
        hasScreen: false,
        isGlobal: false,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        ...(ctx.state.flavour === 'cloud' ? { isLooped: false } : {}),
        ...(withFields ? { fields: {} } : {}),
      })),
  };
}

function doTransition(ctx: Ctx, key: string) {
  const issue = visibleIssue(ctx, key);
  requirePermission(ctx.caller, 'TRANSITION_ISSUES', 'You do not have permission to transition this issue.');
  const body = requestObject(ctx);
  const transition = body.transition as { id?: unknown } | undefined;
  ctx.changes.transition(issue, ctx.caller, transition?.id, body.fields);
  // A transition may carry a comment: `update: {comment: [{add: {body}}]}`.
  const comments = (body.update as { comment?: { add?: { body?: unknown } }[] } | undefined)?.comment ?? [];
  for (const operation of comments) {
    ctx.changes.comment(issue, ctx.caller, readCommentBody(ctx, operation?.add?.body));
  }
  return noContent();
}

function readCommentBody(ctx: Ctx, body: unknown): RichText {
  if (ctx.version === '3') {
    if (!isAdfDoc(body)) {
      throw fieldErrors({
        comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      });
    }
    if (body.content.length === 0) throw fieldErrors({ comment: 'Comment body can not be empty!' });
    return { format: 'adf', doc: structuredClone(body) };
  }
  if (typeof body !== 'string' || body.trim() === '')
    throw fieldErrors({ comment: 'Comment body can not be empty!' });
  return { format: 'wiki', text: body };
}

function addComment(ctx: Ctx, key: string) {
  const issue = visibleIssue(ctx, key);
  requirePermission(ctx.caller, 'ADD_COMMENTS', 'You do not have permission to comment on this issue.');
  const body = requestObject(ctx);
  const comment = ctx.changes.comment(issue, ctx.caller, readCommentBody(ctx, body.body));
  return json(commentJson(ctx.view, issue, comment), 201);
}

function getComments(ctx: Ctx, key: string) {
  const issue = visibleIssue(ctx, key);
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 5000);
  if (startAt < 0 || maxResults < 0) throw badRequest('startAt and maxResults must not be negative.');
  const newestFirst = ctx.query.get('orderBy') === '-created';
  const ordered = { ...issue, comments: newestFirst ? [...issue.comments].reverse() : issue.comments };
  return json(commentsPageJson(ctx.view, ordered, startAt, maxResults));
}

function getComment(ctx: Ctx, key: string, id: string) {
  const issue = visibleIssue(ctx, key);
  const comment = issue.comments.find((c) => c.id === id);
  if (!comment) throw notFound(`Can not find a comment for the id: ${id}.`);
  return json(commentJson(ctx.view, issue, comment));
}

export function issueRoutes(flavour: Flavour): JiraRoute[] {
  return [
    ...api(flavour, 'POST', '/issue', createIssue),
    ...api(flavour, 'GET', '/issue/:key', (ctx, p) => getIssue(ctx, p.key)),
    ...api(flavour, 'PUT', '/issue/:key', (ctx, p) => editIssue(ctx, p.key)),
    ...api(flavour, 'GET', '/issue/:key/transitions', (ctx, p) =>
      json(transitionsJson(ctx, visibleIssue(ctx, p.key))),
    ),
    ...api(flavour, 'POST', '/issue/:key/transitions', (ctx, p) => doTransition(ctx, p.key)),
    ...api(flavour, 'GET', '/issue/:key/comment', (ctx, p) => getComments(ctx, p.key)),
    ...api(flavour, 'POST', '/issue/:key/comment', (ctx, p) => addComment(ctx, p.key)),
    ...api(flavour, 'GET', '/issue/:key/comment/:id', (ctx, p) => getComment(ctx, p.key, p.id)),
  ];
}
