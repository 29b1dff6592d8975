import type { LoaderFunctionArgs } from '@remix-run/node';
import { getUser } from '~/services/auth.server';
import { unreadCount } from '~/services/notifications/notify.server';

/** The header's unread count, asked again when the window gets the focus back (decision 0041). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return Response.json(
    { unread: user ? await unreadCount(context.app.db, user.id) : 0 },
    { headers: { 'cache-control': 'no-store' } },
  );
}
