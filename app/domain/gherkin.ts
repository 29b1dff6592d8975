/**
 * Acceptance criteria are Gherkin, parsed by Cucumber's own parser (never a home-made one) so what we accept is
 * exactly what Cucumber runs. Each scenario becomes one criterion, a checkbox at review.
 *
 * An item's criteria may omit the `Feature:` line (the item itself is the feature): we then parse as if a
 * `Feature:` line stood right after the optional `# language:` line, and map every line number back.
 */
import { AstBuilder, type Dialect, dialects, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import * as messages from '@cucumber/messages';

export type StepKeywordType = 'context' | 'action' | 'outcome' | 'conjunction' | 'unknown';

export interface CriteriaStep {
  /** trimmed, as written ("Given", "Étant donné", "*") */
  keyword: string;
  keywordType: StepKeywordType;
  text: string;
  line: number;
  docString?: { content: string; mediaType: string | null; delimiter: string };
  dataTable?: string[][];
}
export interface CriteriaBackground {
  keyword: string;
  name: string;
  line: number;
  steps: CriteriaStep[];
}
export interface CriteriaExamples {
  keyword: string;
  name: string;
  tags: string[];
  line: number;
  header: string[];
  rows: string[][];
}
export interface CriteriaScenario {
  /** position among all scenarios of the document, rules included: the criterion's number */
  index: number;
  name: string;
  keyword: string;
  tags: string[];
  line: number;
  description: string;
  /** the Rule the scenario sits in, if any */
  rule: string | null;
  ruleIndex: number | null;
  steps: CriteriaStep[];
  examples: CriteriaExamples[];
}
export interface CriteriaRule {
  keyword: string;
  name: string;
  tags: string[];
  line: number;
  description: string;
  background?: CriteriaBackground;
}
export interface CriteriaFeature {
  keyword: string;
  name: string;
  language: string;
  tags: string[];
  description: string;
  /** false when the source had no `Feature:` line and one was assumed */
  hasFeatureLine: boolean;
  background?: CriteriaBackground;
  rules: CriteriaRule[];
}
export interface CriteriaError {
  line: number | null;
  column: number | null;
  message: string;
}
export type ParsedCriteria =
  | { ok: true; feature: CriteriaFeature; scenarios: CriteriaScenario[] }
  | { ok: false; errors: CriteriaError[] };

const LANGUAGE_LINE = /^\s*#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$/; // the parser's own pattern
const splitLines = (source: string) => source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);

interface Layout {
  lines: string[];
  language: string;
  dialect: Dialect | undefined;
  /** index at which a `Feature:` line is assumed, or null when the source has its own (or has no content) */
  insertAt: number | null;
  /** the source's first real line is a Feature line (or its language is unknown: the parser will say so) */
  ownFeature: boolean;
}

/** Finds the language and whether the first real line (after comments, blanks and tags) is a Feature line. */
function layout(source: string): Layout {
  const lines = splitLines(source);
  let language = 'en';
  let languageIndex = -1;
  let tagged = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    const lang = LANGUAGE_LINE.exec(t);
    // like the parser: only the first language line counts, and only before any tag
    if (lang && languageIndex < 0 && !tagged) {
      language = lang[1];
      languageIndex = i;
      continue;
    }
    tagged ||= t.startsWith('@');
    if (t === '' || t.startsWith('#') || t.startsWith('@')) continue;
    const dialect = dialects[language];
    // an unknown language or a real Feature line: leave the source alone, the parser reports or reads it
    if (!dialect || dialect.feature.some((k) => t.startsWith(`${k}:`)))
      return { lines, language, dialect, insertAt: null, ownFeature: true };
    return { lines, language, dialect, insertAt: languageIndex + 1, ownFeature: false };
  }
  return { lines, language, dialect: dialects[language], insertAt: null, ownFeature: false };
}

const keywordTypes: Record<string, StepKeywordType> = {
  [messages.StepKeywordType.CONTEXT]: 'context',
  [messages.StepKeywordType.ACTION]: 'action',
  [messages.StepKeywordType.OUTCOME]: 'outcome',
  [messages.StepKeywordType.CONJUNCTION]: 'conjunction',
};

const tokenNames: Record<string, string> = {
  EOF: 'the end of the text',
  Language: 'a "# language:" line',
  TagLine: 'a tag',
  FeatureLine: 'a Feature line',
  RuleLine: 'a Rule',
  BackgroundLine: 'a Background',
  ScenarioLine: 'a Scenario',
  ExamplesLine: 'Examples',
  StepLine: 'a step',
  DocStringSeparator: 'a doc string delimiter',
  TableRow: 'a table row',
  Other: 'text',
};

/** The parser's messages list grammar tokens ("#StepLine"); people read "a step". */
function humanise(raw: string): string {
  const message = raw.replace(/^\(\d+:\d+\): /, '');
  const expected = (list: string) => {
    const names = list
      .split(', ')
      .map((t) => tokenNames[t.replace('#', '')])
      .filter(Boolean);
    return names.length > 1
      ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
      : (names[0] ?? 'something else');
  };
  const unexpected = /^expected: (.*), got '(.*)'$/s.exec(message);
  if (unexpected) return `Unexpected "${unexpected[2].trim()}": expected ${expected(unexpected[1])}`;
  const eof = /^unexpected end of file, expected: (.*)$/s.exec(message);
  if (eof) return `The text ends too early: expected ${expected(eof[1])}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * "The text ends too early" from the parser names the line after the end, which an editor cannot even show.
 * Point at the cause instead: a doc string never closed, or a tag line with nothing after it.
 */
function endOfText(lines: string[]): { line: number; message: string } | null {
  let open: { delimiter: string; line: number } | null = null;
  lines.forEach((l, i) => {
    const t = l.trim();
    if (open) {
      if (t.startsWith(open.delimiter)) open = null;
    } else {
      const d = ['"""', '```'].find((s) => t.startsWith(s));
      if (d) open = { delimiter: d, line: i + 1 };
    }
  });
  const unclosed = open as { delimiter: string; line: number } | null;
  if (unclosed)
    return {
      line: unclosed.line,
      message: `This doc string is never closed: end it with a ${unclosed.delimiter} line`,
    };
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    if (t.startsWith('@'))
      return {
        line: i + 1,
        message: 'These tags are not followed by the Scenario, Examples or Rule they tag',
      };
    return null;
  }
  return null;
}

export function parseCriteria(source: string): ParsedCriteria {
  const lay = layout(source);
  const { insertAt } = lay;
  const lines = [...lay.lines];
  if (insertAt !== null) lines.splice(insertAt, 0, `${lay.dialect!.feature[0]}:`);
  // parsed line → source line; the assumed Feature line maps onto the line after it
  const at = (line: number) => (insertAt !== null && line > insertAt + 1 ? line - 1 : line);

  let doc: messages.GherkinDocument;
  try {
    const parser = new Parser(
      new AstBuilder(messages.IdGenerator.incrementing()),
      new GherkinClassicTokenMatcher('en'),
    );
    doc = parser.parse(lines.join('\n'));
  } catch (e) {
    const list = ((e as { errors?: Error[] }).errors ?? [e]) as Array<
      Error & { location?: messages.Location }
    >;
    return {
      ok: false,
      errors: list.map((err) => {
        const end = /unexpected end of file/.test(err.message) ? endOfText(lay.lines) : null;
        if (end) return { line: end.line, column: null, message: end.message };
        const line = err.location?.line ? at(err.location.line) : null;
        return { line, column: err.location?.column || null, message: humanise(err.message) };
      }),
    };
  }

  const f = doc.feature;
  if (insertAt !== null && f?.description.trim()) {
    // without a Feature line there is no place for free text: it is almost certainly a mistyped keyword
    const i = lay.lines.findIndex((l, n) => n >= insertAt && l.trim() !== '' && !l.trim().startsWith('#'));
    const text = lay.lines[i].trim();
    const hint =
      lay.language === 'en' ? '' : ` (keywords must be in "${lay.language}", as the # language: line says)`;
    const message = `Unexpected "${text}": expected a Scenario, a Background, a Rule or a tag${hint}`;
    return { ok: false, errors: [{ line: i + 1, column: lay.lines[i].indexOf(text) + 1, message }] };
  }

  const tags = (ts: readonly messages.Tag[]) => ts.map((t) => t.name);
  const step = (s: messages.Step): CriteriaStep => ({
    keyword: s.keyword.trim(),
    keywordType: keywordTypes[s.keywordType ?? ''] ?? 'unknown',
    text: s.text,
    line: at(s.location.line),
    ...(s.docString && {
      docString: {
        content: s.docString.content,
        mediaType: s.docString.mediaType || null,
        delimiter: s.docString.delimiter,
      },
    }),
    ...(s.dataTable && { dataTable: s.dataTable.rows.map((r) => r.cells.map((c) => c.value)) }),
  });
  const background = (b: messages.Background | undefined): CriteriaBackground | undefined =>
    b && { keyword: b.keyword, name: b.name, line: at(b.location.line), steps: b.steps.map(step) };

  const scenarios: CriteriaScenario[] = [];
  const rules: CriteriaRule[] = [];
  const addScenario = (s: messages.Scenario, rule: messages.Rule | null) =>
    scenarios.push({
      index: scenarios.length,
      name: s.name,
      keyword: s.keyword,
      tags: tags(s.tags),
      line: at(s.location.line),
      description: s.description,
      rule: rule ? rule.name : null,
      ruleIndex: rule ? rules.length - 1 : null,
      steps: s.steps.map(step),
      examples: s.examples.map((e) => ({
        keyword: e.keyword,
        name: e.name,
        tags: tags(e.tags),
        line: at(e.location.line),
        header: e.tableHeader?.cells.map((c) => c.value) ?? [],
        rows: e.tableBody.map((r) => r.cells.map((c) => c.value)),
      })),
    });

  for (const child of f?.children ?? []) {
    if (child.scenario) addScenario(child.scenario, null);
    if (child.rule) {
      const r = child.rule;
      rules.push({
        keyword: r.keyword,
        name: r.name,
        tags: tags(r.tags),
        line: at(r.location.line),
        description: r.description,
        background: background(r.children.find((c) => c.background)?.background),
      });
      for (const c of r.children) if (c.scenario) addScenario(c.scenario, r);
    }
  }
  return {
    ok: true,
    feature: {
      keyword: f?.keyword ?? lay.dialect?.feature[0] ?? 'Feature',
      name: insertAt === null ? (f?.name ?? '') : '',
      language: f?.language ?? lay.language,
      tags: tags(f?.tags ?? []),
      description: f?.description ?? '',
      hasFeatureLine: insertAt === null && f !== undefined,
      background: background(f?.children.find((c) => c.background)?.background),
      rules,
    },
    scenarios,
  };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The item's criteria as a `.feature` file. A source with its own Feature line is exported as written; otherwise
 * it is wrapped in `Feature: <title>` (in the source's language) with its lines indented, comments kept.
 */
export function toFeatureFile({ title, criteriaSource }: { title: string; criteriaSource: string }): string {
  const lay = layout(criteriaSource);
  const lines = [...lay.lines];
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lay.ownFeature) return `${lines.join('\n')}\n`;
  const insertAt = lay.insertAt ?? lines.length; // only comments or nothing: the header goes last
  const head = lines.slice(0, insertAt);
  const body = lines.slice(insertAt).map((l) => (l.trim() === '' ? '' : `  ${l}`));
  const feature = `${(lay.dialect ?? dialects.en).feature[0]}: ${oneLine(title)}`.trimEnd();
  return `${[...head, feature, ...(body.length ? ['', ...body] : [])].join('\n')}\n`;
}

/** A file name that is safe on every OS: ASCII slug of the title, at most 80 characters. */
export function featureFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'acceptance-criteria'}.feature`;
}

/** Names for several files in one zip: a repeated title gets -2, -3, … so no file overwrites another. */
export function featureFileNames(titles: readonly string[]): string[] {
  const used = new Set<string>();
  return titles.map((t) => {
    const base = featureFileName(t).slice(0, -'.feature'.length);
    let name = `${base}.feature`;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}.feature`;
    used.add(name);
    return name;
  });
}

// ---- combined file for an epic ----------------------------------------------------------------------------

const english = {
  feature: 'Feature',
  rule: 'Rule',
  background: 'Background',
  scenario: 'Scenario',
  outline: 'Scenario Outline',
  examples: 'Examples',
};
const englishSteps: Record<StepKeywordType, string> = {
  context: 'Given',
  action: 'When',
  outcome: 'Then',
  conjunction: 'And',
  unknown: '*',
};

const cell = (v: string) => v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n');
function table(rows: string[][], indent: string): string[] {
  const escaped = rows.map((r) => r.map(cell));
  const widths = escaped[0]?.map((_, i) => Math.max(...escaped.map((r) => r[i]?.length ?? 0))) ?? [];
  return escaped.map((r) => `${indent}| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
}
const tagLine = (tags: string[], indent: string) => (tags.length ? [`${indent}${tags.join(' ')}`] : []);
const described = (text: string, indent: string) =>
  text.trim() ? text.split('\n').map((l) => (l.trim() ? `${indent}${l.trim()}` : '')) : [];
const heading = (keyword: string, name: string, indent: string) =>
  `${indent}${keyword}:${name ? ` ${oneLine(name)}` : ''}`;

/**
 * One `.feature` file for an epic: a file holds one Feature, so each story becomes a `Rule:` with its scenarios.
 * Stories keep their own keywords when all share a language; mixed languages are written in English. A story's
 * own Rules cannot nest, so their backgrounds are folded into their scenarios and their tags onto them.
 * Comments are not carried over. Criteria that do not parse are kept as comments rather than dropped.
 */
export function combineFeatures(
  items: ReadonlyArray<{ title: string; criteriaSource: string }>,
  featureTitle = 'Acceptance criteria',
): string {
  const parsed = items.map((item) => ({ item, result: parseCriteria(item.criteriaSource) }));
  const languages = new Set(parsed.flatMap(({ result }) => (result.ok ? [result.feature.language] : [])));
  const language = languages.size === 1 ? [...languages][0] : 'en';
  const translate = languages.size > 1;
  const dialect = dialects[language];
  const out: string[] = language === 'en' ? [] : [`# language: ${language}`];
  out.push(heading(translate ? english.feature : dialect.feature[0], featureTitle, ''));

  for (const { item, result } of parsed) {
    out.push('');
    if (!result.ok) {
      const e = result.errors[0];
      out.push(
        `  # "${oneLine(item.title)}": criteria do not parse (line ${e.line ?? '?'}: ${e.message}); kept as comments`,
      );
      for (const l of splitLines(item.criteriaSource)) out.push(`  # ${l}`);
      continue;
    }
    const source = dialects[result.feature.language];
    const kw = (kind: keyof typeof english, original: string) => (translate ? english[kind] : original);
    const stepKw = (s: CriteriaStep) =>
      !translate
        ? s.keyword
        : s.keywordType === 'conjunction' && source.but.some((b) => b.trim() === s.keyword)
          ? 'But'
          : englishSteps[s.keywordType];
    const steps = (list: CriteriaStep[], indent: string) =>
      list.flatMap((s) => {
        const k = stepKw(s);
        const lines = [`${indent}${k}${/['’]$/.test(k) ? '' : ' '}${s.text}`];
        if (s.dataTable) lines.push(...table(s.dataTable, `${indent}  `));
        if (s.docString) {
          const d = s.docString.delimiter;
          lines.push(`${indent}  ${d}${s.docString.mediaType ?? ''}`);
          // only a line that starts with the delimiter would close the doc string early
          for (const l of s.docString.content.split('\n'))
            lines.push(
              l === ''
                ? ''
                : `${indent}  ${l.startsWith(d) ? d.replace(/./g, '\\$&') + l.slice(d.length) : l}`,
            );
          lines.push(`${indent}  ${d}`);
        }
        return lines;
      });
    const f = result.feature;
    out.push(...tagLine(f.tags, '  '), heading(translate ? english.rule : dialect.rule[0], item.title, '  '));
    out.push(...described(f.description, '    '));
    if (f.background) {
      out.push(
        '',
        heading(kw('background', f.background.keyword), f.background.name, '    '),
        ...steps(f.background.steps, '      '),
      );
    }
    for (const s of result.scenarios) {
      const rule = s.ruleIndex === null ? null : f.rules[s.ruleIndex];
      const outline = source.scenarioOutline.includes(s.keyword);
      out.push('', ...tagLine([...(rule?.tags ?? []), ...s.tags], '    '));
      out.push(
        heading(kw(outline ? 'outline' : 'scenario', s.keyword), s.name, '    '),
        ...described(s.description, '      '),
      );
      out.push(...steps([...(rule?.background?.steps ?? []), ...s.steps], '      '));
      for (const e of s.examples) {
        out.push('', ...tagLine(e.tags, '      '), heading(kw('examples', e.keyword), e.name, '      '));
        if (e.header.length) out.push(...table([e.header, ...e.rows], '        '));
      }
    }
  }
  return `${out.join('\n')}\n`;
}
