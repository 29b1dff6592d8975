import type { LoaderFunctionArgs } from '@remix-run/node';
import { guestFromCookie } from '~/services/sessions/guest-cookie.server';

/** The live channel's token for a session guest: their signed guest token, from the cookie of this session only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const guest = await guestFromCookie(context, request, params.sessionId ?? '');
  if (!guest)
    return Response.json(
      { error: 'Not a guest of this session' },
      { status: 401, headers: { 'Cache-Control': 'no-store' } },
    );
  // The server's time too: rooms count down from it (app/collab/server-clock.ts).
  return Response.json(
    { token: guest.token, serverNow: Date.now() },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
