/**
 * The names of the order proposals, in one place: the backlog's own proposals (by WSJF, by MoSCoW then WSJF) and a
 * prioritisation session's (by dots, by the session's WSJF, both combined). A `proposal_applied` decision stores
 * the mode it followed (`wsjf`, `moscow_wsjf`, `session_dots`, `session_wsjf`, `session_combined`); every place
 * that shows one (the decision log, the session summary, the pages that apply them) names it from here.
 */

import type { OrderMethod } from './score-results';

export type BacklogProposalMode = 'wsjf' | 'moscow_wsjf';

/** Button and heading labels of the backlog's proposals. */
export const backlogProposalLabels: Record<BacklogProposalMode, string> = {
  wsjf: 'WSJF',
  moscow_wsjf: 'MoSCoW, then WSJF',
};

/** Button and heading labels of a session's proposals. */
export const sessionOrderLabels: Record<OrderMethod, string> = {
  dots: 'By dots',
  wsjf: 'By WSJF',
  combined: 'Dots and WSJF combined',
};

/** What an applied order followed, as words that fit "the … order" (e.g. "the by-dots order"). */
const appliedOrderNames: Record<string, string> = {
  wsjf: 'WSJF order proposal',
  moscow_wsjf: 'MoSCoW-then-WSJF order proposal',
  session_dots: 'by-dots order',
  session_wsjf: 'by-WSJF order',
  session_combined: 'dots-and-WSJF order',
};

/** The name of the order a stored mode stands for; an unknown or missing mode is named vaguely, never wrongly. */
export function appliedOrderName(mode: unknown): string {
  return typeof mode === 'string' && Object.hasOwn(appliedOrderNames, mode)
    ? appliedOrderNames[mode]
    : 'order proposal';
}

const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;

/** How many items an applied order moved, in words; nothing moved says so rather than "0 items moved". */
export function movedText(moved: unknown): string {
  if (moved === 0) return 'nothing moved: the backlog already followed this order';
  return typeof moved === 'number' && Number.isInteger(moved) && moved > 0
    ? `${items(moved)} moved`
    : 'some items moved';
}

/**
 * One decision-log sentence for an applied proposal: "Olivia applied the by-dots order from “Q3 priorities”
 * (3 items moved)". Text people typed (the session's title) stays plain text.
 */
export function describeAppliedOrder(
  who: string,
  after: { mode?: unknown; moved?: unknown; sessionTitle?: unknown },
): string {
  const from = typeof after.sessionTitle === 'string' ? ` from “${after.sessionTitle}”` : '';
  return `${who} applied the ${appliedOrderName(after.mode)}${from} (${movedText(after.moved)})`;
}

export const nothingMovedMessage =
  'Nothing moved: the backlog already follows this order. The decision log keeps your reason, noting that nothing moved.';

/**
 * What the product owner reads right after applying an order; `what` names it ("the WSJF order to 5 items").
 * Nothing moved is said plainly, so a click that changed nothing never reads like a success that did.
 */
export function appliedOrderMessage(moved: number, what?: string): string {
  return moved === 0
    ? nothingMovedMessage
    : `Applied${what ? ` ${what}` : ''}: ${items(moved)} moved. The backlog and the decision log show it.`;
}
