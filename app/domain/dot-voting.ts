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

/** What one participant's dot buttons on one item see: whether voting is open, their dots there, the cap, what is left. */
export interface DotButtonState {
  open: boolean;
  dots: number;
  cap: number;
  left: number;
}

/**
 * Why a dot button cannot act now, in the words a voter hears when pressing it (null: it can). The server applies
 * `dotsRefusal` anyway; this only spares people a refusal they can see coming.
 */
export function dotButtonRefusal(change: 'add' | 'remove', s: DotButtonState): string | null {
  if (!s.open) return 'Voting is not open: your dots cannot change now.';
  if (change === 'remove') return s.dots <= 0 ? 'There is no dot on this item to take off.' : null;
  if (s.dots >= s.cap) return `At most ${s.cap} dots on one item: this one has ${s.dots}.`;
  if (s.left <= 0) return 'No dots left: take a dot off another item to place it here.';
  return null;
}

/** The voter's budget line, which a live region reads out as it changes; running out is said plainly. */
export function dotBudgetText(left: number, budget: number): string {
  return left <= 0 ? 'No dots left' : `${left} of ${budget} dots left`;
}

/**
 * How many dots one drawn dot stands for in the revealed dot piles: 1 while the biggest pile fits in `most`
 * drawn dots, else the smallest whole number that makes it fit (a session of 200 guests can put 600 dots on one
 * item; nobody counts 600 circles).
 */
export function dotPileUnit(biggest: number, most = 30): number {
  return biggest <= most ? 1 : Math.ceil(biggest / most);
}

/** A pile's text equivalent: "7 dots from 3 voters" (what the drawing shows, for everyone and screen readers). */
export function dotPileText(dots: number, voters: number): string {
  if (dots === 0) return 'no dots';
  return `${dots} ${dots === 1 ? 'dot' : 'dots'} from ${voters} ${voters === 1 ? 'voter' : 'voters'}`;
}
