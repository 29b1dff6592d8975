/**
 * Review acceptance (PRODUCT.md): each acceptance criterion and each line of the Definition of Done is binary, met
 * or not. Work that meets every line is accepted; a rejection names each unmet line and what is needed. Pure.
 */
import { parseCriteria } from './gherkin';
import type { ChecklistItem } from './readiness';

export interface ReviewLine {
  /** `criterion:<n>` (the scenario's number, from 1) or `dod:<id>` */
  key: string;
  kind: 'criterion' | 'dod';
  label: string;
}

/**
 * The checklist of one item at review: its Gherkin scenarios, then the product's Definition of Done. Criteria
 * that do not parse give no criterion lines (the item could not have been refined that way; the DoD still holds).
 */
export function reviewLines(criteria: string, definitionOfDone: readonly ChecklistItem[]): ReviewLine[] {
  const parsed = criteria.trim() ? parseCriteria(criteria) : null;
  const scenarios = parsed?.ok ? parsed.scenarios : [];
  return [
    ...scenarios.map((s) => ({
      key: `criterion:${s.index + 1}`,
      kind: 'criterion' as const,
      label: `${s.index + 1}. ${s.name || `${s.keyword} ${s.index + 1}`}`,
    })),
    ...definitionOfDone.map((d) => ({ key: `dod:${d.id}`, kind: 'dod' as const, label: d.text })),
  ];
}

export type LineResults = Readonly<Record<string, boolean | undefined>>;

export interface Verdict {
  /** every line is met */
  acceptable: boolean;
  met: ReviewLine[];
  unmet: ReviewLine[];
  /** lines nobody has ticked yet */
  open: ReviewLine[];
}

export function verdict(lines: readonly ReviewLine[], results: LineResults): Verdict {
  const met = lines.filter((l) => results[l.key] === true);
  const unmet = lines.filter((l) => results[l.key] === false);
  const open = lines.filter((l) => results[l.key] === undefined);
  return { acceptable: unmet.length === 0 && open.length === 0, met, unmet, open };
}

/** Why an accept is refused, or null when it may go ahead. */
export function acceptRefusal(lines: readonly ReviewLine[], results: LineResults): string | null {
  const v = verdict(lines, results);
  if (v.unmet.length > 0) {
    return `It cannot be accepted: ${v.unmet.length === 1 ? 'a line is' : `${v.unmet.length} lines are`} not met (${v.unmet
      .map((l) => l.label)
      .join('; ')}). Reject it with feedback instead.`;
  }
  if (v.open.length > 0) {
    return `Check every line before accepting: ${v.open.length} not checked yet (${v.open
      .slice(0, 3)
      .map((l) => l.label)
      .join('; ')}${v.open.length > 3 ? '; …' : ''}).`;
  }
  return null;
}

export interface LineFeedback {
  line: string;
  /** what is needed for the line to be met */
  needed: string;
}

/**
 * Why a reject is refused, or null: at least one line must be marked not met, and the feedback must name every
 * unmet line (and only lines of this item) with what is needed.
 */
export function rejectRefusal(
  lines: readonly ReviewLine[],
  results: LineResults,
  feedback: readonly LineFeedback[],
): string | null {
  const v = verdict(lines, results);
  const known = new Set(lines.map((l) => l.key));
  const stranger = feedback.find((f) => !known.has(f.line));
  if (stranger) return `“${stranger.line}” is not a line of this item’s checklist`;
  if (v.unmet.length === 0)
    return 'A rejection names the unmet line: mark at least one criterion or Definition of Done line as not met first';
  const given = new Map(feedback.filter((f) => f.needed.trim() !== '').map((f) => [f.line, f.needed]));
  const missing = v.unmet.filter((l) => !given.has(l.key));
  if (missing.length > 0) {
    return `Say what is needed for each unmet line; missing for: ${missing.map((l) => l.label).join('; ')}`;
  }
  const metWithFeedback = feedback.find((f) => results[f.line] === true);
  if (metWithFeedback) return `“${metWithFeedback.line}” is marked met; feedback goes on the lines not met`;
  return null;
}
