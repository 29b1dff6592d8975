/**
 * Dot voting: each participant has a budget of dots and may put at most `cap` on one item. Dots can be moved
 * until voting closes. Pure rules; the server applies them inside one transaction per command.
 */
export interface DotRules {
  budget: number;
  cap: number;
}

export const defaultDotRules: DotRules = { budget: 5, cap: 3 };

/**
 * Checks setting this participant's dots on `itemId` to `dots`, given where their dots are now. Returns the
 * refusal in words, or null when allowed.
 */
export function dotsRefusal(
  rules: DotRules,
  current: ReadonlyMap<string, number>,
  itemId: string,
  dots: number,
): string | null {
  if (!Number.isInteger(dots) || dots < 0) return 'Dots must be a whole number of zero or more';
  if (dots > rules.cap) return `At most ${rules.cap} dots on one item`;
  let elsewhere = 0;
  for (const [id, n] of current) if (id !== itemId) elsewhere += n;
  if (elsewhere + dots > rules.budget) {
    const left = Math.max(0, rules.budget - elsewhere);
    return `That is over your budget of ${rules.budget} dots: you have ${left} left for this item`;
  }
  return null;
}

export interface DotTotal {
  itemId: string;
  dots: number;
  voters: number;
}

/** Totals per item, most dots first; ties keep the agenda order. Items nobody dotted are listed with 0. */
export function dotTotals(
  agenda: readonly string[],
  votes: ReadonlyArray<{ participantId: string; itemId: string; dots: number }>,
): DotTotal[] {
  const totals = new Map(agenda.map((id) => [id, { itemId: id, dots: 0, voters: new Set<string>() }]));
  for (const vote of votes) {
    const entry = totals.get(vote.itemId);
    if (!entry || vote.dots <= 0) continue;
    entry.dots += vote.dots;
    entry.voters.add(vote.participantId);
  }
  const order = new Map(agenda.map((id, i) => [id, i]));
  return [...totals.values()]
    .map((t) => ({ itemId: t.itemId, dots: t.dots, voters: t.voters.size }))
    .sort((a, b) => b.dots - a.dots || order.get(a.itemId)! - order.get(b.itemId)!);
}

/** One participant's request to set their dots on one item, as received. */
export interface DotRequest {
  participantId: string;
  itemId: string;
  dots: number;
}

export type DotOutcome = { ok: true; used: number; left: number } | { ok: false; refusal: string };

/**
 * Applies a batch of dot requests in the order they arrived, each against where that participant's dots are after
 * the requests before it (as if each had been its own transaction). Returns each request's outcome and, per
 * participant and item that changed, the dots to store (0: remove the row). `current` is not modified.
 */
export function applyDotRequests(
  rules: DotRules,
  current: ReadonlyMap<string, ReadonlyMap<string, number>>,
  requests: readonly DotRequest[],
): { outcomes: DotOutcome[]; writes: DotRequest[] } {
  const working = new Map<string, Map<string, number>>();
  const mineOf = (participantId: string) => {
    let mine = working.get(participantId);
    if (!mine) {
      mine = new Map(current.get(participantId) ?? []);
      working.set(participantId, mine);
    }
    return mine;
  };
  const changed = new Map<string, DotRequest>();
  const outcomes = requests.map((request): DotOutcome => {
    const mine = mineOf(request.participantId);
    const refusal = dotsRefusal(rules, mine, request.itemId, request.dots);
    if (refusal) return { ok: false, refusal };
    if (request.dots === 0) mine.delete(request.itemId);
    else mine.set(request.itemId, request.dots);
    changed.set(`${request.participantId} ${request.itemId}`, { ...request });
    let used = 0;
    for (const n of mine.values()) used += n;
    return { ok: true, used, left: rules.budget - used };
  });
  return { outcomes, writes: [...changed.values()] };
}
