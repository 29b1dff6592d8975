/**
 * The vocabulary of an outside issue tracker (Jira today; Azure DevOps or Linear can follow) as Refinery sees it,
 * whatever the tracker's own shapes are. Pure types and small rules: the connector (services/trackers) turns a
 * tracker's answers into these, and the sync works on these alone. Issue 16, decision 0038.
 */

export type TrackerKind = 'jira_cloud' | 'jira_dc';

export type ItemKind = 'epic' | 'story' | 'bug' | 'tech_debt' | 'spike';

/** Jira's three status categories; every status belongs to one. */
export type StatusCategory = 'new' | 'indeterminate' | 'done';

/** A field of the tracker that a product maps once (story points, acceptance criteria...). */
export interface TrackerField {
  id: string;
  name: string;
  /** Jira's schema.custom or schema.type, e.g. `com.atlassian.jira.plugin.system.customfieldtypes:float` */
  schema: string | null;
}

/**
 * Where the product's data lives in the tracker, decided once per product (detected, shown as a preview, then
 * saved). `criteria` is a custom field's id, or `description-section` (a heading named `criteriaHeading` in the
 * description holds the Gherkin), or `none`.
 */
export interface FieldMap {
  storyPoints: string | null;
  criteria:
    | { kind: 'field'; fieldId: string }
    | { kind: 'description-section'; heading: string }
    | { kind: 'none' };
  /** the parent link: Jira Cloud's `parent`, or a Data Center site's Epic Link custom field */
  epicLink: string | null;
  /** the rank custom field (Jira's LexoRank), for ordering an import */
  rank: string | null;
}

/** Review outcome → the tracker's status (by name) to transition to; null leaves the status alone. */
export interface StatusMap {
  accepted: string | null;
  rejected: string | null;
}

/** One issue as the sync sees it. `description` is the item's text form (item-text.ts); ADF or wiki converted. */
export interface TrackerIssue {
  id: string;
  key: string;
  /** a link a person can open */
  url: string;
  summary: string;
  description: string;
  /** Gherkin source, when the field map says where it lives and it is there */
  criteria: string | null;
  type: ItemKind;
  /** the issue type's own name, e.g. "Story" */
  typeName: string;
  parentKey: string | null;
  storyPoints: number | null;
  priority: string | null;
  labels: string[];
  status: { name: string; category: StatusCategory };
  rank: string | null;
  /** ISO time of the tracker's last change */
  updated: string;
}

/** The fields a sync compares and may carry either way. */
export const syncedFields = [
  'summary',
  'description',
  'criteria',
  'storyPoints',
  'labels',
  'parentKey',
] as const;
export type SyncedField = (typeof syncedFields)[number];

/** The values of the synced fields at one moment, on one side (what was last agreed, Refinery's, the tracker's). */
export type SyncedValues = {
  summary: string;
  description: string;
  criteria: string | null;
  storyPoints: number | null;
  labels: string[];
  parentKey: string | null;
};

/** Why a connection check failed, so the page can say what to fix. */
export type ConnectionProblem =
  | 'bad_url'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_jira'
  | 'rate_limited';

export type ConnectionCheck =
  | {
      ok: true;
      accountName: string;
      serverTitle: string | null;
      canBrowse: boolean;
      canEdit: boolean;
      canAdminWebhooks: boolean;
    }
  | { ok: false; problem: ConnectionProblem; message: string };
