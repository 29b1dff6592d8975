/** The sprint as the planning page and the review room receive it (sprintView, as JSON). */
export interface ReviewLineView {
  line: string;
  label: string;
  met: boolean | null;
  feedback: string;
  /** not ticked because its criterion was edited after it was ticked */
  changedSinceTicked: boolean;
}

/** A tick made on a line since edited or removed; one marked not met blocks the accept until it is cleared. */
export interface OutdatedTickView {
  line: string;
  label: string;
  met: boolean;
  reason: 'changed' | 'removed';
  replacedBy: string | null;
}

export type SprintItemStateName =
  | 'committed'
  | 'done'
  | 'accepted'
  | 'rejected'
  | 'returned'
  | 'moved_on'
  | 'removed';

export interface SprintItemView {
  id: string;
  title: string;
  /** plain text, never rendered as HTML */
  description: string;
  type: string;
  status: string;
  estimate: number | null;
  state: SprintItemStateName;
  pointsAtReview: number | null;
  notReadyReason: string | null;
  outcomeNote: string;
  unfinishedDecision: 'backlog' | 'next_sprint' | null;
  nextSprintName: string | null;
  lines: ReviewLineView[];
  outdatedTicks: OutdatedTickView[];
}

export interface FeedbackView {
  id: string;
  text: string;
  itemId: string | null;
  author: string;
  createdItem: { id: string; title: string } | null;
}

export interface SprintViewData {
  sprint: {
    id: string;
    productId: string;
    name: string;
    startDate: string;
    endDate: string;
    goal: string;
    capacity: number | null;
    state: 'planned' | 'active' | 'closed';
    goalMet: boolean | null;
    goalNote: string;
    reviewSessionId: string | null;
  };
  may: { plan: boolean; setDone: boolean; decide: boolean; feedback: boolean };
  review: { sessionId: string; ended: boolean; joinCode: string | null } | null;
  /** the review's guest link as an absolute URL (PUBLIC_URL or the request's origin), for those who may share it */
  joinUrl?: string | null;
  items: SprintItemView[];
  feedback: FeedbackView[];
  velocity: number;
  commitment: {
    committed: number;
    reference: number | null;
    over: boolean;
    basis: 'velocity' | 'capacity' | 'none';
  };
  recentVelocity: { average: number | null; sprints: number };
  candidates: Array<{
    id: string;
    title: string;
    type: string;
    status: string;
    estimate: number | null;
    ready: boolean;
    problems: string[];
  }>;
}

export const itemStateLabels: Record<SprintItemStateName, string> = {
  committed: 'In progress',
  done: 'Done, awaiting review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  returned: 'Back in the backlog',
  moved_on: 'Moved to the next sprint',
  removed: 'Removed',
};
