import { and, asc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems, memberships, products } from '../../../db/schema';
import { orderWarnings, unresolvedDependencyCount } from '../../domain/dependencies';
import { evaluateReadiness } from '../../domain/readiness';
import { authorize } from '../products.server';
import { dependenciesOf } from './dependencies.server';

/** Blockers in these states no longer block (archived ones are out of the order and out of the way). */
const resolvedStatuses = new Set(['done', 'accepted', 'archived']);

export interface ItemHealth {
  /** Definition of Ready: checked lines of the product's current checklist */
  dorMet: number;
  dorTotal: number;
  /** blockers not finished yet */
  openBlockers: number;
  /** positions (in the whole order) of blockers that sit below this item: building it first is not possible */
  blockersBelow: number[];
}

/**
 * What the backlog page shows beside each row: Definition of Ready progress and dependency warnings. Computed
 * over the whole order (not only the filtered rows), so a filter never hides a warning's cause.
 */
export async function backlogHealth(db: Db, productId: string, userId: string): Promise<Map<string, ItemHealth>> {
  await authorize(db, productId, userId, 'product.view');
  const [[product], order, edges] = await Promise.all([
    db.select({ dor: products.definitionOfReady }).from(products).where(eq(products.id, productId)),
    db
      .select({ id: backlogItems.id, readyChecks: backlogItems.readyChecks })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')))
      .orderBy(asc(backlogItems.rank)),
    dependenciesOf(db, productId),
  ]);
  const links = edges.map((e) => ({ from: e.itemId, to: e.blockedById }));
  const resolved = new Set(edges.filter((e) => resolvedStatuses.has(e.blockerStatus)).map((e) => e.blockedById));
  const position = new Map(order.map((row, index) => [row.id, index + 1]));
  const warnings = new Map<string, number[]>();
  for (const w of orderWarnings(
    order.map((r) => r.id),
    links,
    resolved,
  )) {
    const list = warnings.get(w.itemId) ?? [];
    list.push(position.get(w.blockedBy)!);
    warnings.set(w.itemId, list);
  }
  const blocked = new Set(links.map((l) => l.from));
  const health = new Map<string, ItemHealth>();
  for (const row of order) {
    const readiness = evaluateReadiness({ checklist: product?.dor ?? [], checked: row.readyChecks, unresolvedDependencies: 0 });
    health.set(row.id, {
      dorMet: readiness.met,
      dorTotal: readiness.total,
      openBlockers: blocked.has(row.id) ? unresolvedDependencyCount(row.id, links, resolved) : 0,
      blockersBelow: warnings.get(row.id) ?? [],
    });
  }
  return health;
}

/** The product's epics in backlog order (archived ones too, marked), for filters, grouping and parent choice. */
export async function listEpics(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  return db
    .select({ id: backlogItems.id, title: backlogItems.title, status: backlogItems.status })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), eq(backlogItems.type, 'epic')))
    .orderBy(asc(backlogItems.rank));
}

/** Every label in use in the product, alphabetically (for the label filter). */
export async function listLabels(db: Db, productId: string, userId: string): Promise<string[]> {
  await authorize(db, productId, userId, 'product.view');
  const rows = await db
    .selectDistinct({ label: sql<string>`unnest(${backlogItems.labels})` })
    .from(backlogItems)
    .where(eq(backlogItems.productId, productId));
  return rows.map((r) => r.label).sort((a, b) => a.localeCompare(b));
}

/** Titles, types and statuses of items by id (e.g. the items named in a decision log page). Only this product's. */
export async function itemTitles(db: Db, productId: string, userId: string, ids: string[]) {
  await authorize(db, productId, userId, 'product.view');
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, { title: string; status: string }>();
  const rows = await db
    .select({ id: backlogItems.id, title: backlogItems.title, status: backlogItems.status })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, unique)));
  return new Map(rows.map((r) => [r.id, { title: r.title, status: r.status }]));
}

/**
 * Items by id that the user may see (in any product they are a member of): dependencies can cross products, and
 * the item page names the blockers of other products too.
 */
export async function visibleItems(db: Db, userId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, { id: string; title: string; status: string; productId: string }>();
  const rows = await db
    .select({ id: backlogItems.id, title: backlogItems.title, status: backlogItems.status, productId: backlogItems.productId })
    .from(backlogItems)
    .innerJoin(memberships, and(eq(memberships.productId, backlogItems.productId), eq(memberships.userId, userId)))
    .where(inArray(backlogItems.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** An item's 1-based place in its product's order, or null when it is archived (out of the order). */
export async function positionInOrder(db: Db, item: { productId: string; rank: string; status: string }): Promise<number | null> {
  if (item.status === 'archived') return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, item.productId), ne(backlogItems.status, 'archived'), lt(backlogItems.rank, item.rank)));
  return row.n + 1;
}
