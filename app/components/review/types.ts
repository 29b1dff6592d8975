import type { SerializeFrom } from '@remix-run/node';
import type { loadSprintOfReview } from '~/routes/products.$productId.sprints.$sprintId/sprint-page.server';

/**
 * The sprint as the planning page and the review room receive it: the loaders' own answer (`loadSprintPage`,
 * `loadSprintOfReview`, as JSON), so the components' props follow what the server sends and are never copied by hand.
 */
export type SprintViewData = SerializeFrom<Awaited<ReturnType<typeof loadSprintOfReview>>>;
export type SprintItemView = SprintViewData['items'][number];
export type SprintItemStateName = SprintItemView['state'];
/** A line of an item's review checklist: its criterion or Definition of Done line, and its tick. */
export type ReviewLineView = SprintItemView['lines'][number];
/** A tick made on a line since edited or removed; one marked not met blocks the accept until it is cleared. */
export type OutdatedTickView = SprintItemView['outdatedTicks'][number];
export type FeedbackView = SprintViewData['feedback'][number];
/** What an item's review checklist draws: the fields the team's review room and a guest's room both send. */
export type ReviewChecklistItem = Pick<
  SprintItemView,
  | 'id'
  | 'title'
  | 'description'
  | 'type'
  | 'status'
  | 'estimate'
  | 'state'
  | 'pointsAtReview'
  | 'notReadyReason'
  | 'outcomeNote'
  | 'unfinishedDecision'
  | 'nextSprintName'
  | 'lines'
> & { outdatedTicks: Array<Omit<OutdatedTickView, 'replacedBy'> & { replacedBy: string | null }> };

export const itemStateLabels: Record<SprintItemStateName, string> = {
  committed: 'In progress',
  done: 'Done, awaiting review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  returned: 'Back in the backlog',
  moved_on: 'Moved to the next sprint',
  removed: 'Removed',
};
