/**
 * Stakeholder requests (issue 17): their states, the PO's triage and what each step needs, as pure rules. The
 * services load what the rules look at (the request's state, the item a merge names) and store what they decide.
 */

export const requestStates = ['new', 'needs_info', 'accepted', 'merged', 'declined'] as const;
export type RequestState = (typeof requestStates)[number];

export const requestStateLabels: Record<RequestState, string> = {
  new: 'New',
  needs_info: 'Waiting for more information',
  accepted: 'Accepted into the backlog',
  merged: 'Merged into an existing item',
  declined: 'Declined',
};

export const triageActions = ['accept', 'merge', 'ask', 'decline'] as const;
export type TriageAction = (typeof triageActions)[number];

/** Where an accepted request's item goes: the top, the bottom, or right after a chosen item. */
export type Placement = { at: 'top' } | { at: 'bottom' } | { at: 'after'; itemId: string };

export type TriageStep =
  | { action: 'accept'; placement: Placement | null; note?: string }
  | { action: 'merge'; itemId: string | null; note?: string }
  | { action: 'ask'; question: string }
  | { action: 'decline'; reason: string };

/** The item a merge (or an "after" placement) names, as found in the database; null when there is none. */
export interface TargetItem {
  productId: string;
  status: string;
}

/** Item states that are finished: a request is not merged into them (nor placed after them). */
export const closedItemStatuses = ['done', 'accepted', 'rejected', 'archived'] as const;
export const isOpenItem = (status: string) => !(closedItemStatuses as readonly string[]).includes(status);

export type Refusal = { ok: false; field: string; message: string; code: 'invalid' | 'conflict' };
export type TriageOutcome = { ok: true; state: RequestState; answer: string } | Refusal;

const refuse = (field: string, message: string, code: Refusal['code'] = 'invalid'): Refusal => ({
  ok: false,
  field,
  message,
  code,
});

/** A request the PO may still triage: new, or waiting for more (the PO may decide without the answer). */
export const isOpenRequest = (state: RequestState) => state === 'new' || state === 'needs_info';

/**
 * Decides one triage step on a request in `state` for product `productId`. Declining needs a written reason,
 * asking needs a question, accepting needs a position (after an open item of the same product), merging an open
 * item of the same product. A request already decided is not triaged again.
 */
export function triage(
  state: RequestState,
  productId: string,
  step: TriageStep,
  target: TargetItem | null,
): TriageOutcome {
  if (!isOpenRequest(state))
    return refuse('action', `This request is already ${requestStateLabels[state].toLowerCase()}`, 'conflict');
  const sameProductOpen = (t: TargetItem | null) =>
    t !== null && t.productId === productId && isOpenItem(t.status);
  switch (step.action) {
    case 'decline': {
      const reason = step.reason.trim();
      if (!reason) return refuse('reason', 'Write the reason: nothing is declined without one');
      return { ok: true, state: 'declined', answer: reason };
    }
    case 'ask': {
      const question = step.question.trim();
      if (!question) return refuse('question', 'Write the question the requester should answer');
      return { ok: true, state: 'needs_info', answer: question };
    }
    case 'accept': {
      if (!step.placement) return refuse('position', 'Choose where the item goes in the backlog');
      if (step.placement.at === 'after' && !sameProductOpen(target))
        return refuse('afterItemId', 'Choose an open item of this product to place it after');
      return { ok: true, state: 'accepted', answer: step.note?.trim() ?? '' };
    }
    case 'merge': {
      if (!step.itemId || !sameProductOpen(target))
        return refuse('itemId', 'Choose an open item of this product to merge the request into');
      return { ok: true, state: 'merged', answer: step.note?.trim() ?? '' };
    }
  }
}

/** The requester answers the PO's question: only while asked, with some text; the request is new again. */
export function answerRequest(state: RequestState, answer: string): { ok: true; state: 'new' } | Refusal {
  if (state !== 'needs_info') return refuse('answer', 'The product owner has not asked anything', 'conflict');
  if (!answer.trim()) return refuse('answer', 'Write your answer');
  return { ok: true, state: 'new' };
}

/** Counts per state, every state present (the inbox's tabs). */
export function countByState(requests: ReadonlyArray<{ state: RequestState }>): Record<RequestState, number> {
  const counts = Object.fromEntries(requestStates.map((s) => [s, 0])) as Record<RequestState, number>;
  for (const r of requests) counts[r.state]++;
  return counts;
}

/** The backlog item's text made from a request: its problem, who has it, the value and any deadline. */
export function itemDescriptionFrom(request: {
  problem: string;
  whoHasIt: string;
  expectedValue: string;
  deadline: string | null;
  requesterName: string;
}): string {
  return [
    `Problem: ${request.problem}`,
    request.whoHasIt ? `Who has it: ${request.whoHasIt}` : null,
    request.expectedValue ? `Expected value: ${request.expectedValue}` : null,
    request.deadline ? `Deadline: ${request.deadline}` : null,
    `Requested by ${request.requesterName}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Ordering methods the criteria may name. */
export const criteriaMethods = ['wsjf', 'moscow', 'kano', 'dot_voting', 'value_effort'] as const;
export type CriteriaMethod = (typeof criteriaMethods)[number];
export const criteriaMethodLabels: Record<CriteriaMethod, string> = {
  wsjf: 'WSJF',
  moscow: 'MoSCoW',
  kano: 'Kano',
  dot_voting: 'Dot voting',
  value_effort: 'Value / effort',
};

/** "criteria v3", or a plain note when none were agreed yet. */
export const criteriaLabel = (version: number | null | undefined) =>
  typeof version === 'number' ? `criteria v${version}` : 'no agreed criteria';

/** The decision-log kinds of requests and criteria. */
export const requestDecisionKinds = [
  'request_accepted',
  'request_merged',
  'request_declined',
  'request_info_requested',
  'criteria_version_agreed',
] as const;

/** Kinds a stakeholder does not read in the log: others' requests and the product owner's answers to them. */
export const privateRequestKinds = ['request_merged', 'request_declined', 'request_info_requested'] as const;
