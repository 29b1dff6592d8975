import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { toCsv } from '~/domain/csv-write';
import type { Db } from '../../../db/client';
import { backlogItems, itemDependencies } from '../../../db/schema';
import {
  type ColumnMapping,
  CsvSyntaxError,
  type ImportError,
  type ImportedItem,
  importTargets,
  mapRows,
  parseCsv,
  suggestMapping,
} from '~/domain/csv-import';
import { AppError } from '~/domain/errors';
import { combineFeatures, featureFileName, toFeatureFile } from '~/domain/gherkin';
import { wsjfScore } from '~/domain/wsjf';
import { authorize } from '~/services/products.server';
import { recordDecisions } from './decisions.server';
import { loadItem, lockProduct, ranksAtBottom } from './items.server';

export const maxImportRows = 20_000;

const mappingSchema = z.strictObject(
  Object.fromEntries(importTargets.map((t) => [t, z.number().int().min(0).nullable().optional()])) as Record<
    (typeof importTargets)[number],
    z.ZodOptional<z.ZodNullable<z.ZodNumber>>
  >,
);

export const importSchema = z.strictObject({
  csv: z.string({ message: 'csv must be the text of a CSV file' }).min(1, 'The CSV file is empty'),
  /** target field → 0-based column; missing targets use the suggested mapping */
  mapping: mappingSchema.optional(),
});

export interface ImportPreview {
  header: string[];
  mapping: ColumnMapping;
  rows: number;
  items: ImportedItem[];
  errors: ImportError[];
}

/** Reads and maps the file, and resolves parents, without importing anything: the preview, and the import's check. */
export async function previewImport(
  db: Db,
  productId: string,
  userId: string,
  csv: string,
  mapping?: Partial<ColumnMapping>,
): Promise<ImportPreview & { links: Map<ImportedItem, ParentLink> }> {
  await authorize(db, productId, userId, 'backlog.edit');
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(csv);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    const errors = [{ line: error.line, reason: error.reason }];
    return { header: [], mapping: suggestMapping([]), rows: 0, items: [], errors, links: new Map() };
  }
  const full: ColumnMapping = { ...suggestMapping(parsed.header, parsed.rows), ...mapping };
  if (parsed.rows.length > maxImportRows) {
    const errors = [
      {
        line: 1,
        reason: `The file has ${parsed.rows.length} rows; at most ${maxImportRows} can be imported at once`,
      },
    ];
    return {
      header: parsed.header,
      mapping: full,
      rows: parsed.rows.length,
      items: [],
      errors,
      links: new Map(),
    };
  }
  const { items, errors } = mapRows(parsed.header, parsed.rows, full, parsed.rowLines);
  const epics = await db
    .select({ id: backlogItems.id, title: backlogItems.title, key: backlogItems.externalKey })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), eq(backlogItems.type, 'epic')));
  const resolved = resolveParents(items, epics);
  const all = [...errors, ...resolved.errors].sort((a, b) => a.line - b.line);
  return {
    header: parsed.header,
    mapping: full,
    rows: parsed.rows.length,
    items,
    errors: all,
    links: resolved.links,
  };
}

type ParentLink = { epic: ImportedItem } | { existingId: string };

/** Links each parent reference to an epic in the file (by key or title), else to an epic already in the backlog. */
function resolveParents(
  items: ImportedItem[],
  epics: Array<{ id: string; title: string; key: string | null }>,
) {
  const inFile = new Map<string, ImportedItem>();
  for (const item of items) {
    if (item.type !== 'epic') continue;
    inFile.set(item.title.toLowerCase(), item);
    if (item.externalKey) inFile.set(item.externalKey.toLowerCase(), item);
  }
  const existing = new Map<string, string>();
  for (const epic of epics) {
    existing.set(epic.title.toLowerCase(), epic.id);
    if (epic.key) existing.set(epic.key.toLowerCase(), epic.id);
  }
  const errors: ImportError[] = [];
  const links = new Map<ImportedItem, ParentLink>();
  for (const item of items) {
    if (!item.parentRef) continue;
    const ref = item.parentRef.toLowerCase();
    const epic = inFile.get(ref);
    if (epic === item) continue;
    const existingId = existing.get(ref);
    if (epic) links.set(item, { epic });
    else if (existingId) links.set(item, { existingId });
    else
      errors.push({
        line: item.line,
        reason: `The parent epic "${item.parentRef}" is neither in the file nor in the backlog`,
      });
  }
  return { links, errors };
}

/**
 * Imports every row at the bottom of the backlog in one transaction, or nothing: any row with an error refuses the
 * whole file with the list of lines and reasons.
 */
export async function importBacklogCsv(
  db: Db,
  productId: string,
  actorId: string,
  input: z.output<typeof importSchema>,
) {
  const preview = await previewImport(db, productId, actorId, input.csv, stripUndefined(input.mapping));
  const { errors, links } = preview;
  if (errors.length > 0) {
    throw new AppError(
      'invalid',
      `${errors.length} ${errors.length === 1 ? 'row has an error' : 'rows have errors'}; nothing was imported. Line ${errors[0].line}: ${errors[0].reason}`,
      { field: 'csv', rows: errors },
    );
  }
  if (preview.items.length === 0)
    throw new AppError('invalid', 'The file has no rows to import', { field: 'csv' });

  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const ranks = await ranksAtBottom(tx, productId, preview.items.length);
    // Ids are chosen here so children can name their epic in the same insert (one statement per 1,000 rows).
    const ids = new Map<ImportedItem, string>(preview.items.map((item) => [item, randomUUID()]));
    const parentOf = (item: ImportedItem) => {
      const link = links.get(item);
      if (!link) return null;
      return 'existingId' in link ? link.existingId : ids.get(link.epic)!;
    };
    for (let i = 0; i < preview.items.length; i += 1000) {
      await tx.insert(backlogItems).values(
        preview.items.slice(i, i + 1000).map((item, j) => ({
          id: ids.get(item)!,
          productId,
          type: item.type,
          title: item.title,
          description: item.description,
          estimate: item.estimate,
          moscow: item.moscow,
          labels: item.labels,
          criteria: item.criteria,
          externalKey: item.externalKey,
          parentId: parentOf(item),
          rank: ranks[i + j],
          createdBy: actorId,
        })),
      );
    }
    await recordDecisions(
      tx,
      preview.items.map((item) => ({
        productId,
        itemId: ids.get(item)!,
        actorId,
        kind: 'created' as const,
        after: { title: item.title, type: item.type, line: item.line },
        reason: 'Imported from CSV',
      })),
    );
    return { imported: preview.items.length, itemIds: [...ids.values()] };
  });
}

function stripUndefined(
  mapping: Record<string, number | null | undefined> | undefined,
): Partial<ColumnMapping> | undefined {
  if (!mapping) return undefined;
  return Object.fromEntries(
    Object.entries(mapping).filter(([, v]) => v !== undefined),
  ) as Partial<ColumnMapping>;
}

const exportColumns = [
  'position',
  'rank',
  'id',
  'key',
  'type',
  'title',
  'status',
  'estimate',
  'moscow',
  'userBusinessValue',
  'timeCriticality',
  'riskReduction',
  'jobSize',
  'wsjf',
  'kano',
  'labels',
  'parent',
  'blockedBy',
  'description',
  'criteria',
] as const;

/** The ordered backlog (without archived items) with rank, WSJF parts, status and criteria. */
export async function exportBacklog(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  const items = await db
    .select()
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')))
    .orderBy(asc(backlogItems.rank));
  const links = await db
    .select({ itemId: itemDependencies.itemId, blockedById: itemDependencies.blockedById })
    .from(itemDependencies)
    .innerJoin(backlogItems, eq(backlogItems.id, itemDependencies.itemId))
    .where(eq(backlogItems.productId, productId));
  const blockers = new Map<string, string[]>();
  for (const link of links)
    blockers.set(link.itemId, [...(blockers.get(link.itemId) ?? []), link.blockedById]);
  const titles = new Map(items.map((i) => [i.id, i.title]));
  return items.map((item, index) => ({
    position: index + 1,
    rank: item.rank,
    id: item.id,
    key: item.externalKey,
    type: item.type,
    title: item.title,
    status: item.status,
    estimate: item.estimate,
    moscow: item.moscow,
    userBusinessValue: item.userBusinessValue,
    timeCriticality: item.timeCriticality,
    riskReduction: item.riskReduction,
    jobSize: item.jobSize,
    wsjf: item.wsjf ?? wsjfScore(item),
    kano: item.kano,
    labels: item.labels,
    parent: item.parentId ? (titles.get(item.parentId) ?? item.parentId) : null,
    blockedBy: blockers.get(item.id) ?? [],
    description: item.description,
    criteria: item.criteria,
  }));
}

/** CSV text of an export. Cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function exportToCsv(rows: Awaited<ReturnType<typeof exportBacklog>>): string {
  return toCsv(
    exportColumns,
    rows.map((row) => exportColumns.map((c) => row[c])),
  );
}

/** An item's criteria as a .feature file; for an epic, its stories' criteria combined into one file. */
export async function featureFile(
  db: Db,
  itemId: string,
  userId: string,
): Promise<{ fileName: string; text: string }> {
  const item = await loadItem(db, itemId);
  await authorize(db, item.productId, userId, 'product.view');
  if (item.type !== 'epic')
    return {
      fileName: featureFileName(item.title),
      text: toFeatureFile({ title: item.title, criteriaSource: item.criteria }),
    };
  const children = await db
    .select({ title: backlogItems.title, criteria: backlogItems.criteria })
    .from(backlogItems)
    .where(and(eq(backlogItems.parentId, item.id), ne(backlogItems.status, 'archived')))
    .orderBy(asc(backlogItems.rank));
  const withCriteria = children.filter((c) => c.criteria.trim() !== '');
  if (withCriteria.length === 0)
    throw new AppError('not_found', 'No story of this epic has acceptance criteria yet');
  return {
    fileName: featureFileName(item.title),
    text: combineFeatures(
      withCriteria.map((c) => ({ title: c.title, criteriaSource: c.criteria })),
      item.title,
    ),
  };
}
