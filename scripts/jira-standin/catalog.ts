/**
 * The stand-in's fixed Jira configuration: issue types, statuses and the one workflow, priorities, resolutions, the
 * field list (system fields plus Refinery's custom fields) and the permission keys it knows.
 */

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface StatusCategory {
  id: number;
  key: StatusCategoryKey;
  colorName: string;
  name: string;
}

export const statusCategories: Record<StatusCategoryKey, StatusCategory> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export interface Status {
  id: string;
  name: string;
  description: string;
  category: StatusCategoryKey;
}

export const statuses: Status[] = [
  { id: '10000', name: 'To Do', description: 'The work has not started.', category: 'new' },
  { id: '3', name: 'In Progress', description: 'The work is being done.', category: 'indeterminate' },
  { id: '10001', name: 'Done', description: 'The work is finished.', category: 'done' },
  { id: '10002', name: 'Rejected', description: 'The work will not be done.', category: 'done' },
];

export const STATUS_TODO = '10000';

export interface Resolution {
  id: string;
  name: string;
  description: string;
}

export const resolutions: Resolution[] = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  { id: '10001', name: "Won't Do", description: 'This issue will not be actioned.' },
];

export interface Transition {
  id: string;
  name: string;
  /** statuses the transition starts from */
  from: string[];
  to: string;
  /** the resolution the target status gets; null clears it */
  resolution: string | null;
}

/** To Do → In Progress → Done, with Reject (to a done-category status) and Reopen back to To Do. */
export const transitions: Transition[] = [
  { id: '11', name: 'Stop Progress', from: ['3'], to: '10000', resolution: null },
  { id: '21', name: 'Start Progress', from: ['10000'], to: '3', resolution: null },
  { id: '31', name: 'Done', from: ['10000', '3'], to: '10001', resolution: '10000' },
  { id: '41', name: 'Reject', from: ['10000', '3'], to: '10002', resolution: '10001' },
  { id: '51', name: 'Reopen', from: ['10001', '10002'], to: '10000', resolution: null },
];

export interface IssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
}

export const issueTypes: IssueType[] = [
  {
    id: '10000',
    name: 'Epic',
    description: 'A big user story that needs to be broken down.',
    subtask: false,
    hierarchyLevel: 1,
  },
  {
    id: '10001',
    name: 'Story',
    description: 'Functionality or a feature expressed as a user goal.',
    subtask: false,
    hierarchyLevel: 0,
  },
  {
    id: '10002',
    name: 'Task',
    description: 'A small, distinct piece of work.',
    subtask: false,
    hierarchyLevel: 0,
  },
  {
    id: '10003',
    name: 'Sub-task',
    description: 'A small piece of work that is part of a larger task.',
    subtask: true,
    hierarchyLevel: -1,
  },
  { id: '10004', name: 'Bug', description: 'A problem or error.', subtask: false, hierarchyLevel: 0 },
];

export type IssueTypeName = 'Epic' | 'Story' | 'Task' | 'Sub-task' | 'Bug';

export interface Priority {
  id: string;
  name: string;
}

export const priorities: Priority[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const PRIORITY_MEDIUM = '3';

/** Refinery's custom fields, with Jira Cloud's usual ids for them. */
export const CF_EPIC_LINK = 'customfield_10014';
export const CF_STORY_POINTS = 'customfield_10016';
export const CF_RANK = 'customfield_10019';
export const CF_ACCEPTANCE = 'customfield_10020';

export interface FieldDefinition {
  id: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
}

const system = (
  id: string,
  name: string,
  type: string,
  extra: Partial<FieldDefinition> & { items?: string } = {},
): FieldDefinition => {
  const { items, ...rest } = extra;
  return {
    id,
    name,
    custom: false,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [id],
    schema: { type, ...(items ? { items } : {}), system: id },
    ...rest,
  };
};

const custom = (id: string, name: string, type: string, customType: string): FieldDefinition => {
  const customId = Number(id.replace('customfield_', ''));
  return {
    id,
    name,
    custom: true,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [`cf[${customId}]`, name],
    schema: { type, custom: customType, customId },
  };
};

export const fields: FieldDefinition[] = [
  system('summary', 'Summary', 'string'),
  system('description', 'Description', 'string'),
  system('issuetype', 'Issue Type', 'issuetype', { clauseNames: ['issuetype', 'type'] }),
  system('project', 'Project', 'project'),
  system('status', 'Status', 'status', { orderable: false }),
  system('labels', 'Labels', 'array', { items: 'string' }),
  system('priority', 'Priority', 'priority'),
  system('parent', 'Parent', 'issuelink', { clauseNames: ['parent'] }),
  system('subtasks', 'Sub-tasks', 'array', { items: 'issuelinks', orderable: false, searchable: false }),
  system('resolution', 'Resolution', 'resolution'),
  system('resolutiondate', 'Resolved', 'datetime', {
    orderable: false,
    clauseNames: ['resolutiondate', 'resolved'],
  }),
  system('created', 'Created', 'datetime', { orderable: false, clauseNames: ['created', 'createdDate'] }),
  system('updated', 'Updated', 'datetime', { orderable: false, clauseNames: ['updated', 'updatedDate'] }),
  system('reporter', 'Reporter', 'user'),
  system('assignee', 'Assignee', 'user'),
  system('comment', 'Comment', 'comments-page', { navigable: false }),
  {
    id: 'issuekey',
    name: 'Key',
    custom: false,
    orderable: false,
    navigable: true,
    searchable: false,
    clauseNames: ['id', 'issue', 'issuekey', 'key'],
  },
  custom(CF_EPIC_LINK, 'Epic Link', 'any', 'com.pyxis.greenhopper.jira:gh-epic-link'),
  custom(
    CF_STORY_POINTS,
    'Story Points',
    'number',
    'com.atlassian.jira.plugin.system.customfieldtypes:float',
  ),
  custom(CF_RANK, 'Rank', 'any', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
  custom(
    CF_ACCEPTANCE,
    'Acceptance Criteria',
    'string',
    'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
  ),
];

/** Field ids an issue answers with (the `*all` set); `comment` is not navigable, as in Jira. */
export const issueFieldIds = fields.filter((field) => field.id !== 'issuekey').map((field) => field.id);
export const navigableFieldIds = fields
  .filter((field) => field.navigable && field.id !== 'issuekey')
  .map((field) => field.id);

export type PermissionKey =
  | 'ADMINISTER'
  | 'BROWSE_PROJECTS'
  | 'CREATE_ISSUES'
  | 'EDIT_ISSUES'
  | 'SCHEDULE_ISSUES'
  | 'TRANSITION_ISSUES'
  | 'ADD_COMMENTS'
  | 'ADMINISTER_PROJECTS';

export interface PermissionDefinition {
  id: string;
  key: PermissionKey;
  name: string;
  type: 'GLOBAL' | 'PROJECT';
  description: string;
}

export const permissionCatalog: PermissionDefinition[] = [
  {
    id: '0',
    key: 'ADMINISTER',
    name: 'Administer Jira',
    type: 'GLOBAL',
    description: 'Create and administer projects, issue types, fields, workflows and webhooks.',
  },
  {
    id: '10',
    key: 'BROWSE_PROJECTS',
    name: 'Browse Projects',
    type: 'PROJECT',
    description: 'Ability to browse projects and the issues within them.',
  },
  {
    id: '11',
    key: 'CREATE_ISSUES',
    name: 'Create Issues',
    type: 'PROJECT',
    description: 'Ability to create issues.',
  },
  {
    id: '12',
    key: 'EDIT_ISSUES',
    name: 'Edit Issues',
    type: 'PROJECT',
    description: 'Ability to edit issues.',
  },
  {
    id: '15',
    key: 'ADD_COMMENTS',
    name: 'Add Comments',
    type: 'PROJECT',
    description: 'Ability to comment on issues.',
  },
  {
    id: '23',
    key: 'ADMINISTER_PROJECTS',
    name: 'Administer Projects',
    type: 'PROJECT',
    description: 'Ability to administer a project in Jira.',
  },
  {
    id: '28',
    key: 'SCHEDULE_ISSUES',
    name: 'Schedule Issues',
    type: 'PROJECT',
    description: 'Ability to set or edit due dates and to rank issues.',
  },
  {
    id: '46',
    key: 'TRANSITION_ISSUES',
    name: 'Transition Issues',
    type: 'PROJECT',
    description: 'Ability to transition issues.',
  },
];

export const allPermissions: PermissionKey[] = permissionCatalog.map((permission) => permission.key);

export const statusById = (id: string) => statuses.find((status) => status.id === id);
export const issueTypeById = (id: string) => issueTypes.find((type) => type.id === id);
export const priorityById = (id: string) => priorities.find((priority) => priority.id === id);
export const resolutionById = (id: string) => resolutions.find((resolution) => resolution.id === id);

export function findStatus(nameOrId: string): Status | undefined {
  const wanted = nameOrId.toLowerCase();
  return statuses.find((status) => status.id === nameOrId || status.name.toLowerCase() === wanted);
}

export function findIssueType(nameOrId: string): IssueType | undefined {
  const wanted = nameOrId.toLowerCase();
  return issueTypes.find((type) => type.id === nameOrId || type.name.toLowerCase() === wanted);
}

export function findPriority(nameOrId: string): Priority | undefined {
  const wanted = nameOrId.toLowerCase();
  return priorities.find((priority) => priority.id === nameOrId || priority.name.toLowerCase() === wanted);
}
