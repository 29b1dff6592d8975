/**
 * The two-way sync's conflict rule, pure: given the values last agreed with the tracker (the base), Refinery's
 * (ours) and the tracker's (theirs), what to write where. Issue 16.
 *
 * Per field: changed only in Jira → apply it in Refinery; changed only in Refinery → push it to Jira; changed on
 * both sides to different values → Jira wins (applied), the conflict records Refinery's value; the same value on
 * both sides, or no change → nothing. A field being edited live in a session (description, criteria: the caller
 * says which) never gets Jira's value under someone's cursor: it is deferred, and the base keeps the old value,
 * so the next sync after the session sees Jira's change again and applies it. No base yet (the first sync after
 * linking): Jira's value applies wherever the two differ, with no conflicts.
 */
import { type SyncedField, type SyncedValues, syncedFields } from './tracker';

export type ConflictOutcome = 'kept_jira' | 'deferred_live';

export interface SyncConflict {
  field: SyncedField;
  ours: unknown;
  theirs: unknown;
  outcome: ConflictOutcome;
}

export interface MergeOptions {
  /** fields open in a live session right now: Jira's value is not applied to them */
  liveFields: ReadonlySet<SyncedField>;
}

export interface MergeResult {
  /** to write into Refinery */
  apply: Partial<SyncedValues>;
  /** to send to Jira */
  push: Partial<SyncedValues>;
  conflicts: SyncConflict[];
  /** Jira's value for a field being edited live: not applied now */
  deferred: Partial<SyncedValues>;
  /** the values agreed after this merge (a deferred field keeps its old base), to store as the next base */
  base: SyncedValues;
}

/** What one field's merge does. */
export type FieldMerge =
  | 'none' // the same on both sides
  | 'apply' // Jira's value into Refinery
  | 'push' // Refinery's value to Jira
  | 'kept_jira' // changed on both sides: Jira's value applied, Refinery's recorded as a conflict
  | 'deferred' // changed in Jira only, but being edited live: applied later
  | 'deferred_live'; // changed on both sides while being edited live: Jira's value held back, a conflict recorded

/** Text as compared: line endings made "\n", trailing whitespace of each line and blank lines at the ends gone. */
const normalText = (text: string | null) =>
  (text ?? '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');

const labelSet = (labels: string[]) => [...new Set(labels)].sort().join('\u0000');

/**
 * Whether two values of a field are the same: labels as sets; summary, description and criteria as text with
 * line endings and trailing whitespace normalised (no criteria and empty criteria alike); an empty parent key as
 * none; story points exactly.
 */
export function sameSyncedValue<F extends SyncedField>(
  field: F,
  a: SyncedValues[F],
  b: SyncedValues[F],
): boolean {
  switch (field) {
    case 'labels':
      return labelSet(a as string[]) === labelSet(b as string[]);
    case 'summary':
    case 'description':
    case 'criteria':
      return normalText(a as string | null) === normalText(b as string | null);
    case 'parentKey':
      return ((a as string | null) || null) === ((b as string | null) || null);
    default:
      return a === b;
  }
}

/** The rule for one field (see the module's comment). `live`: the field is being edited live in a session. */
export function mergeField(
  field: SyncedField,
  base: SyncedValues | null,
  ours: SyncedValues,
  theirs: SyncedValues,
  live: boolean,
): FieldMerge {
  if (sameSyncedValue(field, ours[field], theirs[field])) return 'none';
  if (base === null) return live ? 'deferred' : 'apply';
  const oursChanged = !sameSyncedValue(field, base[field], ours[field]);
  const theirsChanged = !sameSyncedValue(field, base[field], theirs[field]);
  if (oursChanged && theirsChanged) return live ? 'deferred_live' : 'kept_jira';
  if (theirsChanged) return live ? 'deferred' : 'apply';
  return 'push';
}

/**
 * Merges every synced field of one issue (see the module's comment for the rule). The new base holds, per field,
 * the value both sides have once `apply` and `push` are done; for a deferred field, the old base (or, with no
 * base yet, Refinery's value, so Jira's differing value applies on the next sync).
 */
export function mergeIssue(
  base: SyncedValues | null,
  ours: SyncedValues,
  theirs: SyncedValues,
  options: MergeOptions,
): MergeResult {
  const result: MergeResult = { apply: {}, push: {}, conflicts: [], deferred: {}, base: { ...ours } };
  const mergeOne = <F extends SyncedField>(field: F) => {
    const outcome = mergeField(field, base, ours, theirs, options.liveFields.has(field));
    const conflict = { field, ours: ours[field], theirs: theirs[field] };
    switch (outcome) {
      case 'none':
        result.base[field] = theirs[field];
        break;
      case 'apply':
      case 'kept_jira':
        result.apply[field] = theirs[field];
        result.base[field] = theirs[field];
        if (outcome === 'kept_jira') result.conflicts.push({ ...conflict, outcome });
        break;
      case 'push':
        result.push[field] = ours[field];
        result.base[field] = ours[field];
        break;
      case 'deferred':
      case 'deferred_live':
        result.deferred[field] = theirs[field];
        result.base[field] = base ? base[field] : ours[field];
        if (outcome === 'deferred_live') result.conflicts.push({ ...conflict, outcome });
        break;
    }
  };
  for (const field of syncedFields) mergeOne(field);
  return result;
}
