/**
 * Reading the `fields` and `update` of a create or edit request onto an issue draft, with Jira's per-field 400
 * messages. v3 rich text must be ADF; v2 rich text is a wiki string.
 */
import { isAdfDoc, type RichText } from './adf';
import {
  CF_ACCEPTANCE,
  CF_EPIC_LINK,
  CF_STORY_POINTS,
  findIssueType,
  findPriority,
  issueTypeById,
} from './catalog';
import type { ApiVersion } from './issue-json';
import type { Issue, StandinState } from './state';

export type FieldErrors = Record<string, string>;

const CANNOT_SET = (id: string) =>
  `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

function readRich(value: unknown, version: ApiVersion): RichText | null | string {
  if (value === null) return null;
  if (version === '3') {
    if (isAdfDoc(value)) return { format: 'adf', doc: structuredClone(value) };
    return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  }
  if (typeof value === 'string') return value === '' ? null : { format: 'wiki', text: value };
  return 'Operation value must be a string';
}

function readLabels(value: unknown): string[] | string {
  if (!Array.isArray(value) || !value.every((label) => typeof label === 'string')) {
    return 'Operation value must be an array of strings';
  }
  for (const label of value as string[]) {
    if (/\s/.test(label)) return `The label '${label}' contains spaces which is invalid.`;
    if (label.length > 255)
      return `The label '${label}' exceeds the maximum length for a single label of 255 characters.`;
  }
  return [...new Set(value as string[])];
}

/** `{key}` or `{id}` (or a bare key) naming an issue; `null`/`{none:true}` clears. */
function readIssueRef(state: StandinState, value: unknown): Issue | null | string {
  if (value === null || (typeof value === 'object' && (value as { none?: unknown }).none === true))
    return null;
  const ref =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null
        ? ((value as { key?: unknown; id?: unknown }).key ?? (value as { id?: unknown }).id)
        : undefined;
  if (typeof ref !== 'string' && typeof ref !== 'number') return 'Could not find issue by id or key.';
  return state.issue(String(ref)) ?? 'Could not find issue by id or key.';
}

const nameOrId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, id } = value as { name?: unknown; id?: unknown };
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  return typeof name === 'string' ? name : undefined;
};

/** Sets one field on the draft; answers an error message, or null when it was set. */
export function setField(
  state: StandinState,
  draft: Issue,
  id: string,
  value: unknown,
  version: ApiVersion,
): string | null {
  switch (id) {
    case 'summary': {
      if (typeof value !== 'string' || value.trim() === '') return 'You must specify a summary of the issue.';
      if (value.length > 255) return 'Summary must be less than 255 characters.';
      draft.summary = value;
      return null;
    }
    case 'description':
    case CF_ACCEPTANCE: {
      const rich = readRich(value, version);
      if (typeof rich === 'string') return rich;
      if (id === 'description') draft.description = rich;
      else draft.acceptanceCriteria = rich;
      return null;
    }
    case 'labels': {
      const labels = readLabels(value);
      if (typeof labels === 'string') return labels;
      draft.labels = labels;
      return null;
    }
    case CF_STORY_POINTS: {
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        return 'Operation value must be a number';
      }
      draft.storyPoints = value as number | null;
      return null;
    }
    case 'parent':
    case CF_EPIC_LINK: {
      const parent = readIssueRef(state, value);
      if (typeof parent === 'string') return parent;
      if (parent && parent.id === draft.id) return 'An issue cannot be its own parent.';
      if (parent && id === CF_EPIC_LINK && issueTypeById(parent.typeId)?.name !== 'Epic') {
        return `Issue '${parent.key}' is not an Epic.`;
      }
      if (parent && parent.projectId !== draft.projectId) {
        return 'The parent issue must be in the same project.';
      }
      draft.parentId = parent ? parent.id : null;
      return null;
    }
    case 'priority': {
      const priority = findPriority(nameOrId(value) ?? '');
      if (!priority) return `The priority selected is invalid.`;
      draft.priorityId = priority.id;
      return null;
    }
    case 'issuetype': {
      const type = findIssueType(nameOrId(value) ?? '');
      if (!type) return 'Specify a valid issue type';
      draft.typeId = type.id;
      return null;
    }
    case 'assignee': {
      if (value === null) {
        draft.assigneeId = null;
        return null;
      }
      const { accountId, name } = (typeof value === 'object' ? value : {}) as {
        accountId?: unknown;
        name?: unknown;
      };
      const account = [...state.accounts.values()].find((a) => a.accountId === accountId || a.name === name);
      if (!account) return `User '${String(accountId ?? name)}' does not exist.`;
      draft.assigneeId = account.accountId;
      return null;
    }
    default:
      return CANNOT_SET(id);
  }
}

/**
 * Applies a request's `fields` then `update` (`{labels:[{add:"x"},{remove:"y"}], summary:[{set:"..."}]}`) to the
 * draft. Answers every field's error, like Jira, rather than the first.
 */
export function applyFieldInput(
  state: StandinState,
  draft: Issue,
  fields: unknown,
  update: unknown,
  version: ApiVersion,
  skip: string[] = [],
): FieldErrors {
  const errors: FieldErrors = {};
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
    errors.fields = "The 'fields' of the request must be an object.";
    return errors;
  }
  for (const [id, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
    if (skip.includes(id)) continue;
    const error = setField(state, draft, id, value, version);
    if (error) errors[id] = error;
  }
  if (update === undefined) return errors;
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    errors.update = "The 'update' of the request must be an object.";
    return errors;
  }
  for (const [id, operations] of Object.entries(update as Record<string, unknown>)) {
    if (!Array.isArray(operations)) {
      errors[id] = `Field '${id}': the operations must be an array.`;
      continue;
    }
    for (const operation of operations) {
      const error = applyOperation(state, draft, id, operation, version);
      if (error) errors[id] = error;
    }
  }
  return errors;
}

function applyOperation(
  state: StandinState,
  draft: Issue,
  id: string,
  operation: unknown,
  version: ApiVersion,
) {
  if (typeof operation !== 'object' || operation === null)
    return `Field '${id}': an operation must be an object.`;
  const [verb, ...more] = Object.keys(operation);
  const value = (operation as Record<string, unknown>)[verb];
  if (more.length > 0 || !verb) return `Field '${id}': one operation per object.`;
  if (verb === 'set') return setField(state, draft, id, value, version);
  if (id === 'labels' && (verb === 'add' || verb === 'remove')) {
    if (typeof value !== 'string') return 'Operation value must be a string';
    if (verb === 'add') return setField(state, draft, id, [...draft.labels, value], version);
    draft.labels = draft.labels.filter((label) => label !== value);
    return null;
  }
  return `Field '${id}' does not support operation '${verb}'`;
}
