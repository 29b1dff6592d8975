import { z } from 'zod';
import { defineOperation, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import { notificationKindNames } from '~/domain/notification-kinds';
import { runNotificationCommand } from '~/services/notifications/commands.server';
import {
  listNotifications,
  markReadSchema,
  notificationListSchema,
} from '~/services/notifications/notify.server';

/* A person's in-app notifications (issue 17, decision 0041): their own, in the products they are a member of. */

const notificationSchema = z
  .object({
    id,
    productId: id,
    kind: z.string().meta({ description: `One of ${notificationKindNames.join(', ')} (more may come)` }),
    text: z.string().meta({ description: 'Plain text, to show as text' }),
    link: z.string().meta({ description: 'A path in the app, e.g. /products/{id}/sessions/{id}' }),
    data: z.record(z.string(), z.unknown()).meta({ description: 'The facts behind the text (ids, titles)' }),
    createdAt: isoDateTime,
    readAt: isoDateTime.nullable(),
  })
  .meta({ title: 'Notification' });

export const listNotificationsOperation = defineOperation({
  operationId: 'listNotifications',
  method: 'GET',
  path: '/me/notifications',
  summary: 'Your notifications, newest first',
  description:
    'Only your own, and only from products you are still a member of. A page at a time: pass `nextBefore` as ' +
    '`before` for the next one.',
  tag: 'Notifications',
  auth: 'token',
  params: {},
  query: notificationListSchema,
  success: {
    status: 200,
    description: 'A page of notifications, the number unread in all, and the cursor to the next page',
    schema: z.object({
      notifications: z.array(notificationSchema),
      unreadCount: z.number().int(),
      nextBefore: z.string().nullable(),
    }),
  },
  errors: [],
  async handler({ services, user, query }) {
    return listNotifications(services.db, user.id, query);
  },
});

export const markNotificationsReadOperation = defineOperation({
  operationId: 'markNotificationsRead',
  method: 'POST',
  path: '/me/notifications/read',
  summary: 'Mark notifications read: some by id, or all',
  description:
    '`{ "ids": [...] }` (each must be one of yours, else 404 and nothing is marked) or `{ "all": true }`.',
  tag: 'Notifications',
  auth: 'token',
  params: {},
  body: markReadSchema.meta({ title: 'MarkNotificationsRead' }),
  success: {
    status: 200,
    description: 'How many were unread and are read now',
    schema: z.object({ marked: z.number().int() }),
  },
  errors: [404],
  async handler({ services, user, body }) {
    return runNotificationCommand(services, 'markRead', user.id, body);
  },
});

export const notificationOperations: readonly Operation[] = [
  listNotificationsOperation,
  markNotificationsReadOperation,
];
