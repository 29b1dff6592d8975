import { kanoCategoryLabels } from '~/domain/kano';
import { describeAppliedOrder } from '~/domain/order-proposals';
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
      return describeAppliedOrder(who, after);
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
    case 'split': {
      const n = typeof after.children === 'number' ? after.children : 'several';
      return `${who} split ${item} into ${n} stories${before.type === 'story' ? ' (it is an epic now)' : ''}`;
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
  three_amigos_held: 'Three amigos held',
};
