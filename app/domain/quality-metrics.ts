/**
 * The PO's own quality numbers (docs/product-rules.md): review rejection rate, items that entered a sprint not ready, estimate
 * spread at poker, and outcome rate. Pure; a rate is null when there is nothing to divide by ("no data", never 0 %).
 */
import { type Deck, cardsOf, nonEstimates, wideSpreadSteps } from './poker';

/** A share from 0 to 1 rounded to three decimals, or null with no cases. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;
}

export interface SprintReviewCounts {
  sprintId: string;
  name: string;
  accepted: number;
  rejected: number;
  /** items committed to the sprint */
  committed: number;
  /** of those, pulled in while not ready (with a reason) */
  enteredNotReady: number;
}

export interface SprintQuality {
  sprintId: string;
  name: string;
  /** rejected / (accepted + rejected) */
  rejectionRate: number | null;
  /** entered not ready / committed */
  notReadyShare: number | null;
}

export function sprintQuality(sprints: readonly SprintReviewCounts[]): SprintQuality[] {
  return sprints.map((s) => ({
    sprintId: s.sprintId,
    name: s.name,
    rejectionRate: rate(s.rejected, s.accepted + s.rejected),
    notReadyShare: rate(s.enteredNotReady, s.committed),
  }));
}

/** Distance in cards of the deck between the lowest and the highest estimate of one round; null below two estimates. */
export function spreadSteps(deck: Deck, values: readonly string[]): number | null {
  const cards = cardsOf(deck);
  const positions = values
    .filter((v) => cards.includes(v) && !nonEstimates.has(v))
    .map((v) => cards.indexOf(v));
  if (positions.length < 2) return null;
  return Math.max(...positions) - Math.min(...positions);
}

export interface PokerSpread {
  /** revealed rounds with at least two estimates */
  rounds: number;
  /** mean spread in deck steps, one decimal */
  meanSteps: number | null;
  /** rounds whose spread is wide enough that the team should talk */
  wideShare: number | null;
}

export function pokerSpread(rounds: ReadonlyArray<{ deck: Deck; values: readonly string[] }>): PokerSpread {
  const spreads = rounds.map((r) => spreadSteps(r.deck, r.values)).filter((s): s is number => s !== null);
  if (spreads.length === 0) return { rounds: 0, meanSteps: null, wideShare: null };
  const mean = spreads.reduce((s, n) => s + n, 0) / spreads.length;
  return {
    rounds: spreads.length,
    meanSteps: Math.round(mean * 10) / 10,
    wideShare: rate(spreads.filter((s) => s >= wideSpreadSteps).length, spreads.length),
  };
}

export type Outcome = 'moved' | 'not_moved' | 'unknown' | null;

export interface OutcomeRate {
  /** released (accepted) items that carry a success metric */
  released: number;
  /** of those, with a recorded outcome (moved or not moved) */
  recorded: number;
  moved: number;
  /** moved / recorded */
  rate: number | null;
}

/** Of the released items with a success metric and a recorded outcome, the share that moved their metric. */
export function outcomeRate(
  items: ReadonlyArray<{ successMetric: string | null; outcome: Outcome }>,
): OutcomeRate {
  const measured = items.filter((i) => (i.successMetric ?? '').trim() !== '');
  const recorded = measured.filter((i) => i.outcome === 'moved' || i.outcome === 'not_moved');
  const moved = recorded.filter((i) => i.outcome === 'moved').length;
  return { released: measured.length, recorded: recorded.length, moved, rate: rate(moved, recorded.length) };
}

/** "12.5 %" or "no data". */
export function percent(value: number | null): string {
  return value === null ? 'no data' : `${Math.round(value * 1000) / 10} %`;
}
