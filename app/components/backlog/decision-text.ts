import { goalRiskResponseLabels } from '~/domain/goal-risk';
import { kanoCategoryLabels } from '~/domain/kano';
import { describeAppliedOrder } from '~/domain/order-proposals';
import { formatDateTime } from '~/utils/dates';
import { fieldLabels, moscowShort, statusLabels } from './labels';

export interface DecisionEntry {
  id: number;
  itemId: string | null;
  kind: string;
  before: unknown;
  after: unknown;
  reason: string;
  createdAt: Date | string;
  actorName: string;
}

type Obj = Record<string, unknown>;
const sprintName = (after: Obj) =>
  typeof after.sprintName === 'string' ? `‘${after.sprintName}’` : 'the sprint';
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

function value(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (field === 'moscow' && typeof v === 'string' && v in moscowShort)
    return moscowShort[v as keyof typeof moscowShort];
  if (field === 'kano' && typeof v === 'string' && v in kanoCategoryLabels)
    return kanoCategoryLabels[v as keyof typeof kanoCategoryLabels];
  return String(v);
}

const status = (v: unknown) =>
  typeof v === 'string' && v in statusLabels
    ? statusLabels[v as keyof typeof statusLabels]
    : String(v ?? '?');

/**
 * One readable sentence per decision ("Olivia Owner moved ‘X’ from 12 to 3"). Plain text: React escapes it, so
 * titles and reasons typed by people are never rendered as HTML.
 */
export function describeDecision(entry: DecisionEntry, titleOf: (id: string) => string | undefined): string {
  const who = entry.actorName;
  const before = obj(entry.before);
  const after = obj(entry.after);
  const item = entry.itemId
    ? `‘${titleOf(entry.itemId) ?? (typeof after.title === 'string' ? after.title : 'an item')}’`
    : 'an item';
  switch (entry.kind) {
    case 'created':
      return `${who} created ${item}${typeof after.position === 'number' ? ` at position ${after.position}` : after.position ? ` at the ${after.position}` : ''}`;
    case 'moved': {
      const to = typeof after.position === 'number' ? after.position : after.to;
      return `${who} moved ${item}${before.position ? ` from ${before.position}` : ''}${to ? ` to ${to}` : ''}`;
    }
    case 'edited': {
      const changes = Object.keys(after).map(
        (f) => `${fieldLabels[f] ?? f} from ${value(f, before[f])} to ${value(f, after[f])}`,
      );
      return `${who} changed ${changes.join(', ') || 'the priority fields'} of ${item}`;
    }
    case 'status_changed':
      return `${who} changed the status of ${item} from ${status(before.status)} to ${status(after.status)}${after.override ? ` (Definition of Ready overridden: ${after.override})` : ''}`;
    case 'archived':
      return `${who} archived ${item}`;
    case 'restored':
      return `${who} restored ${item} as ${status(after.status)}`;
    case 'dependency_added':
      return `${who} marked ${item} as blocked by ‘${titleOf(String(after.blockedById)) ?? after.title ?? 'an item'}’`;
    case 'dependency_removed':
      return `${who} removed the dependency of ${item} on ‘${titleOf(String(before.blockedById)) ?? 'an item'}’`;
    case 'proposal_applied':
      return describeAppliedOrder(who, after) + criteriaNote(after);
    case 'request_accepted':
      return `${who} accepted the request ‘${String(after.title ?? '')}’ from ${String(after.requester ?? 'someone')} into the backlog${after.position ? ` (${placementText(after.position)})` : ''}${criteriaNote(after)}`;
    case 'request_merged':
      return `${who} merged the request ‘${String(after.title ?? '')}’ from ${String(after.requester ?? 'someone')} into ${after.mergedInto ? `‘${String(after.mergedInto)}’` : item}${criteriaNote(after)}`;
    case 'request_declined':
      return `${who} declined the request ‘${String(after.title ?? '')}’ from ${String(after.requester ?? 'someone')}${criteriaNote(after)}`;
    case 'request_info_requested':
      return `${who} asked ${String(after.requester ?? 'the requester')} for more about ‘${String(after.title ?? '')}’${criteriaNote(after)}`;
    case 'urgent_swap':
      return describeUrgentSwap(who, after, entry.reason);
    case 'criteria_version_agreed':
      return `${who} recorded the agreed prioritisation criteria v${String(after.criteriaVersion ?? '?')}${Array.isArray(after.methods) ? ` (${after.methods.join(', ')})` : ''}`;
    case 'imported':
      return `${who} imported ${entry.itemId ? item : 'items'}`;
    case 'definition_changed': {
      const name = after.definition === 'done' ? 'Definition of Done' : 'Definition of Ready';
      const count = Array.isArray(after.checklist) ? ` (${after.checklist.length} lines)` : '';
      return `${who} changed the ${name}${count}`;
    }
    case 'debt_share_changed': {
      const share = (v: unknown) => (typeof v === 'number' ? `${v} %` : 'none');
      return `${who} changed the technical-debt share from ${share(before.share)} to ${share(after.share)}`;
    }
    // the sprint goal at risk (issue 18): recorded by the projection itself, so no one is named
    case 'sprint_goal_at_risk':
      return `The goal of ${sprintName(after)} was flagged at risk: ${entry.reason || 'the projection missed'}`;
    case 'sprint_goal_back_on_track':
      return `The goal of ${sprintName(after)} is back on track`;
    case 'sprint_goal_risk_response': {
      const label =
        typeof after.response === 'string' && after.response in goalRiskResponseLabels
          ? goalRiskResponseLabels[after.response as keyof typeof goalRiskResponseLabels].toLowerCase()
          : 'respond';
      return `${who} responded to the risk to the goal of ${sprintName(after)}: ${label}${entry.reason ? ` (${entry.reason})` : ''}`;
    }
    case 'webhook_added':
      return `${who} added a webhook to ${String(after.host ?? 'an address')}`;
    case 'webhook_removed':
      return `${who} removed the webhook to ${String(before.host ?? 'an address')}`;
    case 'webhook_secret_rotated':
      return `${who} rotated the secret of the webhook to ${String(after.host ?? 'an address')}`;
    case 'webhook_paused':
      return `${who} paused the webhook to ${String(after.host ?? 'an address')}`;
    case 'webhook_resumed':
      return `${who} resumed the webhook to ${String(after.host ?? 'an address')}`;
    case 'split': {
      const n = typeof after.children === 'number' ? after.children : 'several';
      return `${who} split ${item} into ${n} stories${before.type === 'story' ? ' (it is an epic now)' : ''}`;
    }
    case 'async_voting_opened': {
      const closes =
        typeof after.closesAt === 'string'
          ? formatDateTime(after.closesAt, typeof after.timeZone === 'string' ? after.timeZone : 'UTC')
          : 'later';
      return after.extended
        ? `${who} moved the close of voting before the meeting to ${closes}`
        : `${who} opened voting before the meeting, until ${closes}`;
    }
    case 'async_voting_closed': {
      const n = typeof after.voters === 'number' ? after.voters : 0;
      return `Voting before the meeting closed: ${n} ${n === 1 ? 'person' : 'people'} voted`;
    }
    case 'three_amigos_held': {
      const names = Array.isArray(after.participants)
        ? after.participants.map((p) => String(obj(p).name ?? 'someone'))
        : [];
      const cases = Array.isArray(after.cases) ? after.cases.length : 0;
      const open = Array.isArray(after.openQuestions) ? after.openQuestions.map(String) : [];
      return (
        `Three amigos on ${item} ended in a shared understanding (${names.join(', ')}): ` +
        `${cases} ${cases === 1 ? 'case' : 'cases'} added, ` +
        (open.length === 0
          ? 'no open question'
          : `${open.length} open ${open.length === 1 ? 'question' : 'questions'}: ${open.map((q) => `“${q}”`).join('; ')}`)
      );
    }
    default:
      return `${who}: ${entry.kind.replace(/_/g, ' ')} ${item}`;
  }
}

/** The urgent swap (issue 17 part 3) in one sentence: what came in, what left, the load, the goal, the trade-off. */
function describeUrgentSwap(who: string, after: Obj, reason: string): string {
  const pts = (v: unknown) => `${typeof v === 'number' ? v : '?'} point${v === 1 ? '' : 's'}`;
  const displaced = Array.isArray(after.displaced) ? after.displaced.map(obj) : [];
  const out =
    displaced.length === 0
      ? 'nothing left the sprint'
      : `${displaced.map((d) => `‘${String(d.title ?? 'an item')}’`).join(', ')} (${pts(after.displacedPoints)}) went back to the top of the backlog`;
  const goal = (v: unknown) => {
    const state = obj(v).state;
    return state === 'at_risk' ? 'at risk' : state === 'on_track' ? 'on track' : 'too early to tell';
  };
  const shifted = typeof after.shiftedCount === 'number' ? after.shiftedCount : 0;
  return (
    `${who} brought the urgent request ‘${String(after.requestTitle ?? after.title ?? '')}’ (${pts(after.points)}) into ${sprintName(after)}: ${out}; ` +
    `load ${String(after.loadBefore ?? '?')} → ${String(after.loadAfter ?? '?')}; goal ${goal(after.goalBefore)} → ${goal(after.goalAfter)}; ` +
    `${shifted} ${shifted === 1 ? 'item behind moves' : 'items behind move'} later` +
    (reason ? `. Trade-off: ${reason}` : '') +
    criteriaNote(after)
  );
}

/** " · criteria v3" where a decision stored the criteria version that applied (issue 17). */
function criteriaNote(after: Obj): string {
  return typeof after.criteriaVersion === 'number' ? ` · criteria v${after.criteriaVersion}` : '';
}

function placementText(position: unknown): string {
  return position === 'top' ? 'at the top' : position === 'after' ? 'after a chosen item' : 'at the bottom';
}

export const decisionKindLabels: Record<string, string> = {
  created: 'Created',
  edited: 'Priority edited',
  moved: 'Moved',
  status_changed: 'Status changed',
  archived: 'Archived',
  restored: 'Restored',
  proposal_applied: 'Proposal applied',
  dependency_added: 'Dependency added',
  dependency_removed: 'Dependency removed',
  imported: 'Imported',
  definition_changed: 'Definition changed',
  debt_share_changed: 'Debt share changed',
  split: 'Split',
  sprint_goal_at_risk: 'Sprint goal at risk',
  sprint_goal_back_on_track: 'Sprint goal back on track',
  sprint_goal_risk_response: 'Response to a goal at risk',
  async_voting_opened: 'Voting before the meeting opened',
  async_voting_closed: 'Voting before the meeting closed',
  webhook_added: 'Webhook added',
  webhook_removed: 'Webhook removed',
  webhook_secret_rotated: 'Webhook secret rotated',
  webhook_paused: 'Webhook paused',
  webhook_resumed: 'Webhook resumed',
  request_accepted: 'Request accepted',
  request_merged: 'Request merged',
  request_declined: 'Request declined',
  request_info_requested: 'More asked of a request',
  criteria_version_agreed: 'Criteria agreed',
  three_amigos_held: 'Three amigos held',
  urgent_swap: 'Urgent request swapped into the sprint',
};
