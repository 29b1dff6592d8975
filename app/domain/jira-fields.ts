/**
 * Jira's fields as the sync sees them: which custom fields hold a product's data (detected once, shown as a
 * preview, then saved as its FieldMap), a REST issue read into a TrackerIssue, and the `fields` of a PUT /issue
 * for changes made in Refinery. Pure; the connector does the requests. Issue 16.
 */
import { z } from 'zod';
import { adfToCriteria, adfToText, criteriaToAdf, textToAdf } from './adf';
import { joinCriteria, splitCriteria } from './criteria-section';
import { normalDescriptionText } from './description-blocks';
import { textToWiki, wikiToText } from './jira-wiki';
import type {
  FieldMap,
  ItemKind,
  StatusCategory,
  SyncedValues,
  TrackerField,
  TrackerIssue,
  TrackerKind,
} from './tracker';

/** The description format of a site's REST API: ADF for Cloud's v3, wiki markup for Data Center's v2. */
export type JiraTextFormat = 'adf' | 'wiki';

export const defaultCriteriaHeading = 'Acceptance criteria';

const schemas = {
  float: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
  storyPointEstimate: 'com.pyxis.greenhopper.jira:jsw-story-points',
  textarea: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
  textfield: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
  epicLink: 'com.pyxis.greenhopper.jira:gh-epic-link',
  rank: 'com.pyxis.greenhopper.jira:gh-lexo-rank',
};

// ---- the field map -------------------------------------------------------------------------------------

export interface FieldCandidates {
  storyPoints: TrackerField[];
  criteria: TrackerField[];
  epicLink: TrackerField[];
  rank: TrackerField[];
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** Known story point field names, best first: Data Center's and classic Cloud's, then Cloud's newer one. */
const storyPointNames = ['story points', 'story point estimate', 'story point', 'storypoints'];
const numericSchemas = new Set([schemas.float, schemas.storyPointEstimate, 'number']);

function storyPointRank(field: TrackerField): number | null {
  const known = storyPointNames.indexOf(nameKey(field.name));
  if (known >= 0 && (field.schema === null || numericSchemas.has(field.schema))) return known;
  if (field.schema === schemas.storyPointEstimate) return storyPointNames.length;
  if (field.schema === schemas.float && /point/i.test(field.name)) return storyPointNames.length + 1;
  return null;
}

const criteriaName = (name: string) =>
  /acceptance[\s_-]*criteri/i.test(name) || /^a\.?\s?c\.?$/i.test(name.trim());
const textSchemas = [schemas.textarea, schemas.textfield];

/** Fields ranked by `rank` (null: not a candidate), best first; ties keep Jira's order. */
function ranked(fields: TrackerField[], rank: (field: TrackerField) => number | null): TrackerField[] {
  return fields
    .map((field, index) => ({ field, index, rank: rank(field) }))
    .filter((c): c is { field: TrackerField; index: number; rank: number } => c.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((c) => c.field);
}

/**
 * Detects where a site keeps a product's data, from its field list (GET /field), and lists every candidate so
 * the preview can offer another. Rules:
 * - story points: a field named "Story Points", "Story point estimate" (or "Story point(s)") with a numeric
 *   schema, in that order; then Cloud's jsw-story-points field; then any float field with "point" in its name;
 * - criteria: a text or textarea custom field named like "Acceptance criteria" (or "AC"), textarea first;
 *   with none, a description section headed "Acceptance criteria";
 * - epic link: the gh-epic-link field, except on Jira Cloud (`kind` 'jira_cloud'), where `parent` carries the
 *   epic and the old Epic Link field can no longer be written (it stays in the candidates);
 * - rank: the gh-lexo-rank field, the one named "Rank" first.
 */
export function detectFieldMap(
  fields: TrackerField[],
  kind?: TrackerKind,
): { map: FieldMap; candidates: FieldCandidates } {
  const candidates: FieldCandidates = {
    storyPoints: ranked(fields, storyPointRank),
    criteria: ranked(fields, (f) =>
      criteriaName(f.name) && f.schema !== null && textSchemas.includes(f.schema)
        ? textSchemas.indexOf(f.schema)
        : null,
    ),
    epicLink: ranked(fields, (f) => (f.schema === schemas.epicLink ? 0 : null)),
    rank: ranked(fields, (f) => (f.schema === schemas.rank ? (nameKey(f.name) === 'rank' ? 0 : 1) : null)),
  };
  return {
    map: {
      storyPoints: candidates.storyPoints[0]?.id ?? null,
      criteria: candidates.criteria[0]
        ? { kind: 'field', fieldId: candidates.criteria[0].id }
        : { kind: 'description-section', heading: defaultCriteriaHeading },
      epicLink: kind === 'jira_cloud' ? null : (candidates.epicLink[0]?.id ?? null),
      rank: candidates.rank[0]?.id ?? null,
    },
    candidates,
  };
}

// ---- an issue from Jira --------------------------------------------------------------------------------

const typeNames: Array<[RegExp, ItemKind]> = [
  [/^epic$/, 'epic'],
  [/^(bug|defect)$/, 'bug'],
  [/^(spike|research)$/, 'spike'],
  [/^(tech(nical)?[\s_-]*debt|chore|refactor(ing)?)$/, 'tech_debt'],
];

/**
 * The item kind for an issue type: Epic (or any type at Jira's epic level) → epic; Bug, Defect → bug; Spike,
 * Research → spike; Tech debt, Technical debt, Chore, Refactoring → tech_debt; everything else (Story, Task,
 * Sub-task, Improvement, a type of the site's own) → story. Names compare case-insensitively.
 */
export function itemKindFor(typeName: string, hierarchyLevel?: number | null): ItemKind {
  const key = nameKey(typeName);
  for (const [pattern, kind] of typeNames) if (pattern.test(key)) return kind;
  return hierarchyLevel === 1 ? 'epic' : 'story';
}

/** Jira's status category keys; "undefined" (No Category) and anything unknown count as not started. */
function statusCategory(key: string): StatusCategory {
  return key === 'indeterminate' || key === 'done' ? key : 'new';
}

const named = z.object({ name: z.string() });

const issueSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/i, 'expected an issue key like PROJ-12'),
  fields: z.looseObject({
    summary: z.string(),
    description: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
    issuetype: z.object({
      name: z.string(),
      subtask: z.boolean().optional(),
      hierarchyLevel: z.number().nullish(),
    }),
    parent: z.object({ key: z.string() }).nullish(),
    labels: z.array(z.string()).nullish(),
    priority: named.nullish(),
    status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }) }),
    updated: z.string().min(1),
  }),
});

function problems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(issue)'}: ${issue.message}`).join('; ');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A story point value: a number, a numeric string, or a select option's numeric value; null when unset. */
function storyPointsOf(value: unknown, key: string, fieldId: string): number | null {
  if (value === null || value === undefined) return null;
  const raw = isRecord(value) ? value.value : value;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return null;
    const number = Number(raw.trim());
    if (Number.isFinite(number)) return number;
  }
  throw new Error(
    `Jira issue ${key}: the story points field ${fieldId} holds ${JSON.stringify(value)}, not a number`,
  );
}

/** A criteria field's value as Gherkin source: ADF read line by line; a string as it is, a wrapping {code} taken off. */
function criteriaOf(value: unknown, key: string, fieldId: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const source = value.split(/\r\n|\r|\n/).join('\n');
    const wrapped = /^\s*\{(code|noformat)(?::[^}]*)?\}\n?([\s\S]*?)\n?\{\1\}\s*$/.exec(source);
    return wrapped ? wrapped[2] : source;
  }
  if (isRecord(value)) return adfToCriteria(value);
  throw new Error(
    `Jira issue ${key}: the criteria field ${fieldId} holds ${JSON.stringify(value)}, not text`,
  );
}

function descriptionOf(value: unknown, format: JiraTextFormat): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return format === 'wiki' ? wikiToText(value) : normalDescriptionText(value);
  return adfToText(value);
}

/**
 * A Jira REST issue (GET /issue or a search hit, with the mapped custom fields requested) as a TrackerIssue.
 * The description is converted from ADF (format 'adf') or wiki markup ('wiki'); criteria come from the mapped
 * field, or from the description's section (the description returned then leaves that section out); the type
 * maps by itemKindFor; parentKey is `parent.key`, else the epic link field; story points are a number (a numeric
 * string is parsed). Throws an Error naming the issue key and the field when the issue is malformed, for the
 * caller to record as that issue's sync error.
 */
export function issueFromJira(
  raw: unknown,
  map: FieldMap,
  siteUrl: string,
  format: JiraTextFormat,
): TrackerIssue {
  const parsed = issueSchema.safeParse(raw);
  if (!parsed.success) {
    const key = isRecord(raw) && typeof raw.key === 'string' ? raw.key : 'without a key';
    throw new Error(`Jira issue ${key} is malformed: ${problems(parsed.error)}`);
  }
  const { id, key, fields } = parsed.data;

  let description = descriptionOf(fields.description, format);
  let criteria: string | null = null;
  if (map.criteria.kind === 'field') {
    criteria = criteriaOf(fields[map.criteria.fieldId], key, map.criteria.fieldId);
  } else if (map.criteria.kind === 'description-section') {
    ({ description, criteria } = splitCriteria(description, map.criteria.heading));
  }

  const epicLink = map.epicLink ? fields[map.epicLink] : null;
  const rank = map.rank ? fields[map.rank] : null;
  if (rank !== null && rank !== undefined && typeof rank !== 'string')
    throw new Error(
      `Jira issue ${key}: the rank field ${map.rank} holds ${JSON.stringify(rank)}, not a rank`,
    );

  return {
    id,
    key,
    url: `${siteUrl.replace(/\/+$/, '')}/browse/${key}`,
    summary: fields.summary,
    description,
    criteria,
    type: fields.issuetype.subtask
      ? 'story'
      : itemKindFor(fields.issuetype.name, fields.issuetype.hierarchyLevel),
    typeName: fields.issuetype.name,
    parentKey: fields.parent?.key ?? (typeof epicLink === 'string' && epicLink ? epicLink : null),
    storyPoints: map.storyPoints ? storyPointsOf(fields[map.storyPoints], key, map.storyPoints) : null,
    priority: fields.priority?.name ?? null,
    labels: fields.labels ?? [],
    status: { name: fields.status.name, category: statusCategory(fields.status.statusCategory.key) },
    rank: rank ?? null,
    updated: fields.updated,
  };
}

// ---- changes to Jira -----------------------------------------------------------------------------------

/** A label as Jira takes it: no spaces (Jira refuses them), so a run of whitespace becomes "_". */
export const jiraLabel = (label: string) => label.trim().replace(/\s+/g, '_');

/**
 * The `fields` object of a PUT /issue/{key} for changes made in Refinery:
 * - summary as it is; labels as an array (spaces made "_", duplicates dropped);
 * - description as ADF or wiki markup;
 * - criteria into the mapped field (ADF, a paragraph per line, or the string as it is; null clears it), or, with
 *   a description section, rejoined into the description, which is then sent whole. For that the other half
 *   must be known: `current` is the issue as issueFromJira gave it (description without the section, and
 *   criteria); when `current.criteria` is absent, `current.description` is taken as Jira's whole description
 *   (and new criteria alone replace its section where it stands).
 *   Missing, it throws rather than send a description that drops the criteria or criteria that drop the text.
 *   A new description from Refinery has no section, so the criteria then go at its end, under "## <heading>";
 *   With no criteria mapping, criteria are not sent;
 * - story points into the mapped field (not sent when none is mapped);
 * - parentKey into the epic link field when one is mapped (Data Center), else `parent: {key}`; null clears it.
 */
export function jiraFieldsFor(
  changes: Partial<SyncedValues>,
  map: FieldMap,
  format: JiraTextFormat,
  current?: { description: string; criteria?: string | null },
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const text = (value: string) => (format === 'adf' ? textToAdf(value) : textToWiki(value));

  if (changes.summary !== undefined) fields.summary = changes.summary;
  if (changes.labels !== undefined)
    fields.labels = [...new Set(changes.labels.map(jiraLabel).filter(Boolean))];

  const section = map.criteria.kind === 'description-section' ? map.criteria : null;
  if (section && (changes.description !== undefined || changes.criteria !== undefined)) {
    let description = changes.description;
    let criteria = changes.criteria;
    if (description === undefined && current && current.criteria === undefined) {
      // Jira's whole description: its section gets the criteria where it stands
      description = current.description;
    } else if (description === undefined || criteria === undefined) {
      if (!current)
        throw new Error(
          `The issue's current description is needed to send its ${description === undefined ? 'criteria' : 'description'} alone: the criteria live in its "${section.heading}" section`,
        );
      const now =
        current.criteria !== undefined
          ? { description: current.description, criteria: current.criteria }
          : splitCriteria(current.description, section.heading);
      description ??= now.description;
      if (criteria === undefined) criteria = now.criteria;
    }
    fields.description = text(joinCriteria(description, criteria ?? null, section.heading));
  } else if (changes.description !== undefined) {
    fields.description = text(changes.description);
  }

  if (map.criteria.kind === 'field' && changes.criteria !== undefined) {
    const criteria = changes.criteria;
    fields[map.criteria.fieldId] =
      criteria === null || criteria === '' ? null : format === 'adf' ? criteriaToAdf(criteria) : criteria;
  }

  if (changes.storyPoints !== undefined && map.storyPoints) fields[map.storyPoints] = changes.storyPoints;

  if (changes.parentKey !== undefined) {
    if (map.epicLink) fields[map.epicLink] = changes.parentKey;
    else fields.parent = changes.parentKey === null ? null : { key: changes.parentKey };
  }
  return fields;
}
