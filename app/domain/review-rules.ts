/**
 * Review acceptance (docs/product-rules.md): each acceptance criterion and each line of the Definition of Done is binary, met
 * or not. Work that meets every line is accepted; a rejection names each unmet line and what is needed. Pure.
 *
 * A tick belongs to what was judged, not to a position: a criterion line is named by the digest of its scenario's
 * normalised text, a Definition of Done line by its id and its text. Criteria edited during a review therefore
 * leave their ticks behind as outdated ticks: an inserted scenario starts un-ticked, an edited one starts un-ticked
 * and is flagged as changed, and a tick of "not met" whose scenario was removed or edited keeps blocking the accept
 * until the product owner clears it (issue 12, item 5).
 */
import { type CriteriaFeature, type CriteriaScenario, parseCriteria } from './gherkin';
import type { ChecklistItem } from './readiness';
import { sha256Hex } from './sha256';

export interface ReviewLine {
  /** `criterion:<digest>` (of the scenario's normalised text) or `dod:<id>` */
  key: string;
  kind: 'criterion' | 'dod';
  label: string;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * What a scenario says, normalised: its name, description, the background steps that run before it, its steps
 * (with tables and doc strings) and its examples. Whitespace, comments and tags do not count; any other edit does.
 */
export function scenarioText(
  scenario: CriteriaScenario,
  feature: Pick<CriteriaFeature, 'background' | 'rules'>,
): string {
  const rule = scenario.ruleIndex === null ? undefined : feature.rules[scenario.ruleIndex];
  const steps = [...(feature.background?.steps ?? []), ...(rule?.background?.steps ?? []), ...scenario.steps];
  const out = [`name: ${squash(scenario.name)}`, `description: ${squash(scenario.description)}`];
  for (const s of steps) {
    out.push(`step: ${squash(s.keyword)} ${squash(s.text)}`);
    for (const row of s.dataTable ?? []) out.push(`row: ${row.map((c) => squash(c)).join(' | ')}`);
    if (s.docString) out.push(`doc: ${squash(s.docString.content)}`);
  }
  for (const e of scenario.examples) {
    out.push(`examples: ${squash(e.name)}`);
    for (const row of [e.header, ...e.rows]) out.push(`row: ${row.map((c) => squash(c)).join(' | ')}`);
  }
  return out.join('\n');
}

/** 128 bits of the digest: forging another text with the same key is out of reach, and the key stays short. */
const criterionKey = (text: string) => `criterion:${sha256Hex(text).slice(0, 32)}`;

/**
 * The checklist of one item at review: its Gherkin scenarios, then the product's Definition of Done. Criteria
 * that do not parse give no criterion lines (the item could not have been refined that way; the DoD still holds).
 * Two scenarios that say the same thing are told apart by their order (`criterion:<digest>.2`).
 */
export function reviewLines(criteria: string, definitionOfDone: readonly ChecklistItem[]): ReviewLine[] {
  const parsed = criteria.trim() ? parseCriteria(criteria) : null;
  const scenarios = parsed?.ok ? parsed.scenarios : [];
  const seen = new Map<string, number>();
  const criterionLines = scenarios.map((s) => {
    const base = criterionKey(parsed?.ok ? scenarioText(s, parsed.feature) : '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      key: n === 1 ? base : `${base}.${n}`,
      kind: 'criterion' as const,
      label: `${s.index + 1}. ${s.name || `${s.keyword} ${s.index + 1}`}`,
    };
  });
  return [
    ...criterionLines,
    ...definitionOfDone.map((d) => ({ key: `dod:${d.id}`, kind: 'dod' as const, label: d.text })),
  ];
}

/** A recorded tick: the line it was made on and that line's label then. */
export interface Tick {
  line: string;
  label: string;
  met: boolean;
  feedback?: string;
}

/**
 * Whether a tick was made on this line as it reads now. A criterion's key is the digest of its text, so the key
 * says it; a Definition of Done line keeps its id when its text is edited, so its tick must also carry its text.
 */
export function tickApplies(tick: Pick<Tick, 'line' | 'label'>, line: ReviewLine): boolean {
  return tick.line === line.key && (line.kind === 'criterion' || tick.label === line.label);
}

export interface CheckedLine extends ReviewLine {
  met: boolean | null;
  feedback: string;
  /** not ticked because the criterion it replaces was ticked in other words before the change */
  changedSinceTicked: boolean;
}

/** A tick made on a line that has since been edited or removed: it counts for nothing but a refusal. */
export interface OutdatedTick {
  line: string;
  label: string;
  met: boolean;
  /** `changed`: a line of the checklist now looks like its new wording; `removed`: nothing does */
  reason: 'changed' | 'removed';
  /** the line that replaced it, when changed */
  replacedBy: string | null;
}

export interface Checklist {
  lines: CheckedLine[];
  outdated: OutdatedTick[];
  /** the ticks that apply, by line key */
  results: Record<string, boolean>;
}

const ordinalOf = (label: string) => /^(\d+)\. /.exec(label)?.[1] ?? null;
const nameOf = (label: string) => label.replace(/^\d+\. /, '');

/**
 * The checklist as it reads now with the ticks recorded so far. Ticks that apply stay with their lines wherever
 * the lines moved; the others are outdated. An un-ticked line is flagged as changed when an outdated tick looks
 * like its earlier wording: the same Definition of Done line, or a scenario of the same name, else at the same
 * number. That pairing only explains the change to people; it never carries a tick over.
 */
export function reconcileTicks(lines: readonly ReviewLine[], ticks: readonly Tick[]): Checklist {
  const applied = new Map<string, Tick>();
  const outdated: Tick[] = [];
  for (const t of ticks) {
    const line = lines.find((l) => tickApplies(t, l));
    if (line) applied.set(line.key, t);
    else outdated.push(t);
  }
  const replacedBy = new Map<Tick, string>();
  const unticked = lines.filter((l) => !applied.has(l.key));
  const pair = (match: (t: Tick, l: ReviewLine) => boolean) => {
    for (const l of unticked) {
      if ([...replacedBy.values()].includes(l.key)) continue;
      const t = outdated.find((o) => !replacedBy.has(o) && match(o, l));
      if (t) replacedBy.set(t, l.key);
    }
  };
  pair((t, l) => l.kind === 'dod' && t.line === l.key);
  pair(
    (t, l) =>
      l.kind === 'criterion' && t.line.startsWith('criterion:') && nameOf(t.label) === nameOf(l.label),
  );
  pair(
    (t, l) =>
      l.kind === 'criterion' &&
      t.line.startsWith('criterion:') &&
      ordinalOf(t.label) !== null &&
      ordinalOf(t.label) === ordinalOf(l.label),
  );
  const changed = new Set(replacedBy.values());
  const results: Record<string, boolean> = {};
  for (const [key, t] of applied) results[key] = t.met;
  return {
    lines: lines.map((l) => {
      const t = applied.get(l.key);
      return {
        ...l,
        met: t ? t.met : null,
        feedback: t?.feedback ?? '',
        changedSinceTicked: changed.has(l.key),
      };
    }),
    outdated: outdated.map((t) => ({
      line: t.line,
      label: t.label,
      met: t.met,
      reason: replacedBy.has(t) ? 'changed' : 'removed',
      replacedBy: replacedBy.get(t) ?? null,
    })),
    results,
  };
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

/**
 * Why an accept is refused, or null when it may go ahead. Acceptance is judged on what the ticks were made on: a
 * line marked not met that was edited or removed since still blocks, until the product owner clears that tick.
 */
export function acceptRefusal(
  lines: readonly ReviewLine[],
  results: LineResults,
  outdated: readonly Pick<OutdatedTick, 'label' | 'met' | 'reason'>[] = [],
): string | null {
  const blocking = outdated.filter((t) => !t.met);
  if (blocking.length > 0) {
    return `It cannot be accepted: ${blocking
      .map((t) => `“${t.label}”`)
      .join(
        '; ',
      )} ${blocking.length === 1 ? 'was' : 'were'} marked not met and the criteria changed since (${blocking
      .map((t) => t.reason)
      .join('; ')}). Judge the checklist as it reads now and clear the outdated tick before accepting.`;
  }
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
