/**
 * Every change to an issue, whoever makes it (a REST client or a "Jira user" through the admin API): checked the
 * way Jira checks it, recorded in the issue's history as Jira's changelog items, `updated` bumped, and announced
 * as an event (the webhooks listen).
 */
import { asAdf, asWiki, type RichText } from './adf';
import {
  CF_ACCEPTANCE,
  CF_EPIC_LINK,
  CF_RANK,
  CF_STORY_POINTS,
  findStatus,
  issueTypeById,
  PRIORITY_MEDIUM,
  priorityById,
  resolutionById,
  resolutions,
  STATUS_TODO,
  statusById,
  type Transition,
  transitions,
} from './catalog';
import { applyFieldInput, type FieldErrors } from './fields-input';
import { badRequest, fieldErrors } from './http';
import type { ApiVersion } from './issue-json';
import { rankBetween } from './ranks';
import type { Account, ChangeItem, Comment, Issue, StandinState } from './state';

export type IssueEvent =
  | { type: 'jira:issue_created'; issue: Issue; actor: Account; at: number }
  | {
      type: 'jira:issue_updated';
      issue: Issue;
      actor: Account;
      at: number;
      /** Jira's `issue_event_type_name`: issue_updated, issue_generic, issue_resolved, issue_commented... */
      eventTypeName: string;
      changelog?: { id: string; items: ChangeItem[] };
      comment?: Comment;
    }
  | { type: 'comment_created'; issue: Issue; actor: Account; at: number; comment: Comment }
  | { type: 'jira:issue_deleted'; issue: Issue; actor: Account; at: number };

/** A request to create or edit: Jira's `{fields, update}`. */
export interface FieldsRequest {
  fields?: unknown;
  update?: unknown;
}

export interface RankEntry {
  issueId?: number;
  issueKey: string;
  status: number;
  errors?: string[];
}

const EDITABLE = [
  'summary',
  'description',
  'acceptanceCriteria',
  'labels',
  'storyPoints',
  'parentId',
  'priorityId',
  'typeId',
  'assigneeId',
  'statusId',
  'resolutionId',
  'resolutionDate',
  'rank',
] as const;

/** Jira's event name for a transition into a status. */
function transitionEventName(transition: Transition): string {
  if (transition.name === 'Start Progress') return 'issue_work_started';
  if (transition.name === 'Stop Progress') return 'issue_work_stopped';
  if (transition.name === 'Reopen') return 'issue_reopened';
  return transition.resolution ? 'issue_resolved' : 'issue_generic';
}

export class IssueChanges {
  private readonly listeners: ((event: IssueEvent) => void)[] = [];

  constructor(readonly state: StandinState) {}

  now(): number {
    return Date.now();
  }

  onEvent(listener: (event: IssueEvent) => void): void {
    this.listeners.push(listener);
  }

  private quiet = false;

  private emit(event: IssueEvent): void {
    if (this.quiet) return;
    for (const listener of this.listeners) listener(event);
  }

  /** Runs changes that announce nothing (seeding data that was "already there"). */
  quietly<T>(run: () => T): T {
    const was = this.quiet;
    this.quiet = true;
    try {
      return run();
    } finally {
      this.quiet = was;
    }
  }

  /** PUT issue: `fields` and `update`; nothing changed, nothing recorded. */
  edit(issue: Issue, actor: Account, request: FieldsRequest, version: ApiVersion): ChangeItem[] {
    const draft: Issue = { ...issue, labels: [...issue.labels] };
    const errors = applyFieldInput(this.state, draft, request.fields, request.update, version);
    this.checkHierarchy(draft, errors);
    if (Object.keys(errors).length > 0) throw fieldErrors(errors);
    return this.commit(issue, draft, actor, 'issue_updated');
  }

  /** POST issue: project, issuetype and summary are required; a sub-task needs its parent. */
  create(actor: Account, request: FieldsRequest, version: ApiVersion, at = this.now()): Issue {
    const fields = (request.fields ?? {}) as Record<string, unknown>;
    if (typeof fields !== 'object' || Array.isArray(fields))
      throw badRequest("The 'fields' must be an object.");
    const errors: FieldErrors = {};
    const projectRef = fields.project as { key?: unknown; id?: unknown } | undefined;
    const projectKey =
      projectRef && typeof projectRef === 'object' ? (projectRef.key ?? projectRef.id) : undefined;
    const project = projectKey === undefined ? undefined : this.state.project(String(projectKey));
    if (!project) errors.project = 'Specify a valid project ID or key';
    if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
    if (fields.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
    const draft: Issue = {
      id: '',
      key: '',
      projectId: project?.id ?? '',
      typeId: '10001',
      summary: '',
      description: null,
      acceptanceCriteria: null,
      labels: [],
      storyPoints: null,
      statusId: STATUS_TODO,
      resolutionId: null,
      resolutionDate: null,
      priorityId: PRIORITY_MEDIUM,
      parentId: null,
      rank: rankBetween(this.state.lastRank(), null),
      reporterId: actor.accountId,
      assigneeId: null,
      created: at,
      updated: at,
      comments: [],
      histories: [],
    };
    Object.assign(
      errors,
      applyFieldInput(this.state, draft, fields, request.update, version, ['project']),
      errors,
    );
    this.checkHierarchy(draft, errors);
    if (Object.keys(errors).length > 0 || !project) throw fieldErrors(errors);
    draft.id = String(this.state.nextId('issue'));
    draft.key = `${project.key}-${project.nextNumber++}`;
    this.state.issues.set(draft.id, draft);
    this.emit({ type: 'jira:issue_created', issue: draft, actor, at });
    return draft;
  }

  private checkHierarchy(draft: Issue, errors: FieldErrors): void {
    const type = issueTypeById(draft.typeId)!;
    const parent = draft.parentId ? this.state.issues.get(draft.parentId) : undefined;
    if (type.subtask && !parent && !errors.parent) {
      errors.parent = 'Issue type is a sub-task but parent issue key or id not specified.';
    }
    if (parent && !errors.parent) {
      const parentType = issueTypeById(parent.typeId)!;
      if (parentType.subtask) errors.parent = 'A sub-task cannot be a parent.';
      else if (!type.subtask && parentType.hierarchyLevel <= type.hierarchyLevel) {
        errors.parent = `An issue of type ${type.name} cannot have a parent of type ${parentType.name}.`;
      }
    }
  }

  /** The transitions open from the issue's status. */
  transitionsOf(issue: Issue): Transition[] {
    return transitions.filter((transition) => transition.from.includes(issue.statusId));
  }

  transition(issue: Issue, actor: Account, transitionId: unknown, fields?: unknown): ChangeItem[] {
    if (transitionId === undefined || transitionId === null || transitionId === '') {
      throw badRequest("Missing 'transition' identifier");
    }
    const transition = this.transitionsOf(issue).find((t) => t.id === String(transitionId));
    if (!transition) throw badRequest(`Transition id '${String(transitionId)}' is not valid for this issue.`);
    const draft: Issue = { ...issue };
    draft.statusId = transition.to;
    draft.resolutionId = transition.resolution;
    const errors: FieldErrors = {};
    for (const [id, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
      const resolution =
        id === 'resolution' && typeof value === 'object' && value !== null
          ? (value as { name?: string; id?: string })
          : undefined;
      const found =
        resolution && [resolution.id, resolution.name].map((r) => r && findResolution(r)).find(Boolean);
      if (found && transition.resolution) draft.resolutionId = found;
      else errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    if (Object.keys(errors).length > 0) throw fieldErrors(errors);
    draft.resolutionDate = draft.resolutionId ? this.now() : null;
    return this.commit(issue, draft, actor, transitionEventName(transition));
  }

  /** A person moving the issue to a status, by the workflow's transition when there is one. */
  setStatus(issue: Issue, actor: Account, nameOrId: string): ChangeItem[] {
    const status = findStatus(nameOrId);
    if (!status) throw badRequest(`The status '${nameOrId}' does not exist.`);
    const transition = this.transitionsOf(issue).find((t) => t.to === status.id);
    if (transition) return this.transition(issue, actor, transition.id);
    if (issue.statusId === status.id) return [];
    const draft: Issue = { ...issue, statusId: status.id };
    draft.resolutionId = status.category === 'done' ? (status.name === 'Rejected' ? '10001' : '10000') : null;
    draft.resolutionDate = draft.resolutionId ? this.now() : null;
    return this.commit(issue, draft, actor, 'issue_generic');
  }

  comment(issue: Issue, actor: Account, body: RichText): Comment {
    const at = this.now();
    const comment: Comment = {
      id: String(this.state.nextId('comment')),
      authorId: actor.accountId,
      body,
      created: at,
      updated: at,
    };
    issue.comments.push(comment);
    issue.updated = at;
    this.emit({ type: 'jira:issue_updated', issue, actor, at, eventTypeName: 'issue_commented', comment });
    this.emit({ type: 'comment_created', issue, actor, at, comment });
    return comment;
  }

  /**
   * PUT rank: the issues, in the order given, go just before or just after the target. Each issue answers for
   * itself (Jira's 207 entries) when some cannot be ranked.
   */
  rank(actor: Account, keys: string[], target: Issue, position: 'before' | 'after'): RankEntry[] {
    const entries: RankEntry[] = [];
    const moving: Issue[] = [];
    for (const key of [...new Set(keys)]) {
      const issue = this.state.issue(key);
      if (!issue) {
        entries.push({
          issueKey: key,
          status: 404,
          errors: [`Issue does not exist or you do not have permission to see it.`],
        });
      } else if (issue.id === target.id) {
        entries.push({
          issueId: Number(issue.id),
          issueKey: issue.key,
          status: 400,
          errors: ['Cannot rank an issue relative to itself.'],
        });
      } else {
        moving.push(issue);
      }
    }
    const movingIds = new Set(moving.map((issue) => issue.id));
    const others = this.state.rankOrder().filter((issue) => !movingIds.has(issue.id));
    const index = others.findIndex((issue) => issue.id === target.id);
    let lower = position === 'before' ? (others[index - 1]?.rank ?? null) : target.rank;
    const upper = position === 'before' ? target.rank : (others[index + 1]?.rank ?? null);
    for (const issue of moving) {
      const rank = rankBetween(lower, upper);
      lower = rank;
      this.commit(issue, { ...issue, rank }, actor, 'issue_updated');
      entries.push({ issueId: Number(issue.id), issueKey: issue.key, status: 200 });
    }
    return entries;
  }

  /** Deleting an issue takes its sub-tasks with it; other children lose their parent. */
  remove(issue: Issue, actor: Account): void {
    const at = this.now();
    for (const child of this.state.childrenOf(issue)) {
      if (issueTypeById(child.typeId)?.subtask) this.remove(child, actor);
      else child.parentId = null;
    }
    this.state.issues.delete(issue.id);
    this.emit({ type: 'jira:issue_deleted', issue, actor, at });
  }

  /** Copies the draft's changes onto the issue, records them as one history entry, and announces it. */
  private commit(issue: Issue, draft: Issue, actor: Account, eventTypeName: string): ChangeItem[] {
    const items = this.diff(issue, draft);
    if (items.length === 0) return items;
    for (const key of EDITABLE) (issue as unknown as Record<string, unknown>)[key] = draft[key];
    const at = this.now();
    issue.updated = at;
    const history = {
      id: String(this.state.nextId('history')),
      authorId: actor.accountId,
      created: at,
      items,
    };
    issue.histories.push(history);
    this.emit({
      type: 'jira:issue_updated',
      issue,
      actor,
      at,
      eventTypeName,
      changelog: { id: history.id, items },
    });
    return items;
  }

  private diff(before: Issue, after: Issue): ChangeItem[] {
    const items: ChangeItem[] = [];
    const item = (
      field: string,
      fieldId: string,
      fieldtype: 'jira' | 'custom',
      from: string | null,
      fromString: string | null,
      to: string | null,
      toText: string | null,
    ) => items.push({ field, fieldtype, fieldId, from, fromString, to, toString: toText });
    const text = (value: RichText | null) => (value === null ? null : asWiki(value));
    const richChanged = (a: RichText | null, b: RichText | null) =>
      text(a) !== text(b) || JSON.stringify(a && asAdf(a)) !== JSON.stringify(b && asAdf(b));
    const issueKey = (id: string | null) => (id ? (this.state.issues.get(id)?.key ?? null) : null);
    const accountName = (id: string | null) => (id ? (this.state.account(id)?.displayName ?? null) : null);

    if (before.summary !== after.summary)
      item('summary', 'summary', 'jira', null, before.summary, null, after.summary);
    if (richChanged(before.description, after.description)) {
      item(
        'description',
        'description',
        'jira',
        null,
        text(before.description),
        null,
        text(after.description),
      );
    }
    if (richChanged(before.acceptanceCriteria, after.acceptanceCriteria)) {
      const [from, to] = [text(before.acceptanceCriteria), text(after.acceptanceCriteria)];
      item('Acceptance Criteria', CF_ACCEPTANCE, 'custom', null, from, null, to);
    }
    if (before.labels.join(' ') !== after.labels.join(' ')) {
      item('labels', 'labels', 'jira', null, before.labels.join(' '), null, after.labels.join(' '));
    }
    if (before.storyPoints !== after.storyPoints) {
      const show = (points: number | null) => (points === null ? null : String(points));
      item(
        'Story Points',
        CF_STORY_POINTS,
        'custom',
        null,
        show(before.storyPoints),
        null,
        show(after.storyPoints),
      );
    }
    if (before.parentId !== after.parentId) {
      const [from, to] = [issueKey(before.parentId), issueKey(after.parentId)];
      if (this.state.flavour === 'dc' && !issueTypeById(after.typeId)?.subtask) {
        item('Epic Link', CF_EPIC_LINK, 'custom', before.parentId, from, after.parentId, to);
      } else {
        item('IssueParentAssociation', 'parent', 'jira', before.parentId, from, after.parentId, to);
      }
    }
    if (before.typeId !== after.typeId) {
      const [from, to] = [issueTypeById(before.typeId)!.name, issueTypeById(after.typeId)!.name];
      item('issuetype', 'issuetype', 'jira', before.typeId, from, after.typeId, to);
    }
    if (before.priorityId !== after.priorityId) {
      const [from, to] = [priorityById(before.priorityId)!.name, priorityById(after.priorityId)!.name];
      item('priority', 'priority', 'jira', before.priorityId, from, after.priorityId, to);
    }
    if (before.assigneeId !== after.assigneeId) {
      const [from, to] = [accountName(before.assigneeId), accountName(after.assigneeId)];
      item('assignee', 'assignee', 'jira', before.assigneeId, from, after.assigneeId, to);
    }
    if (before.resolutionId !== after.resolutionId) {
      const name = (id: string | null) => (id ? resolutionById(id)!.name : null);
      const [from, to] = [name(before.resolutionId), name(after.resolutionId)];
      item('resolution', 'resolution', 'jira', before.resolutionId, from, after.resolutionId, to);
    }
    if (before.statusId !== after.statusId) {
      const [from, to] = [statusById(before.statusId)!.name, statusById(after.statusId)!.name];
      item('status', 'status', 'jira', before.statusId, from, after.statusId, to);
    }
    if (before.rank !== after.rank) {
      const way = after.rank < before.rank ? 'Ranked higher' : 'Ranked lower';
      item('Rank', CF_RANK, 'custom', null, '', null, way);
    }
    return items;
  }
}

function findResolution(nameOrId: string): string | null {
  const wanted = nameOrId.toLowerCase();
  return resolutions.find((r) => r.id === nameOrId || r.name.toLowerCase() === wanted)?.id ?? null;
}
