import type { LoaderFunctionArgs } from '@remix-run/node';
import { issueLiveToken } from '~/domain/signed-token';
import { getUser } from '~/services/auth.server';

/** A short-lived token for the live channel, for the signed-in browser. Membership is checked on connect. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  if (!user)
    return Response.json(
      { error: 'Not signed in' },
      { status: 401, headers: { 'Cache-Control': 'no-store' } },
    );
  return Response.json(
    // The server's time too: rooms count down from it (app/collab/server-clock.ts).
    { token: issueLiveToken(context.app.secret, user.id, 'user', 300), serverNow: Date.now() },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
