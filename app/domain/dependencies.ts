/**
 * "Blocked by" links. An edge { from, to } reads "from is blocked by to". Everything here is iterative: a backlog
 * can hold a 10,000-item chain and recursion would overflow the stack.
 */
export interface Edge {
  from: string;
  to: string;
}

function adjacency(edges: readonly Edge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  return next;
}

/**
 * The cycle that adding `newEdge` would close, as a path that starts and ends with `newEdge.from`
 * (from → to → … → from, each step "is blocked by"), or null when the link is safe. Breadth-first, so the path
 * named to the user is the shortest one.
 */
export function wouldCreateCycle(edges: readonly Edge[], newEdge: Edge): string[] | null {
  const { from, to } = newEdge;
  if (from === to) return [from, from];
  const next = adjacency(edges);
  // a cycle exists when `from` is reachable from `to` along existing links
  const parent = new Map<string, string>([[to, to]]);
  const queue = [to];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const blocker of next.get(node) ?? []) {
      if (parent.has(blocker)) continue;
      parent.set(blocker, node);
      if (blocker === from) {
        const trail = [node]; // walk back node → … → to, then read it forwards
        while (trail[trail.length - 1] !== to) trail.push(parent.get(trail[trail.length - 1])!);
        return [from, ...trail.reverse(), from];
      }
      queue.push(blocker);
    }
  }
  return null;
}

/** "A is blocked by B, which is blocked by A" as one line, for a refusal message. */
export function describeCycle(path: readonly string[], label: (id: string) => string = (id) => id): string {
  return `This link would make a cycle: ${path.map(label).join(' → ')} (each is blocked by the next)`;
}

export interface OrderWarning {
  itemId: string;
  blockedBy: string;
}

/**
 * Items that sit above (earlier in the order than) an item they are blocked by: building them first is not
 * possible. Only ids in `orderedIds` count; blockers in `resolved` (done or accepted) no longer block.
 * One warning per (item, blocker) pair, in backlog order, then in blocker order.
 */
export function orderWarnings(
  orderedIds: readonly string[],
  edges: readonly Edge[],
  resolved: ReadonlySet<string> = new Set(),
): OrderWarning[] {
  const position = new Map<string, number>();
  orderedIds.forEach((id, i) => {
    if (!position.has(id)) position.set(id, i);
  });
  const seen = new Set<string>();
  const found: Array<OrderWarning & { a: number; b: number }> = [];
  for (const { from, to } of edges) {
    const a = position.get(from);
    const b = position.get(to);
    if (a === undefined || b === undefined || a >= b || resolved.has(to)) continue;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ itemId: from, blockedBy: to, a, b });
  }
  found.sort((x, y) => x.a - y.a || x.b - y.b);
  return found.map(({ itemId, blockedBy }) => ({ itemId, blockedBy }));
}

/** How many of an item's blockers are not resolved yet: the Definition of Ready's dependency input. */
export function unresolvedDependencyCount(
  itemId: string,
  edges: readonly Edge[],
  resolved: ReadonlySet<string>,
): number {
  const blockers = new Set<string>();
  for (const e of edges) if (e.from === itemId && e.to !== itemId && !resolved.has(e.to)) blockers.add(e.to);
  return blockers.size;
}
