/**
 * Backlog order between Refinery and Jira. Jira orders by its Rank field (LexoRank strings, e.g. "0|i0001b:",
 * which sort by plain string order) and moves an issue relative to a neighbour (PUT /rest/agile/1.0/issue/rank
 * with rankBeforeIssue or rankAfterIssue). Issue 16.
 */

export type RankPlacement = { rankBeforeIssue: string } | { rankAfterIssue: string };

/**
 * Where to rank an issue in Jira after it moved in Refinery: after the linked item now above it, or, when it is
 * at the top, before the one now below it. `order` is Refinery's backlog order (top first) of linked items only,
 * as issue keys. Null when the item is the only linked one, or not in `order`.
 */
export function rankPlacement(order: string[], movedKey: string): RankPlacement | null {
  const at = order.indexOf(movedKey);
  if (at < 0) return null;
  const above = order.slice(0, at).findLast((key) => key !== movedKey);
  if (above !== undefined) return { rankAfterIssue: above };
  const below = order.slice(at + 1).find((key) => key !== movedKey);
  return below !== undefined ? { rankBeforeIssue: below } : null;
}

/** "PROJ-12" → ["PROJ", 12]; a key of another shape sorts by its whole text, as a project of its own. */
function keyParts(key: string): [string, number] {
  const m = /^(.*)-(\d+)$/.exec(key);
  return m ? [m[1], Number(m[2])] : [key, Number.POSITIVE_INFINITY];
}

/** Issue keys in number order within a project ("PROJ-9" before "PROJ-10"), projects by name. */
export function compareIssueKeys(a: string, b: string): number {
  const [projectA, numberA] = keyParts(a);
  const [projectB, numberB] = keyParts(b);
  if (projectA !== projectB) return projectA < projectB ? -1 : 1;
  if (numberA !== numberB) return numberA < numberB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Issues in Jira's backlog order: by rank in plain string order (LexoRank's own order; never localeCompare),
 * issues without a rank after all ranked ones, by key number; equal ranks by key number too. Returns a new array.
 */
export function orderByRank<T extends { key: string; rank: string | null }>(issues: readonly T[]): T[] {
  return [...issues].sort((a, b) => {
    if (a.rank !== null && b.rank !== null && a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
    if (a.rank === null && b.rank !== null) return 1;
    if (a.rank !== null && b.rank === null) return -1;
    return compareIssueKeys(a.key, b.key);
  });
}
