import type { SerializeFrom } from '@remix-run/node';
import type { TrackerKind } from '~/domain/tracker';
import type { JiraPageData } from '~/routes/products.$productId.jira/jira-page.server';

/** The Jira page as its loader sends it (the loader's own answer, as JSON: never a copied interface). */
export type JiraPageView = SerializeFrom<JiraPageData>;
export type JiraStatusView = JiraPageView['status'];
/** The status of a connected product: connection, counts, pushes and recent jobs. */
export type ConnectedStatusView = Extract<JiraStatusView, { connected: true }>;
export type JiraJobView = ConnectedStatusView['jobs'][number];

export const trackerKindLabels: Record<TrackerKind, string> = {
  jira_cloud: 'Jira Cloud',
  jira_dc: 'Jira Data Center',
};

/** A job still to finish: the page follows its progress. */
export const isActive = (state: string) => state === 'queued' || state === 'running';
