import { describe, expect, it } from 'vitest';
import { notificationEventTypes, notificationKinds, unreadLabel } from './notification-kinds';
import { eventFilterPattern } from './webhook-events';

describe('notification kinds', () => {
  it('names the unread count for screen readers', () => {
    expect(unreadLabel(0)).toBe('Notifications, none unread');
    expect(unreadLabel(1)).toBe('1 unread notification');
    expect(unreadLabel(3)).toBe('3 unread notifications');
  });

  it('raises a webhook event only for kinds that are not decisions already, each a valid filter name', () => {
    expect(notificationKinds.item_accepted.webhookEvent).toBeNull();
    expect(notificationKinds.item_rejected.webhookEvent).toBeNull();
    expect(notificationEventTypes).toContain('votes.opened');
    for (const type of notificationEventTypes) expect(eventFilterPattern.test(type), type).toBe(true);
  });
});
