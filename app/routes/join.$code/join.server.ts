import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { isAppError } from '~/domain/errors';
import { joinIntro } from '~/domain/join-text';
import { roleIn } from '~/services/products.server';
import { clientAddress, getUser } from '~/services/auth.server';
import { runGuestJoin, runSessionCommand } from '~/services/sessions/dispatch.server';
import { guestCookieHeader, guestRoomPath, sessionByJoinCode } from '~/services/sessions/guest-cookie.server';
import { guestJoinSchema, guestJoinWait } from '~/services/sessions/guests.server';
import { settingsOf } from '~/services/sessions/sessions.server';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';

export type JoinPage =
  | { state: 'invalid' | 'ended' | 'closed'; title: string | null }
  | { state: 'member'; title: string; kind: string; signedInName: string }
  | { state: 'open'; title: string; kind: string; intro: string; signedInName: string | null };

const page = (body: JoinPage, status = 200) => data(body, { status });

/**
 * The join link, shown without changing anything (a GET must be safe: link previews, prefetching and a forged
 * <img> may all fetch it). A member who is signed in sees a Join button for their account; anyone else sees the
 * form for a display name, or why they cannot join (link not valid, session ended, link closed). Joining is the POST.
 */
export async function loadJoinPage(context: AppLoadContext, request: Request, code: string) {
  const session = await sessionByJoinCode(context, code);
  if (!session) return page({ state: 'invalid', title: null }, 404);
  if (session.endedAt) return page({ state: 'ended', title: session.title }, 410);
  const user = await getUser(request, context);
  if (user && (await roleIn(context.app.db, session.productId, user.id))) {
    return page({
      state: 'member',
      title: session.title,
      kind: session.kind,
      signedInName: user.displayName,
    });
  }
  if (!session.guestsAllowed) return page({ state: 'closed', title: session.title }, 403);
  return page({
    state: 'open',
    title: session.title,
    kind: session.kind,
    intro: joinIntro(session.kind, settingsOf(session)),
    signedInName: user?.displayName ?? null,
  });
}

/** What the join action answers when the guest stays on the page: the form reply (the name's problem, or why not). */
export type JoinReply = { result: FormReply };

export async function joinByForm(context: AppLoadContext, request: Request, code: string) {
  const member = await memberJoin(context, request, code);
  if (member) return member;
  // Limited per address, with the API's joins in the same count, so a script cannot fill a session.
  const wait = guestJoinWait(context.app, clientAddress(request));
  if (wait !== null) {
    return data(
      {
        result: formRefusal(`Too many joins from your address; try again in ${wait} seconds.`),
      } satisfies JoinReply,
      {
        status: 429,
        headers: { 'Retry-After': String(wait) },
      },
    );
  }
  const submission = parseFormSubmission(await request.formData(), guestJoinSchema);
  if (submission.status !== 'success')
    return data({ result: submission.reply() } satisfies JoinReply, { status: 400 });
  try {
    const joined = await runGuestJoin(context.app, code, submission.value);
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
      return data(
        {
          result: refuseSubmission(submission, error.detail, { field: error.extra.field }),
        } satisfies JoinReply,
        { status: error.status },
      );
    throw error;
  }
}

/** A signed-in member of the session's product joins with their account and goes to the room; null for anyone else. */
async function memberJoin(context: AppLoadContext, request: Request, code: string) {
  const user = await getUser(request, context);
  if (!user) return null;
  const session = await sessionByJoinCode(context, code);
  if (!session || !(await roleIn(context.app.db, session.productId, user.id))) return null;
  // A refusal (e.g. a race with the session ending) still takes them to the room, which says why.
  await runSessionCommand(context.app, 'join', session.id, user.id, {}).catch(() => null);
  return redirect(`/products/${session.productId}/sessions/${session.id}`);
}
