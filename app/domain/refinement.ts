/**
 * Refinement workshops: which items a new session proposes, when estimating an item deserves a word of warning,
 * how poker moves the room's phase, and who may hand facilitation on. Pure rules shared by the server and the room.
 */
import type { ActorRole } from './roles';
import { mayBeFacilitator, mayFacilitate } from './policies';

/** Items planning poker can size: a story, bug, spike or piece of tech debt (an epic is split, not estimated). */
export function isEstimable(item: { type: string }): boolean {
  return item.type !== 'epic';
}

/** Statuses whose items still want refining: not ready yet, not rejected at a review, not done. */
const wantsRefining: ReadonlySet<string> = new Set(['new', 'refined']);

/**
 * Whether a new refinement session ticks this item on its agenda to start with: it can be refined and estimated
 * and is not ready yet. Epics (split them first), rejected stories (the review's feedback comes first) and ready
 * items stay unticked; the product owner may still tick any of them.
 */
export function preselectForRefinement(item: { type: string; status: string; ready: boolean }): boolean {
  return isEstimable(item) && wantsRefining.has(item.status) && !item.ready;
}

/** What the facilitator is told before opening a poker round on this item, or null when nothing needs saying. */
export function estimateWarning(item: { type: string; title: string }): string | null {
  if (isEstimable(item)) return null;
  return `“${item.title}” is an epic. Epics are usually split into stories that deliver value on their own, and each story is estimated; an estimate of the whole epic is rough at best.`;
}

/** What happened in a refinement's poker, for the phase it moves the room to. */
export type PokerEvent = 'roundOpened' | 'roundRevealed' | 'estimateCommitted' | 'itemChosen';

/**
 * The phase a refinement moves to when poker happens in it, so the room's steps follow what the room does:
 * opening a round (or a re-vote) is estimating; the reveal keeps the room there to talk about the cards;
 * committing the agreed estimate goes back to refining for the next item; choosing an item in the lobby starts
 * refining. Wrap-up stays where the facilitator put it unless a round is opened. Other session kinds keep theirs.
 */
export function phaseAfter(kind: string, phase: string, event: PokerEvent): string {
  if (kind !== 'refinement') return phase;
  switch (event) {
    case 'roundOpened':
      return 'estimating';
    case 'roundRevealed':
      return phase === 'lobby' || phase === 'refining' ? 'estimating' : phase;
    case 'estimateCommitted':
      return phase === 'estimating' ? 'refining' : phase;
    case 'itemChosen':
      return phase === 'lobby' ? 'refining' : phase;
  }
}

/** Why a hand-over is refused: `forbidden` for who asks, `invalid` for whom they picked. */
export interface HandOverRefusal {
  code: 'forbidden' | 'invalid';
  message: string;
}

/**
 * Whether `actor` may hand facilitation to `target` mid-session: the current facilitator or the product owner may,
 * to another product owner or team member of the product (`role` null: not a member). Null when allowed.
 */
export function handOverRefusal(
  actor: { role: ActorRole; isFacilitator: boolean },
  target: { role: ActorRole | null; isFacilitator: boolean },
): HandOverRefusal | null {
  if (!mayFacilitate(actor))
    return {
      code: 'forbidden',
      message: 'Only the facilitator or the product owner may hand facilitation over',
    };
  if (!mayBeFacilitator(target.role))
    return {
      code: 'invalid',
      message: 'Facilitation goes to the product owner or a team member of this product',
    };
  if (target.isFacilitator)
    return { code: 'invalid', message: 'That person already facilitates this session' };
  return null;
}
