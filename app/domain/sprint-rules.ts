/**
 * Sprints: states, what may happen to an item in a sprint, velocity, and the decision-log kinds that record it
 * (burndown is computed from those entries). Pure rules shared by the server and the pages.
 */
import { velocityRange } from './forecast';

export const sprintStates = ['planned', 'active', 'closed'] as const;
export type SprintState = (typeof sprintStates)[number];

/** A sprint starts once and closes once, at its review; nothing goes back. */
const sprintTransitions: Record<SprintState, readonly SprintState[]> = {
  planned: ['active'],
  active: ['closed'],
  closed: [],
};

export function maySprintMove(from: SprintState, to: SprintState): boolean {
  return from === to || sprintTransitions[from].includes(to);
}

/** The state of an item within a sprint, derived from its membership row. */
export type SprintItemState =
  | 'committed'
  | 'done'
  | 'accepted'
  | 'rejected'
  | 'returned'
  | 'moved_on'
  | 'removed';

export interface SprintItemFacts {
  removedAt: Date | null;
  doneAt: Date | null;
  outcome: 'accepted' | 'rejected' | null;
  unfinishedDecision: 'backlog' | 'next_sprint' | null;
}

export function sprintItemState(f: SprintItemFacts): SprintItemState {
  if (f.removedAt) return 'removed';
  if (f.outcome) return f.outcome;
  if (f.unfinishedDecision === 'backlog') return 'returned';
  if (f.unfinishedDecision === 'next_sprint') return 'moved_on';
  return f.doneAt ? 'done' : 'committed';
}

/** Actions on an item in a sprint, and the item states they start from. */
export type SprintItemAction =
  | 'remove'
  | 'done'
  | 'undone'
  | 'review'
  | 'accept'
  | 'reject'
  | 'decide_unfinished';
const allowedFrom: Record<SprintItemAction, readonly SprintItemState[]> = {
  remove: ['committed', 'done'],
  done: ['committed'],
  undone: ['done'],
  review: ['done'],
  accept: ['done'],
  reject: ['done'],
  decide_unfinished: ['committed'],
};

const stateWords: Record<SprintItemState, string> = {
  committed: 'not done yet',
  done: 'done and waiting for the review',
  accepted: 'already accepted',
  rejected: 'already rejected',
  returned: 'already back in the backlog',
  moved_on: 'already moved to the next sprint',
  removed: 'no longer in this sprint',
};

/** Why the action is refused for an item in this state, or null when it may go ahead. */
export function sprintItemRefusal(action: SprintItemAction, state: SprintItemState): string | null {
  if (allowedFrom[action].includes(state)) return null;
  const what: Record<SprintItemAction, string> = {
    remove: 'It cannot be taken out of the sprint',
    done: 'It cannot be marked done',
    undone: 'It cannot be moved back from done',
    review: 'Its checklist cannot be ticked',
    accept: 'It cannot be accepted',
    reject: 'It cannot be rejected',
    decide_unfinished: 'There is no unfinished-item decision to make',
  };
  return `${what[action]}: the item is ${stateWords[state]}`;
}

/** What closing still waits for: done items without an outcome, unfinished items without a decision. */
export function closeRefusal(items: readonly SprintItemFacts[]): string | null {
  const states = items.map(sprintItemState);
  const undecided = states.filter((s) => s === 'done').length;
  const unfinished = states.filter((s) => s === 'committed').length;
  if (undecided === 0 && unfinished === 0) return null;
  const parts = [];
  if (undecided > 0) parts.push(`${undecided} done item${undecided === 1 ? '' : 's'} to accept or reject`);
  if (unfinished > 0)
    parts.push(
      `${unfinished} unfinished item${unfinished === 1 ? '' : 's'} to send back to the backlog or into the next sprint`,
    );
  return `Decide every item before closing the sprint: ${parts.join(' and ')}`;
}

/** Velocity: the points of the accepted items of one sprint. */
export function sprintVelocity(
  items: ReadonlyArray<{ outcome: string | null; points: number | null }>,
): number {
  return items.reduce((sum, i) => sum + (i.outcome === 'accepted' ? (i.points ?? 0) : 0), 0);
}

export interface VelocitySummary {
  /** the average of the last three to five closed sprints; null below three */
  average: number | null;
  lowest: number | null;
  highest: number | null;
  /** how many sprints the figures come from */
  sprints: number;
}

/** Velocities of closed sprints, oldest first. Below three sprints there is no average to plan with. */
export function velocitySummary(velocities: readonly number[]): VelocitySummary {
  const range = velocityRange(velocities);
  if (!range) return { average: null, lowest: null, highest: null, sprints: velocities.length };
  return { average: range.average, lowest: range.lowest, highest: range.highest, sprints: range.sprints };
}

/** Committed points against the average velocity, for the planning page. */
export function commitmentCheck(committed: number, summary: VelocitySummary, capacity: number | null) {
  const reference = summary.average ?? capacity;
  return {
    committed,
    reference,
    over: reference !== null && committed > reference,
    basis:
      summary.average !== null
        ? ('velocity' as const)
        : capacity !== null
          ? ('capacity' as const)
          : ('none' as const),
  };
}

/**
 * Decision-log kinds written by sprints and reviews. Every entry's `after` carries `sprintId`; item entries carry
 * `points` (the item's estimate at that moment, null when unestimated). Burndown maps them to scope events:
 * added, removed, done, reopened (undone, rejected), and `edited` entries with an estimate for items in scope.
 */
export const sprintDecisionKinds = [
  'sprint_created',
  'sprint_updated',
  'sprint_started',
  'sprint_closed',
  'sprint_item_added',
  'sprint_item_removed',
  'sprint_item_done',
  'sprint_item_undone',
  'review_line_checked',
  'sprint_item_accepted',
  'sprint_item_rejected',
  'sprint_item_unfinished',
  'review_started',
  // the sprint goal at risk, said early (issue 18, app/domain/goal-risk.ts)
  'sprint_goal_at_risk',
  'sprint_goal_back_on_track',
  'sprint_goal_risk_response',
] as const;
export type SprintDecisionKind = (typeof sprintDecisionKinds)[number];

/** YYYY-MM-DD, and a real calendar date. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
