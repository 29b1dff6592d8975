/**
 * CSV import, shaped for Jira's CSV export: parse, suggest a column mapping, then map rows to items. Every rule
 * here reports the file line of the row at fault, because the PO fixes the file in a spreadsheet, not here.
 * Pure: the caller decides what to do with the items (nothing is imported when any row has an error).
 */
import { parse } from 'csv-parse/sync';
import { parseCriteria } from './gherkin';
import type { Moscow } from './moscow';

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`Line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

export interface ParsedCsv {
  header: string[];
  rows: string[][];
  /** 1-based file line where each row starts (a quoted field may span several lines) */
  rowLines: number[];
}

const NL = 0x0a;
const CR = 0x0d;

/** Parses the whole file; throws CsvSyntaxError naming the line of the record that could not be read. */
export function parseCsv(text: string): ParsedCsv {
  const bytes = Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8');
  // csv-parse reports where a record ends in bytes; we turn that into the line where the next one starts
  let lastEnd = 0;
  let scanned = 0;
  let line = 1;
  const startLine = (from: number) => {
    let at = from;
    while (at < bytes.length && (bytes[at] === NL || bytes[at] === CR)) at++; // skipped blank lines
    for (; scanned < at; scanned++) {
      if (bytes[scanned] === NL || (bytes[scanned] === CR && bytes[scanned + 1] !== NL)) line++;
    }
    return line;
  };
  const starts: number[] = [];
  let records: string[][];
  try {
    records = parse(bytes, {
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context: { bytes: number }) => {
        starts.push(startLine(lastEnd));
        lastEnd = context.bytes;
        return record;
      },
    });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    throw new CsvSyntaxError(
      startLine(lastEnd),
      csvReasons[code] ?? (e as Error).message.replace(/ at line \d+/, ''),
    );
  }
  // spreadsheets leave rows of bare commas behind; they are not items
  const kept = records.flatMap((r, i) => (r.some((v) => v.trim() !== '') ? [i] : []));
  if (kept.length === 0) throw new CsvSyntaxError(1, 'The file is empty: expected a header row');
  const [head, ...body] = kept;
  return {
    header: records[head].map((h) => h.trim()),
    rows: body.map((i) => records[i]),
    rowLines: body.map((i) => starts[i]),
  };
}

const csvReasons: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value starts in this row and is never closed (a missing closing ")',
  CSV_INVALID_CLOSING_QUOTE:
    'a quoted value is followed by more text before the next comma (write a quote inside a quoted value as "")',
  INVALID_OPENING_QUOTE:
    'a quote appears inside an unquoted value (quote the whole value and double inner quotes)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote before the next comma',
  CSV_MAX_RECORD_SIZE: 'this row is too large',
};

export const importTargets = [
  'title',
  'type',
  'description',
  'estimate',
  'priority',
  'parent',
  'labels',
  'criteria',
  'externalKey',
] as const;
export type ImportTarget = (typeof importTargets)[number];
/**
 * Target → column index. For labels, the index of one "Labels" column: every column with that same header is
 * read too, because Jira writes one "Labels" column per label.
 */
export type ColumnMapping = Record<ImportTarget, number | null>;

/** Header names we recognise, normalised, best first. */
const candidates: Record<ImportTarget, string[]> = {
  title: ['summary', 'title'],
  type: ['issue type', 'issuetype', 'type'],
  description: ['description'],
  estimate: ['story points', 'story point estimate', 'estimate', 'points'],
  priority: ['priority', 'moscow'],
  // Epic Name sits on the epic row itself; it is last and a self-reference is dropped when mapping
  parent: ['epic link', 'parent key', 'parent summary', 'parent', 'parent link', 'epic name'],
  labels: ['labels', 'label', 'tags'],
  criteria: ['acceptance criteria', 'acceptance criterion', 'criteria'],
  externalKey: ['issue key', 'key'],
};

/** "Custom field (Story Points)" → "story points" */
export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^custom\s*field\s*\((.*)\)$/i, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/**
 * Suggests a column per target by exact (normalised) header name. With `rows`, when several known columns fit one
 * target (Jira exports both "Story Points" and "Story point estimate"), the one with the most values wins.
 */
export function suggestMapping(header: readonly string[], rows?: readonly string[][]): ColumnMapping {
  const names = header.map(normaliseHeader);
  const filled = (i: number) => (rows ? rows.reduce((n, r) => n + ((r[i] ?? '').trim() ? 1 : 0), 0) : 0);
  const mapping = {} as ColumnMapping;
  for (const target of importTargets) {
    let best: { index: number; filled: number } | null = null;
    for (const name of candidates[target]) {
      const index = names.indexOf(name);
      if (index < 0) continue;
      const f = filled(index);
      if (!best || f > best.filled) best = { index, filled: f };
      if (!rows) break;
    }
    mapping[target] = best?.index ?? null;
  }
  return mapping;
}

export type ImportItemType = 'epic' | 'story' | 'bug' | 'tech_debt' | 'spike';

export interface ImportedItem {
  line: number;
  title: string;
  type: ImportItemType;
  description: string;
  estimate: number | null;
  moscow: Moscow | null;
  parentRef: string | null;
  labels: string[];
  criteria: string;
  externalKey: string | null;
}
export interface ImportError {
  line: number;
  reason: string;
}

const squash = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '');

/** Jira's issue types; "Task" and "Sub-task" are user-visible work here, so stories. */
const types: Record<string, ImportItemType> = {
  story: 'story',
  userstory: 'story',
  task: 'story',
  subtask: 'story',
  newfeature: 'story',
  improvement: 'story',
  bug: 'bug',
  defect: 'bug',
  epic: 'epic',
  spike: 'spike',
  technicaldebt: 'tech_debt',
  techdebt: 'tech_debt',
};

/**
 * Jira priorities, both the current scheme (Highest…Lowest) and the older one (Blocker…Trivial), plus MoSCoW words
 * for files that already carry them.
 */
const priorities: Record<string, Moscow> = {
  highest: 'must',
  blocker: 'must',
  critical: 'must',
  high: 'should',
  major: 'should',
  medium: 'could',
  minor: 'could',
  low: 'wont',
  lowest: 'wont',
  trivial: 'wont',
  must: 'must',
  musthave: 'must',
  should: 'should',
  shouldhave: 'should',
  could: 'could',
  couldhave: 'could',
  wont: 'wont',
  wonthave: 'wont',
  wonthavethistime: 'wont',
};

export const maxTitleLength = 300;
export const maxEstimate = 1000;

/**
 * Estimates are whole points (the column is an integer, poker cards are whole). A fraction such as Jira's 0.5 is
 * rounded up, never down: rounding down would make work look smaller than the team said.
 */
export function parseEstimate(raw: string): { value: number | null } | { error: string } {
  const v = raw.trim();
  if (v === '') return { value: null };
  if (!/^\d+(\.\d+)?$/.test(v)) return { error: `Estimate "${raw}" is not a non-negative number` };
  const n = Number(v);
  if (n > maxEstimate) return { error: `Estimate ${v} is above ${maxEstimate}` };
  return { value: Math.ceil(n) };
}

export const splitLabels = (values: readonly string[]) => [
  ...new Set(values.flatMap((v) => v.split(/[\s,]+/)).filter((l) => l !== '')),
];

/**
 * Maps rows to items, collecting every problem with its line. `rowLines` comes from `parseCsv`; without it rows
 * are assumed to be one line each after the header.
 */
export function mapRows(
  header: readonly string[],
  rows: readonly string[][],
  mapping: ColumnMapping,
  rowLines?: readonly number[],
): { items: ImportedItem[]; errors: ImportError[] } {
  const items: ImportedItem[] = [];
  const errors: ImportError[] = [];
  for (const target of importTargets) {
    const i = mapping[target];
    if (i !== null && (!Number.isInteger(i) || i < 0 || i >= header.length)) {
      errors.push({
        line: 1,
        reason: `The ${target} mapping points at column ${i}, which the file does not have`,
      });
    }
  }
  if (mapping.title === null)
    errors.push({ line: 1, reason: 'No column is mapped to the title (Jira: Summary)' });
  if (errors.length) return { items, errors };

  const labelName = mapping.labels === null ? null : normaliseHeader(header[mapping.labels]);
  const labelColumns =
    labelName === null ? [] : header.flatMap((h, i) => (normaliseHeader(h) === labelName ? [i] : []));
  const keys = new Map<string, number>();

  rows.forEach((row, r) => {
    const line = rowLines?.[r] ?? r + 2;
    const before = errors.length;
    const fail = (reason: string) => errors.push({ line, reason });
    const get = (i: number | null) => (i === null ? '' : (row[i] ?? ''));
    const extra = row.slice(header.length).filter((v) => v.trim() !== '').length;
    if (extra) fail(`The row has ${row.length} values but the header has ${header.length} columns`);

    const title = get(mapping.title).replace(/\s+/g, ' ').trim();
    if (!title) fail('The title (Summary) is empty');
    else if (title.length > maxTitleLength)
      fail(`The title is ${title.length} characters; at most ${maxTitleLength}`);

    const rawType = get(mapping.type).trim();
    const type: ImportItemType | undefined = rawType === '' ? 'story' : types[squash(rawType)];
    if (!type)
      fail(`Unknown issue type "${rawType}": use Story, Bug, Epic, Task, Sub-task, Spike or Technical debt`);

    const estimate = parseEstimate(get(mapping.estimate));
    if ('error' in estimate) fail(estimate.error);

    const rawPriority = get(mapping.priority).trim();
    const moscow =
      rawPriority === '' ? null : (priorities[squash(rawPriority.replace(/[’'()]/g, ''))] ?? undefined);
    if (moscow === undefined) {
      fail(
        `Unknown priority "${rawPriority}": use Highest, High, Medium, Low, Lowest (or leave the column unmapped)`,
      );
    }

    const criteria = get(mapping.criteria).trim();
    if (criteria) {
      const parsed = parseCriteria(criteria);
      if (!parsed.ok) {
        const e = parsed.errors[0];
        fail(
          `The acceptance criteria are not valid Gherkin (line ${e.line ?? '?'} of the criteria: ${e.message})`,
        );
      }
    }

    const externalKey = get(mapping.externalKey).trim() || null;
    if (externalKey) {
      const seen = keys.get(externalKey);
      if (seen !== undefined) fail(`Issue key ${externalKey} appears twice (also on line ${seen})`);
      else keys.set(externalKey, line);
    }

    // an item cannot be its own parent; Jira's Epic Name on an epic row names the epic itself
    let parentRef: string | null = get(mapping.parent).trim() || null;
    if (parentRef !== null && (parentRef === externalKey || parentRef === title)) parentRef = null;

    if (errors.length > before) return; // a row with any error yields no item
    items.push({
      line,
      title,
      type: type!,
      description: get(mapping.description).trim(),
      estimate: 'value' in estimate ? estimate.value : null,
      moscow: moscow ?? null,
      parentRef,
      labels: splitLabels(labelColumns.map((i) => row[i] ?? '')),
      criteria,
      externalKey,
    });
  });
  return { items, errors };
}
