import { type AppLoadContext, createCookie } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { liveSessions } from '../../../db/schema';
import { verifyLiveToken } from '~/domain/signed-token';
import { guestActor } from './access.server';
import { guestTokenSeconds } from './guests.server';

/**
 * A guest's browser keeps their signed guest token in an httpOnly, SameSite=Lax cookie whose path is their one
 * session's guest pages (`/guest/<session id>`: the room, its data requests and the live token), so it is never
 * sent anywhere else in the app, and a guest of two sessions holds two independent cookies. (The room is one
 * level below, because Remix fetches a page's data from `<path>.data`, which a cookie path of the page itself
 * would not cover.)
 */
const guestCookiePath = (sessionId: string) => `/guest/${sessionId}`;
export const guestRoomPath = (sessionId: string) => `${guestCookiePath(sessionId)}/room`;

function guestCookie(context: AppLoadContext, request: Request, sessionId: string) {
  const secure = new URL(context.app.config.PUBLIC_URL ?? request.url).protocol === 'https:';
  return createCookie('refinery_guest', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: guestCookiePath(sessionId),
    maxAge: guestTokenSeconds,
    secrets: [context.app.secret],
  });
}

export async function guestCookieHeader(
  context: AppLoadContext,
  request: Request,
  sessionId: string,
  token: string,
) {
  return guestCookie(context, request, sessionId).serialize(token);
}

export async function clearGuestCookieHeader(context: AppLoadContext, request: Request, sessionId: string) {
  return guestCookie(context, request, sessionId).serialize('', { maxAge: 0 });
}

/** The guest's token and actor id from the cookie, when it is there, signed by us and not expired. */
export async function guestFromCookie(context: AppLoadContext, request: Request, sessionId: string) {
  const header = request.headers.get('Cookie');
  if (!header) return null;
  const token = await guestCookie(context, request, sessionId)
    .parse(header)
    .catch(() => null);
  const verified = verifyLiveToken(context.app.secret, token);
  if (!verified.ok || verified.payload.kind !== 'guest') return null;
  return {
    token: token as string,
    participantId: verified.payload.sub,
    actorId: guestActor(verified.payload.sub),
  };
}

/** The session a join link names (or null), with what the join page needs to say about it. */
export async function sessionByJoinCode(context: AppLoadContext, code: string) {
  if (code.length === 0 || code.length > 100) return null;
  const [session] = await context.app.db
    .select({
      id: liveSessions.id,
      productId: liveSessions.productId,
      title: liveSessions.title,
      kind: liveSessions.kind,
      endedAt: liveSessions.endedAt,
      guestsAllowed: liveSessions.guestsAllowed,
      settings: liveSessions.settings,
    })
    .from(liveSessions)
    .where(eq(liveSessions.joinCode, code));
  return session ?? null;
}
