/** The fields grouping looks at. */
export interface GroupableRow {
  id: string;
  type: string;
  parentId: string | null;
}

export type Entry<R> =
  | { kind: 'item'; key: string; row: R; index: number }
  | { kind: 'group'; key: string; title: string; epicId: string | null; count: number };

/** The group a row belongs to: an epic heads its own group; '' is "No epic". */
export const groupKeyOf = (row: GroupableRow) => (row.type === 'epic' ? row.id : (row.parentId ?? ''));

/**
 * Rows grouped under their epic, groups in the order of their epics. Shared by the server, which cuts the first
 * screen out of the grouped order, and the list, which groups what it has: grouping a leading part of the grouped
 * order gives the leading part of the same entries. `counts` gives the group sizes of the whole backlog while only
 * that leading part has arrived.
 */
export function groupByEpic<R extends GroupableRow>(
  rows: readonly R[],
  epics: ReadonlyArray<{ id: string; title: string }>,
  counts?: Readonly<Record<string, number>>,
): Entry<R>[] {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = groupKeyOf(row);
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const entries: Entry<R>[] = [];
  let index = 0;
  const push = (key: string, title: string) => {
    const list = groups.get(key);
    if (!list) return;
    entries.push({
      kind: 'group',
      key: `group-${key || 'none'}`,
      title,
      epicId: key || null,
      count: counts?.[key] ?? list.length,
    });
    for (const row of list) entries.push({ kind: 'item', key: row.id, row, index: index++ });
    groups.delete(key);
  };
  for (const epic of epics) push(epic.id, epic.title);
  // Children of an epic that is filtered out or archived still form their group.
  for (const key of [...groups.keys()]) if (key) push(key, 'Epic not shown');
  push('', 'No epic');
  return entries;
}
