import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { isAppError } from '~/domain/errors';
import { preselectForRefinement } from '~/domain/refinement';
import { can } from '~/domain/roles';
import { authorize, listMembers } from '~/services/products.server';
import { agendaCandidates } from '~/services/sessions/agenda-candidates.server';
import { customDecksOf } from '~/services/sessions/poker-decks.server';
import { createSession, createSessionSchema, listSessions } from '~/services/sessions/sessions.server';
import { formatDateTime, todayIn } from '~/utils/dates';
import { type FormReply, parseFormSubmission } from '~/utils/form-submission';
import { backlogItems } from '../../../db/schema';

/** The agenda a new session proposes: the top items that can be refined and estimated and are not ready yet. */
const defaultAgendaSize = 5;

/** The sessions page; times and today's date in the viewer's `timeZone`. */
export async function loadSessionsPage(
  context: AppLoadContext,
  productId: string,
  userId: string,
  url: URL,
  timeZone: string,
) {
  const { db } = context.app;
  const role = await authorize(db, productId, userId, 'product.view');
  const sessions = (await listSessions(db, productId, userId)).map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    phase: s.phase,
    state: s.state,
    participants: s.participants,
    createdAt: formatDateTime(s.createdAt, timeZone),
    endedAt: s.endedAt ? formatDateTime(s.endedAt, timeZone) : null,
    votingWindow: s.votingWindow
      ? { state: s.votingWindow.state, closesAt: formatDateTime(s.votingWindow.closesAt, timeZone) }
      : null,
  }));
  if (!can(role, 'session.run')) return { sessions, create: null };
  const q = url.searchParams.get('q')?.trim().slice(0, 200) ?? '';
  const [members, candidates, ownDecks] = await Promise.all([
    listMembers(db, productId, userId),
    agendaCandidates(db, productId, q),
    customDecksOf(db, productId),
  ]);
  const today = todayIn(timeZone);
  return {
    sessions,
    create: {
      defaultTitle: `Refinement ${today}`,
      facilitators: members
        .filter((m) => m.role !== 'stakeholder')
        .map((m) => ({ userId: m.userId, name: m.displayName, role: m.role, me: m.userId === userId })),
      q,
      /** the product's own poker decks (Settings), offered beside the built-in ones */
      decks: ownDecks.map((d) => ({ id: d.id, name: d.name, cards: d.cards })),
      candidates: candidates.items,
      /** how many refinable items match (the list shows at most `candidateLimit`) */
      total: candidates.total,
      defaultAgenda: q
        ? []
        : candidates.items
            .filter(preselectForRefinement)
            .slice(0, defaultAgendaSize)
            .map((c) => c.id),
    },
  };
}

export type SessionsPage = Awaited<ReturnType<typeof loadSessionsPage>>;

/** What the create action answers: the form reply, and which form (refinement or prioritisation) it belongs to. */
export type CreateSessionReply = { kind: string; result: FormReply };

const notCreated = 'The session was not created: check the marked field.';

const refuse = (kind: string, status: number, result: FormReply) =>
  data({ kind, result } satisfies CreateSessionReply, { status });

/** Creates a refinement or prioritisation session from the form and opens its room. */
export async function createFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  const asked = form.get('kind');
  const kind =
    asked === 'prioritisation' || asked === 'three_amigos'
      ? (asked as 'prioritisation' | 'three_amigos')
      : 'refinement';
  const submission = parseFormSubmission(form, createSessionSchema);
  if (submission.status !== 'success')
    return refuse(kind, 400, submission.reply({ formErrors: [notCreated] }));
  const input = submission.value;
  // The agenda follows the backlog order, whatever order the boxes were ticked in.
  if (input.agenda.length > 1) {
    const ranked = await db
      .select({ id: backlogItems.id })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, input.agenda)))
      .orderBy(asc(backlogItems.rank));
    const known = new Set(ranked.map((r) => r.id));
    input.agenda = [...ranked.map((r) => r.id), ...input.agenda.filter((id) => !known.has(id))];
  }
  try {
    const session = await createSession(db, productId, userId, { ...input, kind });
    context.app.log.info({ event: 'session_created', productId, sessionId: session.id, by: userId });
    return redirect(`/products/${productId}/sessions/${session.id}`);
  } catch (error) {
    if (isAppError(error)) {
      const { field } = error.extra;
      return refuse(
        kind,
        error.status,
        submission.reply({
          formErrors: [error.detail],
          fieldErrors: field ? { [field]: [error.detail] } : {},
        }),
      );
    }
    throw error;
  }
}
