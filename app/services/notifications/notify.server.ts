import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { type NotificationKind, notificationKinds } from '~/domain/notification-kinds';
import type { Role } from '~/domain/roles';
import { enqueueEvents } from '~/services/webhooks/events.server';
import type { Db, Tx } from '../../../db/client';
import { memberships, notifications } from '../../../db/schema';

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export interface NotifyInput {
  productId: string;
  kind: NotificationKind;
  /** who is told: these people, or everyone in the product with one of these roles */
  to: { userIds: readonly (string | null | undefined)[] } | { roles: readonly Role[] };
  /** the person who caused it: never told of their own act */
  actorId?: string | null;
  /** plain text, shown as text (never as HTML): "Votes are open in “Q3 priorities”" */
  text: string;
  /** a path in the app: /products/<id>/… */
  link: string;
  /** the facts behind the text for API readers and the webhook event: ids, titles, outcome; no recipients */
  data?: Record<string, unknown>;
}

/**
 * Tells people something happened in a product (decision 0041). Call it INSIDE the transaction of the command
 * that decided it, so a notification exists exactly when the change does:
 *
 *   await notify(tx, { productId, kind: 'request_answered', to: { userIds: [requesterId] }, actorId,
 *     text: `Your request “${title}” was answered`, link: `/products/${productId}/…`, data: { requestId } });
 *
 * Only current members of the product are told (a removed person or a stray id is skipped); the actor never is.
 * A kind with a webhook event (app/domain/notification-kinds.ts) also queues that event once for the product's
 * webhooks, whoever is told. Add a kind there first. Returns how many people were told.
 */
export async function notify(tx: Db | Tx, input: NotifyInput): Promise<number> {
  const wanted =
    'userIds' in input.to
      ? [...new Set(input.to.userIds.filter((id): id is string => typeof id === 'string' && isUuid(id)))]
      : null;
  const where = [eq(memberships.productId, input.productId)];
  if (wanted !== null) {
    if (wanted.length > 0) where.push(inArray(memberships.userId, wanted));
  } else where.push(inArray(memberships.role, [...(input.to as { roles: Role[] }).roles]));
  if (input.actorId) where.push(ne(memberships.userId, input.actorId));
  const recipients =
    wanted !== null && wanted.length === 0
      ? []
      : await tx
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(and(...where));
  const data = input.data ?? {};
  if (recipients.length > 0)
    await tx.insert(notifications).values(
      recipients.map((r) => ({
        userId: r.userId,
        productId: input.productId,
        kind: input.kind,
        text: input.text,
        link: input.link,
        data,
      })),
    );
  const event = notificationKinds[input.kind].webhookEvent;
  if (event) await enqueueEvents(tx, input.productId, [{ type: event, data: { ...data, text: input.text } }]);
  return recipients.length;
}

export const notificationListSchema = z.strictObject({
  unread: z
    .enum(['true', 'false'], { message: 'unread must be true or false' })
    .optional()
    .meta({ description: 'true: only the unread ones' }),
  before: z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z~[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'before must be a nextBefore cursor',
    )
    .refine((v) => !Number.isNaN(Date.parse(v.split('~')[0])), 'before must be a nextBefore cursor')
    .optional()
    .meta({ description: 'The `nextBefore` of the previous page' }),
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int()
    .min(1)
    .max(100, 'limit is at most 100')
    .default(30),
});
export type NotificationListQuery = z.output<typeof notificationListSchema>;

/** Where a person's notifications are visible: their own, in products they are still a member of. */
const visibleTo = (userId: string) =>
  and(
    eq(notifications.userId, userId),
    sql`exists (select 1 from ${memberships} where ${memberships.productId} = ${notifications.productId} and ${memberships.userId} = ${userId})`,
  );

/** A person's notifications, newest first, a page at a time. */
export async function listNotifications(db: Db, userId: string, query: NotificationListQuery) {
  const where = [visibleTo(userId)];
  if (query.unread === 'true') where.push(isNull(notifications.readAt));
  if (query.before) {
    const [at, id] = query.before.split('~');
    where.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({
      id: notifications.id,
      productId: notifications.productId,
      kind: notifications.kind,
      text: notifications.text,
      link: notifications.link,
      data: notifications.data,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  return {
    notifications: page,
    unreadCount: await unreadCount(db, userId),
    nextBefore: more && last ? `${last.createdAt.toISOString()}~${last.id}` : null,
  };
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(visibleTo(userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

export const markReadSchema = z.union([
  z.strictObject({
    ids: z
      .array(z.uuid({ message: 'ids must be notification ids' }))
      .min(1, 'Name at least one notification')
      .max(100, 'At most 100 at a time'),
  }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkReadInput = z.output<typeof markReadSchema>;

/**
 * Marks notifications read: the ones named (every one must be the caller's own and visible to them, else nothing
 * is marked and it is not found), or all of the caller's. Returns how many were unread and are read now.
 */
export async function markRead(db: Db, userId: string, raw: MarkReadInput): Promise<{ marked: number }> {
  // The same rules whichever door it came through: a form's id may be anything.
  const parsed = markReadSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('invalid', parsed.error.issues[0].message, { field: 'ids' });
  const input = parsed.data;
  return db.transaction(async (tx) => {
    const where = [visibleTo(userId)];
    if ('ids' in input) {
      const ids = [...new Set(input.ids)];
      const found = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(visibleTo(userId), inArray(notifications.id, ids)));
      if (found.length !== ids.length) throw new AppError('not_found', 'No such notification');
      where.push(inArray(notifications.id, ids));
    }
    const marked = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(...where, isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return { marked: marked.length };
  });
}
