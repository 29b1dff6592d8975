import { describe, expect, it } from 'vitest';
import type { BacklogRowData } from './backlog-list';
import { encodeRows, type RowTuple } from './row-codec';
import { type BacklogRowsPage, fetchRest, type RowsAnswer, rowsPageSize } from './use-backlog-rows';

// The list's rows after the first screen: fetched page by page, and read again from the top when the order
// changed between two requests (a duplicate or a missing item must never reach the list).

const row = (n: number): BacklogRowData => ({
  id: `id-${n}`,
  type: 'story',
  title: `Item ${n}`,
  status: 'new',
  estimate: 1,
  wsjf: null,
  moscow: null,
  labels: [],
  parentId: null,
  position: n,
  dorMet: 0,
  dorTotal: 0,
  openBlockers: 0,
  blockersBelow: [],
});
const order = (ids: number[]) => ids.map((id, i) => ({ ...row(id), position: i + 1 }));
const tuples = (rows: BacklogRowData[]) => JSON.parse(encodeRows(rows)) as RowTuple[];
const pageOf = (
  rows: BacklogRowData[],
  first: number,
  query: Partial<BacklogRowsPage['query']> = {},
): BacklogRowsPage => ({
  rows: encodeRows(rows.slice(0, first)),
  total: rows.length,
  points: rows.length,
  query: { group: false, ...query },
});
const serve =
  (current: () => BacklogRowData[], asked: number[]) =>
  async (offset: number): Promise<RowsAnswer> => {
    asked.push(offset);
    const rows = current();
    return { offset, total: rows.length, rows: tuples(rows.slice(offset, offset + rowsPageSize)) };
  };

describe('fetching the backlog after its first screen', () => {
  const all = order(Array.from({ length: 6000 }, (_, i) => i + 1));

  it('asks for the pages after the first screen and puts them behind it', async () => {
    const asked: number[] = [];
    const page = pageOf(all, 200);
    const rows = await fetchRest(
      page,
      all.slice(0, 200),
      serve(() => all, asked),
    );
    expect(asked).toEqual([200, 200 + rowsPageSize, 200 + 2 * rowsPageSize]);
    expect(rows.map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('grouped, reads the whole order from the top (the first screen is not the top of it)', async () => {
    const asked: number[] = [];
    const page = pageOf(all, 200, { group: true });
    const rows = await fetchRest(
      page,
      all.slice(3000, 3200),
      serve(() => all, asked),
    );
    expect(asked[0]).toBe(0);
    expect(rows.map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('starts again from the top when an item moved between the first screen and the rest', async () => {
    const asked: number[] = [];
    // Item 4000 moved to the top after the first screen was read: the rest now starts with item 200 again.
    const moved = order([4000, ...all.map((r) => Number(r.id.slice(3))).filter((n) => n !== 4000)]);
    const rows = await fetchRest(
      pageOf(all, 200),
      all.slice(0, 200),
      serve(() => moved, asked),
    );
    expect(asked[0]).toBe(200);
    expect(asked.filter((o) => o === 0)).toHaveLength(1);
    expect(rows.map((r) => r.id)).toEqual(moved.map((r) => r.id));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('never hands over an item twice, even when the order keeps changing', async () => {
    let reads = 0;
    // Every request sees a different order (the first item of the previous read moved to the bottom).
    const rotating = () => {
      const shift = reads++;
      return order(all.map((_, i) => Number(all[(i + shift) % all.length].id.slice(3))));
    };
    const rows = await fetchRest(pageOf(all, 200), all.slice(0, 200), serve(rotating, []));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});
