/** Display names for the backlog's enumerations: one place, shared by list, item page and decision log. */
export const typeLabels = {
  epic: 'Epic',
  story: 'Story',
  bug: 'Bug',
  tech_debt: 'Tech debt',
  spike: 'Spike',
} as const;
export type ItemType = keyof typeof typeLabels;

export const statusLabels = {
  new: 'New',
  refined: 'Refined',
  ready: 'Ready',
  in_sprint: 'In sprint',
  done: 'Done',
  accepted: 'Accepted',
  rejected: 'Rejected',
  archived: 'Archived',
} as const;
export type ItemStatus = keyof typeof statusLabels;

export const moscowShort = { must: 'Must', should: 'Should', could: 'Could', wont: 'Won’t' } as const;

export const outcomeLabels = {
  moved: 'Moved the metric',
  not_moved: 'Did not move it',
  unknown: 'Unknown yet',
} as const;

export const wsjfPartLabels = {
  userBusinessValue: 'User-business value',
  timeCriticality: 'Time criticality',
  riskReduction: 'Risk reduction / opportunity enablement',
  jobSize: 'Job size',
} as const;

export const fieldLabels: Record<string, string> = {
  ...wsjfPartLabels,
  estimate: 'Estimate',
  moscow: 'MoSCoW',
  kano: 'Kano category',
  title: 'Title',
  type: 'Type',
  status: 'Status',
};
