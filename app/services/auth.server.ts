import { type AppLoadContext, createCookie, redirect } from '@remix-run/node';
import { safeRedirect } from '~/domain/safe-redirect';
import {
  type PublicUser,
  createLoginSession,
  deleteLoginSession,
  sessionDays,
  userForSession,
} from './accounts.server';

/** The browser session: a signed, httpOnly cookie holding only the session id; the row in Postgres is the truth. */
function sessionCookie(context: AppLoadContext, request: Request) {
  const secure = new URL(context.app.config.PUBLIC_URL ?? request.url).protocol === 'https:';
  return createCookie('refinery_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: sessionDays * 86_400,
    secrets: [context.app.secret],
  });
}

async function sessionId(request: Request, context: AppLoadContext): Promise<string | null> {
  const header = request.headers.get('Cookie');
  if (!header) return null;
  // A forged or tampered cookie fails the signature check and parses to null: the caller is simply signed out.
  const value = await sessionCookie(context, request)
    .parse(header)
    .catch(() => null);
  return typeof value === 'string' && value.length < 200 ? value : null;
}

async function lookUpUser(request: Request, context: AppLoadContext): Promise<PublicUser | null> {
  const id = await sessionId(request, context);
  return id ? userForSession(context.app.db, id) : null;
}

// One look-up per HTTP request: the root, the layout and the page each ask for the user, and one request runs all
// of their loaders (every live reload of a room does). The load context is made afresh for each request.
const lookUps = new WeakMap<AppLoadContext, Map<string, Promise<PublicUser | null>>>();

/** The signed-in user, or null; looked up once per request and cookie. */
export function getUser(request: Request, context: AppLoadContext): Promise<PublicUser | null> {
  const cookie = request.headers.get('Cookie') ?? '';
  let byCookie = lookUps.get(context);
  if (!byCookie) {
    byCookie = new Map();
    lookUps.set(context, byCookie);
  }
  const known = byCookie.get(cookie);
  if (known) return known;
  const found = lookUpUser(request, context);
  byCookie.set(cookie, found);
  // A failed look-up (the database away) is not remembered.
  found.catch(() => byCookie.delete(cookie));
  return found;
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<PublicUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/** Logs the user in and sends them to `redirectTo` (user input: only a same-origin path is followed). */
export async function startSession(
  request: Request,
  context: AppLoadContext,
  userId: string,
  redirectTo: unknown,
) {
  const session = await createLoginSession(context.app.db, userId);
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': await sessionCookie(context, request).serialize(session.id) },
  });
}

export async function endSession(request: Request, context: AppLoadContext) {
  const id = await sessionId(request, context);
  if (id) await deleteLoginSession(context.app.db, id);
  return redirect('/login', {
    headers: { 'Set-Cookie': await sessionCookie(context, request).serialize('', { maxAge: 0 }) },
  });
}

/**
 * The client address for throttling. The HTTP layer sets this header from the socket (or the proxy's header when
 * TRUST_PROXY is on) and overwrites any value a client sent.
 */
export function clientAddress(request: Request): string {
  return request.headers.get('x-refinery-client-address') ?? 'unknown';
}
