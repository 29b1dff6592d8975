/** The sprint review report and its Markdown export. Pure: built from facts the server read. */
import { formatCalendarRange } from '~/utils/dates';
import { escapeMarkdown } from './session-summary';

export interface ReportLine {
  line: string;
  label: string;
  met: boolean | null;
  feedback: string;
}

export interface ReportItem {
  id: string;
  title: string;
  type: string;
  points: number | null;
  state: string;
  note: string;
  lines: ReportLine[];
  /** unfinished items: where they went */
  unfinishedDecision: 'backlog' | 'next_sprint' | null;
  nextSprintName: string | null;
  notReadyReason: string | null;
}

export interface ReviewReport {
  sprint: {
    id: string;
    name: string;
    productName: string;
    goal: string;
    startDate: string;
    endDate: string;
    state: string;
    goalMet: boolean | null;
    goalNote: string;
    capacity: number | null;
    closedAt: string | null;
  };
  velocity: number;
  committedPoints: number;
  accepted: ReportItem[];
  rejected: ReportItem[];
  /** done but not yet decided (the review is still running) */
  awaiting: ReportItem[];
  unfinished: ReportItem[];
  feedback: Array<{
    id: string;
    text: string;
    author: string;
    itemTitle: string | null;
    createdItem: { id: string; title: string } | null;
  }>;
  newItems: Array<{ id: string; title: string; fromFeedback: string }>;
}

const mark = (met: boolean | null) =>
  met === true ? '[x]' : met === false ? '[ ] not met' : '[ ] not checked';
const pts = (n: number | null) => (n === null ? 'unestimated' : `${n} point${n === 1 ? '' : 's'}`);

function itemBlock(item: ReportItem, out: string[]) {
  out.push(`### ${escapeMarkdown(item.title)} (${pts(item.points)})`, '');
  for (const l of item.lines) {
    out.push(
      `- ${mark(l.met)} ${escapeMarkdown(l.label)}${l.feedback ? ` — needed: ${escapeMarkdown(l.feedback)}` : ''}`,
    );
  }
  if (item.lines.length === 0) out.push('No checklist lines.');
  if (item.note) out.push('', `Note: ${escapeMarkdown(item.note)}`);
  out.push('');
}

export function reportMarkdown(r: ReviewReport): string {
  const s = r.sprint;
  const out: string[] = [];
  out.push(`# Sprint review: ${escapeMarkdown(s.name)}`, '');
  out.push(`${escapeMarkdown(s.productName)}, ${formatCalendarRange(s.startDate, s.endDate)}.`, '');
  out.push(`**Sprint goal:** ${escapeMarkdown(s.goal || '(none written)')}`, '');
  const goal = s.goalMet === null ? 'not decided yet' : s.goalMet ? 'met' : 'not met';
  out.push(`**Goal ${goal}.**${s.goalNote ? ` ${escapeMarkdown(s.goalNote)}` : ''}`, '');
  out.push(`**Velocity:** ${r.velocity} accepted points of ${r.committedPoints} committed.`, '');
  out.push(`## Accepted (${r.accepted.length})`, '');
  if (r.accepted.length === 0) out.push('None.', '');
  for (const item of r.accepted) itemBlock(item, out);
  out.push(`## Rejected (${r.rejected.length})`, '');
  if (r.rejected.length === 0) out.push('None.', '');
  for (const item of r.rejected) itemBlock(item, out);
  if (r.awaiting.length > 0) {
    out.push(`## Done, not yet reviewed (${r.awaiting.length})`, '');
    for (const item of r.awaiting) itemBlock(item, out);
  }
  out.push(`## Unfinished (${r.unfinished.length})`, '');
  if (r.unfinished.length === 0) out.push('None.');
  for (const item of r.unfinished) {
    const where =
      item.unfinishedDecision === 'backlog'
        ? 'back to the backlog'
        : item.unfinishedDecision === 'next_sprint'
          ? `into ${escapeMarkdown(item.nextSprintName ?? 'the next sprint')}`
          : 'not decided yet';
    out.push(`- ${escapeMarkdown(item.title)} (${pts(item.points)}): ${where}`);
  }
  out.push('', `## Feedback (${r.feedback.length})`, '');
  if (r.feedback.length === 0) out.push('None.');
  for (const f of r.feedback) {
    const about = f.itemTitle ? ` on ${escapeMarkdown(f.itemTitle)}` : '';
    const became = f.createdItem ? ` → new backlog item: ${escapeMarkdown(f.createdItem.title)}` : '';
    out.push(`- ${escapeMarkdown(f.author)}${about}: ${escapeMarkdown(f.text)}${became}`);
  }
  out.push('', `## New backlog items from feedback (${r.newItems.length})`, '');
  if (r.newItems.length === 0) out.push('None.');
  for (const n of r.newItems) out.push(`- ${escapeMarkdown(n.title)}`);
  out.push('');
  return out.join('\n');
}

/** A file name for the export: `sprint-review-<name>.md`, ASCII only. */
export function reportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .slice(0, 60);
  return `sprint-review-${slug || 'sprint'}.md`;
}
