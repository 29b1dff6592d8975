/**
 * Jira's JSON for what the stand-in holds: users, statuses, issue types, projects, comments and issues, in the
 * REST v3 shape (rich text as ADF) or the v2 shape (rich text as wiki markup), with Cloud's or Data Center's user
 * objects. Field selection (`fields=*all,-comment`, `summary,status`, ...) is here too.
 */
import { asAdf, asWiki, type RichText } from './adf';
import {
  CF_ACCEPTANCE,
  CF_EPIC_LINK,
  CF_RANK,
  CF_STORY_POINTS,
  fields as fieldCatalog,
  type IssueType,
  issueFieldIds,
  issueTypeById,
  navigableFieldIds,
  priorityById,
  resolutionById,
  type Status,
  statusById,
  statusCategories,
} from './catalog';
import type { Account, Comment, Flavour, History, Issue, Project, StandinState } from './state';
import { jiraDateTime } from './time';

export type ApiVersion = '2' | '3';

/** Who is being answered, and how: the site's base URL, the REST version, the flavour. */
export interface View {
  state: StandinState;
  base: string;
  version: ApiVersion;
  flavour: Flavour;
}

const api = (view: View) => `${view.base}/rest/api/${view.version}`;

export function avatarUrls(base: string, ownerId: string) {
  const url = (size: number) =>
    `${base}/secure/useravatar?size=${size}&ownerId=${encodeURIComponent(ownerId)}`;
  return { '48x48': url(48), '24x24': url(24), '16x16': url(16), '32x32': url(32) };
}

export function userJson(view: View, account: Account | undefined): Record<string, unknown> | null {
  if (!account) return null;
  if (view.flavour === 'dc') {
    return {
      self: `${api(view)}/user?username=${encodeURIComponent(account.name)}`,
      name: account.name,
      key: account.accountId,
      emailAddress: account.emailAddress,
      avatarUrls: avatarUrls(view.base, account.accountId),
      displayName: account.displayName,
      active: true,
      timeZone: 'UTC',
    };
  }
  return {
    self: `${api(view)}/user?accountId=${account.accountId}`,
    accountId: account.accountId,
    emailAddress: account.emailAddress,
    avatarUrls: avatarUrls(view.base, account.accountId),
    displayName: account.displayName,
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  };
}

export function statusJson(view: View, status: Status) {
  const category = statusCategories[status.category];
  return {
    self: `${api(view)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${view.base}/images/icons/statuses/generic.png`,
    name: status.name,
    ...(view.flavour === 'cloud' ? { untranslatedName: status.name } : {}),
    id: status.id,
    statusCategory: {
      self: `${api(view)}/statuscategory/${category.id}`,
      id: category.id,
      key: category.key,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

export function issueTypeJson(view: View, type: IssueType) {
  return {
    self: `${api(view)}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${view.base}/secure/viewavatar?size=xsmall&avatarId=${10300 + Number(type.id) - 10000}&avatarType=issuetype`,
    name: type.name,
    subtask: type.subtask,
    avatarId: 10300 + Number(type.id) - 10000,
    ...(view.flavour === 'cloud' ? { hierarchyLevel: type.hierarchyLevel } : {}),
  };
}

export function projectJson(view: View, project: Project) {
  return {
    self: `${api(view)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    ...(view.flavour === 'cloud' ? { simplified: false } : {}),
    avatarUrls: avatarUrls(view.base, `project-${project.id}`),
  };
}

function priorityJson(view: View, id: string) {
  const priority = priorityById(id)!;
  return {
    self: `${api(view)}/priority/${priority.id}`,
    iconUrl: `${view.base}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

function resolutionJson(view: View, id: string | null) {
  const resolution = id ? resolutionById(id) : undefined;
  if (!resolution) return null;
  return {
    self: `${api(view)}/resolution/${resolution.id}`,
    id: resolution.id,
    description: resolution.description,
    name: resolution.name,
  };
}

/** Rich text in the answer's format: ADF for v3, wiki markup for v2. */
export function richJson(view: View, value: RichText | null): unknown {
  if (value === null) return null;
  return view.version === '3' ? asAdf(value) : asWiki(value);
}

/** The short form of an issue Jira nests in `parent` and `subtasks`. */
function issueRefJson(view: View, issue: Issue) {
  return {
    id: issue.id,
    key: issue.key,
    self: `${api(view)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusJson(view, statusById(issue.statusId)!),
      priority: priorityJson(view, issue.priorityId),
      issuetype: issueTypeJson(view, issueTypeById(issue.typeId)!),
    },
  };
}

export function commentJson(view: View, issue: Issue, comment: Comment) {
  const author = userJson(view, view.state.account(comment.authorId));
  return {
    self: `${api(view)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: richJson(view, comment.body),
    updateAuthor: author,
    created: jiraDateTime(comment.created),
    updated: jiraDateTime(comment.updated),
    ...(view.flavour === 'cloud' ? { jsdPublic: true } : {}),
  };
}

export function commentsPageJson(view: View, issue: Issue, startAt = 0, maxResults = 5000) {
  const page = issue.comments.slice(startAt, startAt + maxResults);
  return {
    ...(view.flavour === 'cloud' ? { self: `${api(view)}/issue/${issue.id}/comment` } : {}),
    comments: page.map((comment) => commentJson(view, issue, comment)),
    maxResults,
    total: issue.comments.length,
    startAt,
  };
}

const isEpic = (issue: Issue | undefined) =>
  issue !== undefined && issueTypeById(issue.typeId)?.name === 'Epic';

/** Every field's value for an issue, by field id. */
export function fieldValues(view: View, issue: Issue): Record<string, unknown> {
  const { state } = view;
  const parent = issue.parentId ? state.issues.get(issue.parentId) : undefined;
  const type = issueTypeById(issue.typeId)!;
  // Data Center links a story to its epic through the Epic Link field only; `parent` is for sub-tasks there.
  const showParent = parent && (view.flavour === 'cloud' || type.subtask);
  return {
    summary: issue.summary,
    description: richJson(view, issue.description),
    issuetype: issueTypeJson(view, type),
    project: projectJson(view, state.projectOf(issue)),
    status: statusJson(view, statusById(issue.statusId)!),
    labels: [...issue.labels],
    priority: priorityJson(view, issue.priorityId),
    ...(showParent ? { parent: issueRefJson(view, parent) } : {}),
    subtasks: state
      .childrenOf(issue)
      .filter((child) => issueTypeById(child.typeId)?.subtask)
      .map((child) => issueRefJson(view, child)),
    resolution: resolutionJson(view, issue.resolutionId),
    resolutiondate: issue.resolutionDate === null ? null : jiraDateTime(issue.resolutionDate),
    created: jiraDateTime(issue.created),
    updated: jiraDateTime(issue.updated),
    reporter: userJson(view, state.account(issue.reporterId)),
    assignee: issue.assigneeId ? userJson(view, state.account(issue.assigneeId)) : null,
    comment: commentsPageJson(view, issue),
    [CF_EPIC_LINK]: isEpic(parent) ? parent!.key : null,
    [CF_STORY_POINTS]: issue.storyPoints,
    [CF_RANK]: issue.rank,
    [CF_ACCEPTANCE]: richJson(view, issue.acceptanceCriteria),
  };
}

/**
 * The field ids a `fields` parameter asks for. `fallback` is what is answered when it is missing: `*all` for an
 * issue, `*navigable` for a Data Center search, nothing but the id for Cloud's enhanced search.
 */
export function selectFields(
  requested: string[] | undefined,
  fallback: 'all' | 'navigable' | 'id',
): Set<string> {
  const base = (kind: 'all' | 'navigable' | 'id') =>
    kind === 'all' ? issueFieldIds : kind === 'navigable' ? navigableFieldIds : [];
  if (!requested || requested.length === 0) return new Set(base(fallback));
  const onlyExclusions = requested.every((name) => name.startsWith('-'));
  const selected = new Set<string>(onlyExclusions ? navigableFieldIds : []);
  for (const name of requested) {
    if (name === '*all') for (const id of issueFieldIds) selected.add(id);
    else if (name === '*navigable') for (const id of navigableFieldIds) selected.add(id);
    else if (name.startsWith('-')) selected.delete(name.slice(1));
    else if (issueFieldIds.includes(name)) selected.add(name);
  }
  return selected;
}

function historyJson(view: View, history: History) {
  return {
    id: history.id,
    author: userJson(view, view.state.account(history.authorId)),
    created: jiraDateTime(history.created),
    items: history.items.map((item) => ({ ...item })),
  };
}

export interface IssueJsonOptions {
  fields: Set<string>;
  expand?: string[];
  /** Cloud's enhanced search with no fields asked for answers ids alone */
  idOnly?: boolean;
  /** the issue's `self` (the agile API points at its own resource) */
  self?: string;
  /** fields beyond the platform's (the agile API's sprint, flagged, epic), answered when `fields` names them */
  extraFields?: Record<string, unknown>;
}

export function issueJson(view: View, issue: Issue, options: IssueJsonOptions): Record<string, unknown> {
  if (options.idOnly) return { id: issue.id };
  const values = { ...fieldValues(view, issue), ...options.extraFields };
  const selected: Record<string, unknown> = {};
  for (const id of options.fields) if (id in values) selected[id] = values[id];
  const expand = new Set(options.expand ?? []);
  const json: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: options.self ?? `${api(view)}/issue/${issue.id}`,
    key: issue.key,
    fields: selected,
  };
  if (expand.has('names')) {
    json.names = Object.fromEntries(
      Object.keys(selected).map((id) => [id, fieldCatalog.find((field) => field.id === id)?.name ?? id]),
    );
  }
  if (expand.has('changelog')) {
    json.changelog = {
      startAt: 0,
      maxResults: issue.histories.length,
      total: issue.histories.length,
      histories: issue.histories.map((history) => historyJson(view, history)),
    };
  }
  return json;
}

/** `expand` as a list, whether it came as `a,b`, repeated, or an array in a body. */
export function expandList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((item): item is string => typeof item === 'string');
  if (typeof raw === 'string') return raw.split(',').map((part) => part.trim());
  return [];
}
