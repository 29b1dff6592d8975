import { describe, expect, it } from 'vitest';
import {
  describeCycle,
  type Edge,
  orderWarnings,
  unresolvedDependencyCount,
  wouldCreateCycle,
} from './dependencies';

const e = (from: string, to: string): Edge => ({ from, to });

describe('wouldCreateCycle', () => {
  it('allows a link into an empty graph', () => {
    expect(wouldCreateCycle([], e('A', 'B'))).toBeNull();
  });
  it('refuses a self-link', () => {
    expect(wouldCreateCycle([], e('A', 'A'))).toEqual(['A', 'A']);
  });
  it('refuses the reverse of an existing link', () => {
    expect(wouldCreateCycle([e('A', 'B')], e('B', 'A'))).toEqual(['B', 'A', 'B']);
  });
  it('names the whole path of a longer cycle, starting and ending with the new link’s item', () => {
    // A blocked by B, B by C; now C blocked by A closes C → A → B → C
    expect(wouldCreateCycle([e('A', 'B'), e('B', 'C')], e('C', 'A'))).toEqual(['C', 'A', 'B', 'C']);
  });
  it('allows a duplicate link and a parallel path (no cycle)', () => {
    expect(wouldCreateCycle([e('A', 'B')], e('A', 'B'))).toBeNull();
    expect(wouldCreateCycle([e('A', 'B'), e('B', 'C')], e('A', 'C'))).toBeNull();
  });
  it('allows diamonds and finds the cycle through one', () => {
    const diamond = [e('A', 'B'), e('A', 'C'), e('B', 'D'), e('C', 'D')];
    expect(wouldCreateCycle(diamond, e('E', 'A'))).toBeNull();
    expect(wouldCreateCycle(diamond, e('B', 'C'))).toBeNull();
    const cycle = wouldCreateCycle(diamond, e('D', 'A'))!;
    expect(cycle[0]).toBe('D');
    expect(cycle.at(-1)).toBe('D');
    expect(cycle).toHaveLength(4); // D → A → (B or C) → D, the shortest
    expect(['B', 'C']).toContain(cycle[2]);
  });
  it('returns the shortest cycle when several exist', () => {
    const edges = [e('B', 'X1'), e('X1', 'X2'), e('X2', 'X3'), e('X3', 'A'), e('B', 'A')];
    expect(wouldCreateCycle(edges, e('A', 'B'))).toEqual(['A', 'B', 'A']);
  });
  it('every step of a returned path is a real link', () => {
    const edges = [e('1', '2'), e('2', '3'), e('3', '4'), e('2', '5'), e('5', '6'), e('6', '1')];
    const newEdge = e('4', '1');
    const path = wouldCreateCycle(edges, newEdge)!;
    const all = new Set([...edges, newEdge].map((x) => `${x.from}>${x.to}`));
    for (let i = 1; i < path.length; i++) expect(all.has(`${path[i - 1]}>${path[i]}`)).toBe(true);
  });
  it('handles a 10,000-item chain without overflowing the stack', () => {
    const edges: Edge[] = [];
    for (let i = 0; i < 9_999; i++) edges.push(e(`n${i}`, `n${i + 1}`));
    expect(wouldCreateCycle(edges, e('x', 'n0'))).toBeNull();
    const path = wouldCreateCycle(edges, e('n9999', 'n0'))!;
    expect(path).toHaveLength(10_001);
    expect(path[0]).toBe('n9999');
    expect(path[1]).toBe('n0');
    expect(path.at(-1)).toBe('n9999');
  });
  it('handles a wide graph (every node blocked by many) quickly', () => {
    const edges: Edge[] = [];
    for (let i = 0; i < 200; i++)
      for (let j = i + 1; j < Math.min(200, i + 50); j++) edges.push(e(`n${i}`, `n${j}`));
    expect(wouldCreateCycle(edges, e('n199', 'n0'))!.length).toBeGreaterThan(2);
    expect(wouldCreateCycle(edges, e('n0', 'n199'))).toBeNull();
  });
});

describe('describeCycle', () => {
  it('reads as a chain with labels', () => {
    const titles: Record<string, string> = { A: 'Login', B: 'Signup' };
    expect(describeCycle(['A', 'B', 'A'], (id) => titles[id])).toBe(
      'This link would make a cycle: Login → Signup → Login (each is blocked by the next)',
    );
  });
});

describe('orderWarnings', () => {
  it('warns when an item sits above an item it is blocked by', () => {
    expect(orderWarnings(['A', 'B', 'C'], [e('A', 'C')])).toEqual([{ itemId: 'A', blockedBy: 'C' }]);
  });
  it('is quiet when the blocker is above', () => {
    expect(orderWarnings(['C', 'A'], [e('A', 'C')])).toEqual([]);
  });
  it('skips resolved (done or accepted) blockers', () => {
    expect(orderWarnings(['A', 'B', 'C'], [e('A', 'C'), e('A', 'B')], new Set(['C']))).toEqual([
      { itemId: 'A', blockedBy: 'B' },
    ]);
  });
  it('ignores ids not in the list (other products, archived), self-links and duplicates', () => {
    expect(
      orderWarnings(['A', 'B'], [e('A', 'Z'), e('Z', 'A'), e('A', 'A'), e('A', 'B'), e('A', 'B')]),
    ).toEqual([{ itemId: 'A', blockedBy: 'B' }]);
  });
  it('lists every pair in backlog order, then blocker order', () => {
    const edges = [e('C', 'D'), e('A', 'D'), e('A', 'B'), e('B', 'D')];
    expect(orderWarnings(['A', 'B', 'C', 'D'], edges)).toEqual([
      { itemId: 'A', blockedBy: 'B' },
      { itemId: 'A', blockedBy: 'D' },
      { itemId: 'B', blockedBy: 'D' },
      { itemId: 'C', blockedBy: 'D' },
    ]);
  });
  it('copes with 10,000 items and links', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `i${i}`);
    const edges = ids.slice(1).map((id, i) => e(ids[i], id)); // each blocked by the next one: all wrong
    expect(orderWarnings(ids, edges)).toHaveLength(9_999);
    expect(orderWarnings([...ids].reverse(), edges)).toHaveLength(0);
  });
});

describe('unresolvedDependencyCount', () => {
  it('counts distinct unresolved blockers of one item', () => {
    const edges = [e('A', 'B'), e('A', 'B'), e('A', 'C'), e('A', 'D'), e('B', 'C'), e('A', 'A')];
    expect(unresolvedDependencyCount('A', edges, new Set(['D']))).toBe(2);
    expect(unresolvedDependencyCount('C', edges, new Set())).toBe(0);
  });
});
