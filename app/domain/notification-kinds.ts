/**
 * The kinds of in-app notification (decision 0041), one place to add a kind: its label on the notifications page
 * and the webhook event it also raises, or null when a decision-log entry already is that event (an item
 * accepted at a review is the decision `sprint_item_accepted`, sent to webhooks as `decision.sprint_item_accepted`).
 */
export const notificationKinds = {
  votes_opened: { label: 'Votes opened', webhookEvent: 'votes.opened' },
  item_accepted: { label: 'Accepted', webhookEvent: null },
  item_rejected: { label: 'Rejected', webhookEvent: null },
  // wired by their features: a stakeholder's request answered (issue 17 parts 1–2), a sprint goal at risk
  request_answered: { label: 'Request answered', webhookEvent: 'request.answered' },
  sprint_goal_at_risk: { label: 'Sprint goal at risk', webhookEvent: 'sprint.goal_at_risk' },
  // an urgent request swapped into the running sprint: the people who asked for a displaced item, and the requester
  sprint_swap: { label: 'Sprint swap', webhookEvent: null },
  // votes before the meeting: a day and two hours before the window closes, to those who have not voted
  vote_reminder: { label: 'Vote reminder', webhookEvent: null },
} as const satisfies Record<string, { label: string; webhookEvent: string | null }>;

export type NotificationKind = keyof typeof notificationKinds;
export const notificationKindNames = Object.keys(notificationKinds) as NotificationKind[];

/** The webhook event types raised by notifications (beside `decision.<kind>` and `ping`). */
export const notificationEventTypes = Object.values(notificationKinds)
  .map((k) => k.webhookEvent)
  .filter((e): e is NonNullable<typeof e> => e !== null);

/** "3 unread notifications", the header's accessible name for its count. */
export function unreadLabel(count: number): string {
  if (count === 0) return 'Notifications, none unread';
  return `${count} unread notification${count === 1 ? '' : 's'}`;
}
