import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import type { AppServices } from '~/context';
import { itemDocument } from '~/domain/document-names';
import { type CriteriaError, parseCriteria } from '~/domain/gherkin';
import { type ItemTexts, normalizeCriteria, normalizeDescription, replaceItemText } from '~/domain/item-text';
import { itemFieldsSchema } from './items.server';

export interface TextProjection {
  productId: string;
  /** the columns written */
  changed: Array<keyof ItemTexts>;
  /** why the criteria were not written: they do not parse (the item keeps its last valid criteria) */
  criteriaError: CriteriaError | null;
  /** texts longer than an item may hold, not written */
  tooLong: Array<keyof ItemTexts>;
}

const fits = (field: keyof ItemTexts, text: string) => itemFieldsSchema.shape[field].safeParse(text).success;

/**
 * Writes the live text of an item back to its row: the description always, the criteria only when they parse.
 * A text that reads the same as the row once normalised is not a change (the row keeps its own form and its
 * updated_at). Text edits are not priority decisions, so nothing goes to the decision log. Null when the item
 * does not exist.
 */
export async function projectItemText(
  db: Db,
  itemId: string,
  texts: ItemTexts,
): Promise<TextProjection | null> {
  const [row] = await db
    .select({
      productId: backlogItems.productId,
      description: backlogItems.description,
      criteria: backlogItems.criteria,
    })
    .from(backlogItems)
    .where(eq(backlogItems.id, itemId));
  if (!row) return null;
  const result: TextProjection = { productId: row.productId, changed: [], criteriaError: null, tooLong: [] };
  const set: Partial<ItemTexts> = {};
  if (texts.description !== row.description && texts.description !== normalizeDescription(row.description)) {
    if (fits('description', texts.description)) set.description = texts.description;
    else result.tooLong.push('description');
  }
  if (texts.criteria !== row.criteria && texts.criteria !== normalizeCriteria(row.criteria)) {
    const parsed = parseCriteria(texts.criteria);
    if (!parsed.ok) result.criteriaError = parsed.errors[0];
    else if (fits('criteria', texts.criteria)) set.criteria = texts.criteria;
    else result.tooLong.push('criteria');
  }
  result.changed = Object.keys(set) as Array<keyof ItemTexts>;
  if (result.changed.length > 0) {
    await db
      .update(backlogItems)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(backlogItems.id, itemId));
  }
  return result;
}

/**
 * After an item's text was changed over HTTP (already in Postgres), puts the new text into the item's live
 * document, so editors see it and the document does not later write its older text back. A failure is logged
 * and never undoes the command.
 */
export async function publishItemText(
  services: Pick<AppServices, 'live' | 'log'>,
  itemId: string,
  texts: Partial<ItemTexts>,
) {
  if (texts.description === undefined && texts.criteria === undefined) return;
  try {
    await services.live.update(itemDocument(itemId), (doc) => {
      replaceItemText(doc, texts);
    });
  } catch (error) {
    services.log.warn({ event: 'live_item_text_publish_failed', itemId, err: error });
  }
}
