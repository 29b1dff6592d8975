import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { FormAlert } from '~/components/forms';
import { type NotificationKind, notificationKinds } from '~/domain/notification-kinds';
import { requireUser } from '~/services/auth.server';
import { runNotificationForm } from '~/services/notifications/notification-form.server';
import { listNotifications, notificationListSchema } from '~/services/notifications/notify.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { firstError } from '~/utils/form-submission';

export const meta: MetaFunction = () => [{ title: 'Notifications · Refinery' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const query = notificationListSchema.safeParse({
    unread: url.searchParams.get('unread') === 'true' ? 'true' : undefined,
    before: url.searchParams.get('before') ?? undefined,
  });
  return listNotifications(context.app.db, user.id, query.success ? query.data : { limit: 30 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { reply, status } = await runNotificationForm(context.app, user.id, await request.formData());
  return data(reply, { status });
}

const kindLabel = (kind: string) =>
  kind in notificationKinds ? notificationKinds[kind as NotificationKind].label : 'Notice';

export default function Notifications() {
  const timeZone = useTimeZone();
  const { notifications, unreadCount, nextBefore } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const onlyUnread = params.get('unread') === 'true';
  return (
    <section aria-labelledby="notifications-title" className="stack">
      <div className="section-heading">
        <h1 id="notifications-title">Notifications</h1>
        {unreadCount > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="button button-secondary">
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted" aria-live="polite">
        {unreadCount === 0 ? 'Nothing unread.' : `${unreadCount} unread.`}{' '}
        {onlyUnread ? (
          <Link to="/notifications">Show all</Link>
        ) : (
          <Link to="?unread=true">Show unread only</Link>
        )}
      </p>
      <FormAlert message={firstError(reply?.result)?.message} />
      {reply?.message && !firstError(reply.result) ? (
        <p className="alert" role="status">
          {reply.message}
        </p>
      ) : null}
      {notifications.length === 0 ? (
        <p className="empty-state">
          {onlyUnread
            ? 'No unread notifications.'
            : 'No notifications yet. You hear here when votes open and when what you asked for is decided.'}
        </p>
      ) : (
        <ul className="notification-list" aria-label="Your notifications, newest first">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? 'notification' : 'notification unread'}>
              <div>
                <span className="badge">{kindLabel(n.kind)}</span> <Link to={n.link}>{n.text}</Link>
                {n.readAt ? null : <span className="visually-hidden"> (unread)</span>}
                <div className="muted">{formatDateTime(n.createdAt, timeZone)}</div>
              </div>
              {n.readAt ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="read-one" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button" aria-label={`Mark read: ${n.text}`}>
                    Mark read
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextBefore ? (
        <Link to={`?${onlyUnread ? 'unread=true&' : ''}before=${encodeURIComponent(nextBefore)}`}>
          Older notifications
        </Link>
      ) : null}
    </section>
  );
}
