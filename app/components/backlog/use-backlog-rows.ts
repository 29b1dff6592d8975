import { useEffect, useMemo, useState } from 'react';
import type { BacklogRowData } from './backlog-list';
import { decodeRows, type RowTuple, rowsFromTuples } from './row-codec';

/** What the backlog page's loader sends about its rows. */
export interface BacklogRowsPage {
  /** the first rows (row-codec text): the top of the order, or of the grouped order */
  rows: string;
  /** matching items in all */
  total: number;
  points: number;
  query: { type?: string; status?: string; label?: string; epic?: string; q?: string; group: boolean };
}

export interface BacklogRows {
  /** in the order, or (grouped, while `complete` is false) the top of the grouped order */
  rows: BacklogRowData[];
  total: number;
  points: number;
  /** every matching row is in `rows` */
  complete: boolean;
  /** `rows` are those of the latest page data (false while a reload's rows are still on their way) */
  settled: boolean;
  /** the rest could not be fetched */
  error: string | null;
}

/** Rows per request after the first screen: a few requests for 10,000 items, each one short. */
export const rowsPageSize = 2500;

/** The rows endpoint's answer. */
export type RowsAnswer = { offset: number; total: number; rows: RowTuple[] };

async function fetchPage(
  productId: string,
  page: BacklogRowsPage,
  offset: number,
  signal: AbortSignal,
): Promise<RowsAnswer> {
  const params = new URLSearchParams();
  for (const key of ['type', 'status', 'label', 'epic', 'q'] as const) {
    const value = page.query[key];
    if (value) params.set(key, value);
  }
  params.set('offset', String(offset));
  params.set('limit', String(rowsPageSize));
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`/products/${productId}/backlog-rows?${params}`, {
        signal,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`rows: ${response.status}`);
      return (await response.json()) as RowsAnswer;
    } catch (error) {
      if (signal.aborted || attempt >= 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
}

/**
 * Rows read in several requests fit together unless the order changed in between: then an id shows twice or
 * goes missing, or the places stop rising. (Any change is also announced on the live channel, which reloads.)
 */
function fitsTogether(rows: readonly BacklogRowData[], total: number): boolean {
  if (rows.length !== total || new Set(rows.map((r) => r.id)).size !== total) return false;
  let last = 0;
  for (const row of rows) {
    if (row.position === null) continue;
    if (row.position <= last) return false;
    last = row.position;
  }
  return true;
}

/** Every matching row: after the first screen's rows, page by page in the order. */
export async function fetchRest(
  page: BacklogRowsPage,
  first: readonly BacklogRowData[],
  readPage: (offset: number) => Promise<RowsAnswer>,
) {
  let rows: BacklogRowData[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    // Grouped, the first rows are not the top of the order; after a mismatch, one read from the top.
    const start = page.query.group || attempt > 0 ? 0 : first.length;
    rows = first.slice(0, start);
    let total = page.total;
    let offset = start;
    while (offset < total) {
      const answer = await readPage(offset);
      rows.push(...rowsFromTuples(answer.rows));
      total = answer.total;
      if (answer.rows.length === 0) break;
      offset += answer.rows.length;
    }
    if (fitsTogether(rows, total)) return rows;
  }
  // Still moving after three tries: show each item once; the live channel's reload follows.
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

const sameView = (a: BacklogRowsPage['query'], b: BacklogRowsPage['query']) =>
  a.type === b.type &&
  a.status === b.status &&
  a.label === b.label &&
  a.epic === b.epic &&
  a.q === b.q &&
  a.group === b.group;

const pointsOf = (rows: readonly BacklogRowData[]) => rows.reduce((sum, r) => sum + (r.estimate ?? 0), 0);

/**
 * The backlog list's rows: the first screen from the page data at once, then the rest from the rows endpoint.
 * After a reload (a move, a live change) the rows on screen stay until the new ones are complete, so the list
 * never shrinks back to its first screen under the reader's eyes; a new filter shows its first screen at once.
 */
export function useBacklogRows(productId: string, page: BacklogRowsPage): BacklogRows {
  const first = useMemo(() => decodeRows(page.rows), [page.rows]);
  const [full, setFull] = useState<{ page: BacklogRowsPage; rows: BacklogRowData[] } | null>(null);
  const [error, setError] = useState<{ page: BacklogRowsPage; message: string } | null>(null);
  const partial = first.length < page.total;

  useEffect(() => {
    if (!partial) return;
    const controller = new AbortController();
    fetchRest(page, first, (offset) => fetchPage(productId, page, offset, controller.signal)).then(
      (rows) => setFull({ page, rows }),
      () => {
        if (!controller.signal.aborted)
          setError({
            page,
            message: `Only the first ${first.length} of ${page.total} items could be loaded. Reload the page to see them all.`,
          });
      },
    );
    return () => controller.abort();
  }, [productId, page, first, partial]);

  if (!partial)
    return {
      rows: first,
      total: first.length,
      points: pointsOf(first),
      complete: true,
      settled: true,
      error: null,
    };
  const failed = error?.page === page ? error.message : null;
  if (full && (full.page === page || sameView(full.page.query, page.query))) {
    return {
      rows: full.rows,
      total: full.rows.length,
      points: pointsOf(full.rows),
      complete: true,
      settled: full.page === page,
      error: failed,
    };
  }
  return {
    rows: first,
    total: page.total,
    points: page.points,
    complete: false,
    settled: false,
    error: failed,
  };
}
