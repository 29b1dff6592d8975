/**
 * The agile API: boards, a board's issues in rank order (`/rest/agile/1.0/board/{id}/issue`, paged by `startAt`;
 * on Cloud also `/rest/software/1.0/board/{id}/issue`, paged by `nextPageToken`, which jira.js 6 calls), and
 * ranking (`PUT /rest/agile/1.0/issue/rank`). Issues come in the v2 shape, as the agile API answers them.
 */
import { issueTypeById, statusById } from './catalog';
import type { Ctx, JiraRoute } from './context';
import { requirePermission } from './context';
import { badRequest, intParam, json, noContent, notFound, toInt } from './http';
import { avatarUrls, issueJson, selectFields } from './issue-json';
import { compareRanks } from './ranks';
import { decodePageToken, encodePageToken, pageSize, readSearchInput, searchIssues } from './search';
import type { Board, Flavour, Issue } from './state';

const AGILE = '/rest/agile/1.0';
const BOARD_NOT_FOUND =
  'The requested board cannot be viewed because it either does not exist or you do not have permission to view it.';

function boardJson(ctx: Ctx, board: Board) {
  const project = ctx.state.projects.get(board.projectId)!;
  return {
    id: board.id,
    self: `${ctx.base}${AGILE}/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: 'software',
      avatarURI: avatarUrls(ctx.base, `project-${project.id}`)['48x48'],
      name: `${project.name} (${project.key})`,
    },
    isPrivate: false,
  };
}

function visibleBoard(ctx: Ctx, rawId: string): Board {
  const id = Number(rawId);
  const board = Number.isInteger(id) ? ctx.state.boards.get(id) : undefined;
  if (!board || !ctx.caller.permissions.has('BROWSE_PROJECTS')) throw notFound(BOARD_NOT_FOUND);
  return board;
}

function listBoards(ctx: Ctx) {
  const startAt = intParam(ctx.query, 'startAt', 0);
  const size = pageSize(ctx.query.get('maxResults') ? intParam(ctx.query, 'maxResults', 50) : undefined, 50);
  const type = ctx.query.get('type');
  const name = ctx.query.get('name')?.toLowerCase();
  const projectRef = ctx.query.get('projectKeyOrId');
  const project = projectRef ? ctx.state.project(projectRef) : undefined;
  if (projectRef && !project) throw badRequest(`No project could be found with key or id '${projectRef}'.`);
  const boards = ctx.caller.permissions.has('BROWSE_PROJECTS')
    ? [...ctx.state.boards.values()].filter(
        (board) =>
          (!type || board.type === type) &&
          (!name || board.name.toLowerCase().includes(name)) &&
          (!project || board.projectId === project.id),
      )
    : [];
  const values = boards.slice(startAt, startAt + size);
  return json({
    maxResults: size,
    startAt,
    total: boards.length,
    isLast: startAt + values.length >= boards.length,
    values: values.map((board) => boardJson(ctx, board)),
  });
}

/** A scrum board holds its project's issues but the epics, in rank order. */
function boardIssues(ctx: Ctx, board: Board, jql: string, lenient: boolean) {
  const within = (issue: Issue) =>
    issue.projectId === board.projectId && issueTypeById(issue.typeId)?.name !== 'Epic';
  return searchIssues(ctx, jql, { lenient, within, defaultOrder: (a, b) => compareRanks(a.rank, b.rank) });
}

/** The agile API's issue: v2 fields plus the agile ones (sprint, flagged, epic). */
function agileIssueJson(ctx: Ctx, issue: Issue, requested: string[] | undefined) {
  const fields = selectFields(requested, 'navigable');
  if (!requested || requested.includes('*navigable') || requested.includes('*all')) {
    for (const id of ['sprint', 'closedSprints', 'flagged', 'epic']) fields.add(id);
  }
  const parent = issue.parentId ? ctx.state.issues.get(issue.parentId) : undefined;
  const epic =
    parent && issueTypeById(parent.typeId)?.name === 'Epic'
      ? {
          id: Number(parent.id),
          key: parent.key,
          self: `${ctx.base}${AGILE}/epic/${parent.id}`,
          name: parent.summary,
          summary: parent.summary,
          color: { key: 'color_1' },
          done: statusById(parent.statusId)?.category === 'done',
        }
      : null;
  return issueJson(ctx.view, issue, {
    fields,
    self: `${ctx.base}${AGILE}/issue/${issue.id}`,
    extraFields: { sprint: null, closedSprints: [], flagged: false, epic },
  });
}

function agileBoardIssues(ctx: Ctx, boardId: string) {
  const board = visibleBoard(ctx, boardId);
  const input = readSearchInput(ctx);
  const { issues, warnings } = boardIssues(ctx, board, input.jql, input.validateQuery === 'false');
  const size = pageSize(input.maxResults, ctx.state.flavour === 'cloud' ? 100 : 1000);
  return json({
    expand: 'schema,names',
    startAt: input.startAt,
    maxResults: size,
    total: issues.length,
    issues: issues
      .slice(input.startAt, input.startAt + size)
      .map((issue) => agileIssueJson(ctx, issue, input.fields)),
    ...(warnings.length > 0 ? { warningMessages: warnings } : {}),
  });
}

function softwareBoardIssues(ctx: Ctx, boardId: string) {
  const board = visibleBoard(ctx, boardId);
  const input = readSearchInput(ctx);
  const { issues } = boardIssues(ctx, board, input.jql, false);
  const size = pageSize(input.maxResults, 100);
  const offset = decodePageToken(input.nextPageToken, input.jql);
  const page = issues.slice(offset, offset + size);
  const isLast = offset + page.length >= issues.length;
  return json({
    expand: 'schema,names',
    issues: page.map((issue) => agileIssueJson(ctx, issue, input.fields)),
    ...(isLast ? {} : { nextPageToken: encodePageToken(offset + page.length, input.jql) }),
    isLast,
  });
}

function rankIssues(ctx: Ctx) {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  const { issues, rankBeforeIssue, rankAfterIssue, rankCustomFieldId } = body as Record<string, unknown>;
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every((key) => typeof key === 'string')) {
    throw badRequest('The issues to rank must be given as a list of issue keys or ids.');
  }
  if (issues.length > 50) throw badRequest('Only 50 issues can be ranked at once.');
  if ((rankBeforeIssue === undefined) === (rankAfterIssue === undefined)) {
    throw badRequest('Exactly one of rankBeforeIssue and rankAfterIssue must be given.');
  }
  if (rankCustomFieldId !== undefined && toInt(rankCustomFieldId, 'rankCustomFieldId') !== 10019) {
    throw badRequest(`The custom field ${String(rankCustomFieldId)} is not a rank field.`);
  }
  requirePermission(ctx.caller, 'SCHEDULE_ISSUES', 'You do not have permission to rank issues.');
  const targetKey = String(rankBeforeIssue ?? rankAfterIssue);
  const target = ctx.caller.permissions.has('BROWSE_PROJECTS') ? ctx.state.issue(targetKey) : undefined;
  if (!target)
    throw badRequest(
      `Issue '${targetKey}' to rank relative to does not exist or you do not have permission to see it.`,
    );
  const entries = ctx.changes.rank(
    ctx.caller,
    issues as string[],
    target,
    rankBeforeIssue ? 'before' : 'after',
  );
  if (entries.every((entry) => entry.status === 200)) return noContent();
  return json({ entries }, 207);
}

export function agileRoutes(flavour: Flavour): JiraRoute[] {
  const routes: JiraRoute[] = [
    { method: 'GET', pattern: `${AGILE}/board`, handler: listBoards },
    {
      method: 'GET',
      pattern: `${AGILE}/board/:id`,
      handler: (ctx, p) => json(boardJson(ctx, visibleBoard(ctx, p.id))),
    },
    { method: 'GET', pattern: `${AGILE}/board/:id/issue`, handler: (ctx, p) => agileBoardIssues(ctx, p.id) },
    { method: 'PUT', pattern: `${AGILE}/issue/rank`, handler: rankIssues },
  ];
  if (flavour === 'cloud') {
    routes.push({
      method: 'GET',
      pattern: '/rest/software/1.0/board/:id/issue',
      handler: (ctx, p) => softwareBoardIssues(ctx, p.id),
    });
  }
  return routes;
}
