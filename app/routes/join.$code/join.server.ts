import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { isAppError } from '~/domain/errors';
import { roleIn } from '~/services/products.server';
import { clientAddress, getUser } from '~/services/session.server';
import { runSessionCommand } from '~/services/sessions/dispatch.server';
import { guestCookieHeader, guestRoomPath, sessionByJoinCode } from '~/services/sessions/guest-cookie.server';
import { guestJoinSchema, guestJoinWait, joinAsGuest } from '~/services/sessions/guests.server';
import { publishSession } from '~/services/sessions/live.server';
import { parseFormInput } from '~/utils/form-input';

export type JoinPage =
  | { state: 'invalid' | 'ended' | 'closed'; title: string | null }
  | { state: 'open'; title: string; kind: string; signedInName: string | null };

const page = (body: JoinPage, status = 200) => data(body, { status });

/**
 * The join link. A member who is signed in joins with their account and goes to the room; anyone else sees the
 * form for a display name, or why they cannot join (link not valid, session ended, link closed).
 */
export async function loadJoinPage(context: AppLoadContext, request: Request, code: string) {
  const session = await sessionByJoinCode(context, code);
  if (!session) return page({ state: 'invalid', title: null }, 404);
  if (session.endedAt) return page({ state: 'ended', title: session.title }, 410);
  const user = await getUser(request, context);
  if (user && (await roleIn(context.app.db, session.productId, user.id))) {
    // Members join with their account; a refusal (e.g. a race with the session ending) still takes them to the room.
    await runSessionCommand(context.app, 'join', session.id, user.id, {}).catch(() => null);
    throw redirect(`/products/${session.productId}/sessions/${session.id}`);
  }
  if (!session.guestsAllowed) return page({ state: 'closed', title: session.title }, 403);
  return page({
    state: 'open',
    title: session.title,
    kind: session.kind,
    signedInName: user?.displayName ?? null,
  });
}

export type JoinResult = { ok: false; error: string };

export async function joinByForm(context: AppLoadContext, request: Request, code: string) {
  // Limited per address, with the API's joins in the same count, so a script cannot fill a session.
  const wait = guestJoinWait(context.app, clientAddress(request));
  if (wait !== null) {
    return data(
      {
        ok: false as const,
        error: `Too many joins from your address; try again in ${wait} seconds.`,
      } satisfies JoinResult,
      {
        status: 429,
        headers: { 'Retry-After': String(wait) },
      },
    );
  }
  const parsed = parseFormInput(guestJoinSchema, await request.formData());
  if (!parsed.ok)
    return data({ ok: false as const, error: parsed.message } satisfies JoinResult, { status: 400 });
  try {
    const joined = await joinAsGuest(context.app.db, context.app.secret, code, parsed.data);
    await publishSession(context.app, joined.sessionId, 'join');
    context.app.log.info({
      event: 'guest_joined',
      sessionId: joined.sessionId,
      participantId: joined.participantId,
    });
    return redirect(guestRoomPath(joined.sessionId), {
      headers: {
        'Set-Cookie': await guestCookieHeader(context, request, joined.sessionId, joined.guestToken),
      },
    });
  } catch (error) {
    if (isAppError(error))
      return data({ ok: false as const, error: error.detail } satisfies JoinResult, { status: error.status });
    throw error;
  }
}
