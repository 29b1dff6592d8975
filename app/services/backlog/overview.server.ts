import { and, asc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { orderWarnings, unresolvedDependencyCount } from '~/domain/dependencies';
import { evaluateReadiness } from '~/domain/readiness';
import { authorize } from '~/services/products.server';
import { threeAmigosHeld } from '~/services/sessions/three-amigos.server';
import { type Db, rowsOf } from '../../../db/client';
import { backlogItems, memberships, products } from '../../../db/schema';
import { dependenciesOf } from './dependencies.server';
import type { ListFilter } from './items.server';

/** Blockers in these states no longer block (archived ones are out of the order and out of the way). */
const resolvedStatuses = new Set(['done', 'accepted', 'archived']);

export interface BacklogViewRow {
  id: string;
  type: 'epic' | 'story' | 'bug' | 'tech_debt' | 'spike';
  title: string;
  status: 'new' | 'refined' | 'ready' | 'in_sprint' | 'done' | 'accepted' | 'rejected' | 'archived';
  estimate: number | null;
  wsjf: number | null;
  moscow: 'must' | 'should' | 'could' | 'wont' | null;
  labels: string[];
  parentId: string | null;
  /** 1-based place in the whole (unfiltered) order; null for archived items */
  position: number | null;
  /** Definition of Ready: checked lines of the product's current checklist */
  dorMet: number;
  dorTotal: number;
  /** blockers not finished yet */
  openBlockers: number;
  /** positions (in the whole order) of blockers that sit below this item: building it first is not possible */
  blockersBelow: number[];
  /** the item's key in Jira (a linked or imported issue), or null */
  externalKey: string | null;
  /** a three amigos session on it ended in a shared understanding (issue 18) */
  threeAmigos?: boolean;
}

type Tuple = [
  string,
  BacklogViewRow['type'],
  string,
  BacklogViewRow['status'],
  number | null,
  number | null,
  BacklogViewRow['moscow'],
  string[] | null,
  string | null,
  number | null,
  Record<string, boolean> | null,
  string | null,
];

/** The raw rows of drivers differ (PGlite: { rows }, postgres.js: an array). */

/** The selected columns of the view, in tuple order (see Tuple). */
const tupleOf = (b: string) =>
  sql.raw(
    `json_build_array(${['id', 'type', 'title', 'status', 'estimate', 'wsjf', 'moscow', 'labels', 'parent_id', 'position', 'ready_checks', 'external_key'].map((c) => `${b}.${c}`).join(', ')})`,
  );

/** The whole order, unfiltered: the page's default view and the only one that can skip numbering every item. */
const isWholeOrder = (filter: ListFilter) =>
  !filter.status && !filter.type && !filter.label && !filter.epicId && !filter.q;

/**
 * The backlog page's rows: the same filters and positions as listItems, plus Definition of Ready progress and
 * dependency warnings, with the number of matching items and their estimated points. Built for 10,000 items:
 * the rows leave the database as one JSON text (decoding ten columns of ten thousand rows one by one costs several
 * times more, measured on PGlite), and warnings look only at the ends of "blocked by" links, so a filter never
 * hides a warning's cause.
 */
export async function backlogView(
  db: Db,
  productId: string,
  userId: string,
  filter: ListFilter,
): Promise<{ rows: BacklogViewRow[]; total: number; points: number }> {
  await authorize(db, productId, userId, 'product.view');
  const conditions = [filter.status ? sql`b.status = ${filter.status}` : sql`b.status <> 'archived'`];
  if (filter.type) conditions.push(sql`b.type = ${filter.type}`);
  if (filter.label) conditions.push(sql`${filter.label} = any(b.labels)`);
  if (filter.epicId) conditions.push(sql`(b.parent_id = ${filter.epicId} or b.id = ${filter.epicId})`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(b.title ilike ${pattern} or b.description ilike ${pattern})`);
  }
  const ordered = sql`select id, (row_number() over (order by rank))::int as position from backlog_items where product_id = ${productId} and status <> 'archived'`;
  const listing = isWholeOrder(filter)
    ? // A page of the whole order is a range of the (product, rank) index: its positions follow from the offset,
      // so a first screen does not number (or even read) the items below it.
      sql`
      with page as (
        select id, type, title, status, estimate, wsjf, moscow, labels, parent_id, ready_checks, rank, external_key
        from backlog_items where product_id = ${productId} and status <> 'archived'
        order by rank offset ${filter.offset} limit ${filter.limit}
      ),
      numbered as (select p.*, (${filter.offset}::int + row_number() over (order by p.rank))::int as position from page p)
      select (select coalesce(json_agg(${tupleOf('b')} order by b.rank), '[]')::text from numbered b) as rows,
             count(*)::int as total, coalesce(sum(estimate), 0)::int as points
      from backlog_items where product_id = ${productId} and status <> 'archived'`
    : // One scan: positions are numbered over the whole order first, then the filters pick rows out of it.
      sql`
      with ranked as (
        select id, type, title, description, status, estimate, wsjf, moscow, labels, parent_id, ready_checks, rank, external_key,
               case when status <> 'archived' then (row_number() over (partition by status = 'archived' order by rank))::int end as position
        from backlog_items where product_id = ${productId}
      ),
      matched as (select b.* from ranked b where ${sql.join(conditions, sql` and `)}),
      picked as (select * from matched order by rank offset ${filter.offset} limit ${filter.limit})
      select (select coalesce(json_agg(${tupleOf('b')} order by b.rank), '[]')::text from picked b) as rows,
             count(*)::int as total, coalesce(sum(estimate), 0)::int as points
      from matched`;
  const [[product], edges, listed] = await Promise.all([
    db.select({ dor: products.definitionOfReady }).from(products).where(eq(products.id, productId)),
    dependenciesOf(db, productId),
    db.execute(listing),
  ]);
  const [result] = rowsOf<{ rows: string; total: number; points: number }>(listed);
  const tuples = JSON.parse(result.rows) as Tuple[];

  // Positions of the links' ends only: enough to tell which item sits above its blocker.
  const links = edges.map((e) => ({ from: e.itemId, to: e.blockedById }));
  const resolved = new Set(
    edges.filter((e) => resolvedStatuses.has(e.blockerStatus)).map((e) => e.blockedById),
  );
  const ends = [...new Set(links.flatMap((l) => [l.from, l.to]))];
  const endPositions =
    ends.length === 0
      ? []
      : rowsOf<{ id: string; position: number }>(
          await db.execute(
            sql`with ordered as (${ordered}) select id, position from ordered where id in (${sql.join(
              ends.map((id) => sql`${id}`),
              sql`, `,
            )}) order by position`,
          ),
        );
  const positionOf = new Map(endPositions.map((r) => [r.id, r.position]));
  const below = new Map<string, number[]>();
  for (const w of orderWarnings(
    endPositions.map((r) => r.id),
    links,
    resolved,
  )) {
    const list = below.get(w.itemId) ?? [];
    list.push(positionOf.get(w.blockedBy)!);
    below.set(w.itemId, list);
  }
  const blocked = new Set(links.map((l) => l.from));
  const checklist = product?.dor ?? [];
  const rows = tuples.map(
    ([
      id,
      type,
      title,
      status,
      estimate,
      wsjf,
      moscow,
      labels,
      parentId,
      position,
      readyChecks,
      externalKey,
    ]): BacklogViewRow => {
      const readiness = evaluateReadiness({
        checklist,
        checked: readyChecks ?? {},
        unresolvedDependencies: 0,
      });
      return {
        id,
        type,
        title,
        status,
        estimate,
        wsjf,
        moscow,
        labels: labels ?? [],
        parentId,
        position,
        dorMet: readiness.met,
        dorTotal: readiness.total,
        openBlockers: blocked.has(id) ? unresolvedDependencyCount(id, links, resolved) : 0,
        blockersBelow: below.get(id) ?? [],
        externalKey: externalKey ?? null,
      };
    },
  );
  const held = await threeAmigosHeld(
    db,
    rows.map((r) => r.id),
  );
  for (const row of rows) if (held.has(row.id)) row.threeAmigos = true;
  return { rows, total: result.total, points: result.points };
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
  if (unique.length === 0)
    return new Map<string, { id: string; title: string; status: string; productId: string }>();
  const rows = await db
    .select({
      id: backlogItems.id,
      title: backlogItems.title,
      status: backlogItems.status,
      productId: backlogItems.productId,
    })
    .from(backlogItems)
    .innerJoin(
      memberships,
      and(eq(memberships.productId, backlogItems.productId), eq(memberships.userId, userId)),
    )
    .where(inArray(backlogItems.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** An item's 1-based place in its product's order, or null when it is archived (out of the order). */
export async function positionInOrder(
  db: Db,
  item: { productId: string; rank: string; status: string },
): Promise<number | null> {
  if (item.status === 'archived') return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, item.productId),
        ne(backlogItems.status, 'archived'),
        lt(backlogItems.rank, item.rank),
      ),
    );
  return row.n + 1;
}
