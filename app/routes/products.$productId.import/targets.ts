// Type-only import: the domain module pulls in the CSV parser, which needs Node's Buffer and stays on the server.
import type { ImportTarget } from '~/domain/csv-import';

/** What each import target becomes, and which Jira CSV columns fill it: shown in the mapping step. */
export const targetLabels: Record<ImportTarget, { label: string; jira: string }> = {
  title: { label: 'Title', jira: 'Jira: “Summary”. Required: every row needs one.' },
  type: {
    label: 'Type',
    jira: 'Jira: “Issue Type”. Story, Task and Sub-task become stories; Bug, Epic, Spike and Technical debt keep their type. Empty means story.',
  },
  description: { label: 'Description', jira: 'Jira: “Description”.' },
  estimate: {
    label: 'Estimate (points)',
    jira: 'Jira: “Story Points” or “Custom field (Story point estimate)”. Fractions are rounded up.',
  },
  priority: {
    label: 'MoSCoW',
    jira: 'Jira: “Priority”. Highest/Blocker → Must, High → Should, Medium → Could, Low/Lowest → Won’t. MoSCoW words work too.',
  },
  parent: {
    label: 'Parent epic',
    jira: 'Jira: “Epic Link”, “Parent” or “Parent summary”: the key or title of an epic in this file or already in the backlog.',
  },
  labels: {
    label: 'Labels',
    jira: 'Jira: “Labels”. Jira writes one Labels column per label; every column with that name is read.',
  },
  criteria: {
    label: 'Acceptance criteria',
    jira: '“Acceptance Criteria”, when your Jira has that field. Must be valid Gherkin.',
  },
  externalKey: {
    label: 'Jira key',
    jira: 'Jira: “Issue key” (e.g. HAR-12). Kept on the item, and used to find parent epics.',
  },
};

/** The targets in the order the mapping step lists them (every target: the record above must name each one). */
export const targetOrder = Object.keys(targetLabels) as ImportTarget[];
