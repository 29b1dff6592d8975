import { type AppLoadContext, data } from '@remix-run/node';
import { isAppError } from '~/domain/errors';
import { decks } from '~/domain/poker';
import { runSessionCommand, sessionCommands } from '~/services/sessions/dispatch.server';
import { guestFromCookie } from '~/services/sessions/guest-cookie.server';
import { type SessionView, prioritisationRoomData, sessionView } from '~/services/sessions/view.server';
import { runSprintCommand } from '~/services/sprints/commands.server';
import { feedbackSchema } from '~/services/sprints/review.server';
import { sprintOfReviewSession, sprintView } from '~/services/sprints/view.server';
import {
  type ControlReply,
  type FormReply,
  formRefusal,
  parseFormSubmission,
  refuseSubmission,
} from '~/utils/form-submission';

/**
 * A guest's room: their one session, read with their guest identity (`guest:<participant id>`), so the services
 * decide what they see and may do exactly as for the API. Nothing of the product beyond the session's agenda.
 */
export async function loadGuestRoom(context: AppLoadContext, request: Request, sessionId: string) {
  const loadedAt = Date.now();
  const guest = await guestFromCookie(context, request, sessionId);
  if (!guest) return data({ state: 'not_joined' as const }, { status: 401 });
  let view: Awaited<ReturnType<typeof sessionView>>;
  try {
    view = await sessionView(context.app.db, sessionId, guest.actorId);
  } catch (error) {
    if (!isAppError(error)) throw error;
    // The token is ours and valid, so the participant was removed (or the session deleted). The cookie stays, so
    // the page keeps saying why rather than asking them to join; it opens nothing any more and expires by itself.
    return data({ state: 'removed' as const }, { status: 403 });
  }
  const prioritisation = await prioritisationRoomData(context.app.db, view, guest.actorId, 'dots');
  const review = view.session.kind === 'review' ? await guestReview(context, sessionId, guest.actorId) : null;
  const refinement = view.session.kind === 'refinement' ? guestRefinement(view) : null;
  const me = view.me ? view.participants.find((p) => p.id === view.me?.participantId) : undefined;
  return {
    state: 'in' as const,
    session: {
      id: view.session.id,
      title: view.session.title,
      kind: view.session.kind,
      ended: view.session.state === 'ended',
      facilitatorName: view.session.facilitatorName,
      timer: view.session.timer,
    },
    me: {
      participantId: guest.participantId,
      name: me?.name ?? 'Guest',
      spectator: view.me?.spectator ?? true,
    },
    participants: view.participants.map((p) => ({
      id: p.id,
      name: p.name,
      spectator: p.spectator,
      guest: p.userId === null,
    })),
    prioritisation: prioritisation?.data ?? null,
    agenda: view.agenda.map((a) => ({ itemId: a.itemId, title: a.title })),
    review,
    refinement,
    loadedAt,
    serverNow: Date.now(),
  };
}

/**
 * A refinement as a guest follows it, from the same view as the team's (so nothing secret can differ): the agenda,
 * the current item with its text and Definition of Ready, the poker rounds (who has voted, their own card, the
 * cards only after a reveal), the people with raised hands, and the questions. Read-only but for their own hand,
 * questions, and cards while the facilitator lets guests estimate.
 */
function guestRefinement(view: SessionView) {
  return {
    phase: view.session.phase,
    currentItemId: view.session.currentItemId,
    facilitatorId: view.session.facilitatorId,
    deck: view.session.settings.deck,
    cards: [...decks[view.session.settings.deck]],
    guestsEstimate: view.session.settings.guestsEstimate,
    mayEstimate: view.may.estimate,
    handRaised: view.me?.handRaised ?? false,
    agenda: view.agenda,
    current: view.current,
    people: view.participants,
    notes: view.notes.map((n) => ({
      id: n.id,
      text: n.text,
      itemId: n.itemId,
      resolved: n.resolved,
      author: n.author,
    })),
  };
}

/**
 * A sprint review as a guest sees it: the sprint goal, the items with their outcome so far, and the feedback given
 * (everyone's, live). Guests give feedback; the product owner decides.
 */
async function guestReview(context: AppLoadContext, sessionId: string, actorId: string) {
  const sprintId = await sprintOfReviewSession(context.app.db, sessionId);
  if (!sprintId) return null;
  const view = await sprintView(context.app.db, sprintId, actorId);
  const titles = new Map(view.items.map((i) => [i.id, i.title]));
  return {
    sprintId,
    sprintName: view.sprint.name,
    goal: view.sprint.goal,
    mayFeedback: view.may.feedback,
    items: view.items
      .filter((i) => i.state !== 'removed')
      .map((i) => ({ id: i.id, title: i.title, done: i.doneAt !== null, outcome: i.outcome })),
    // The items under review as the team sees them: description, every checklist line and its tick (nothing in a
    // review is secret), read-only. Ticks and new feedback show from the live document, then the room reloads.
    checklists: view.items
      .filter((i) => i.state === 'done' || i.state === 'accepted' || i.state === 'rejected')
      .map((i) => ({
        id: i.id,
        title: i.title,
        description: i.description,
        type: i.type,
        status: i.status,
        estimate: i.estimate,
        state: i.state,
        pointsAtReview: i.pointsAtReview,
        notReadyReason: null,
        outcomeNote: i.outcomeNote,
        unfinishedDecision: i.unfinishedDecision,
        nextSprintName: i.nextSprintName,
        lines: i.lines,
        outdatedTicks: i.outdatedTicks.map(({ line, label, met, reason }) => ({
          line,
          label,
          met,
          reason,
          replacedBy: null,
        })),
      })),
    feedback: view.feedback.map((f) => ({
      id: f.id,
      text: f.text,
      author: f.author,
      about: f.itemId ? (titles.get(f.itemId) ?? null) : null,
    })),
  };
}

/** Feedback from a guest in a sprint review (the service checks that the review is running and who may give it). */
async function giveReviewFeedback(
  context: AppLoadContext,
  sessionId: string,
  actorId: string,
  form: FormData,
) {
  const sprintId = await sprintOfReviewSession(context.app.db, sessionId);
  if (!sprintId) return refuse('addReviewFeedback', 409, formRefusal('This session is not a sprint review.'));
  const submission = parseFormSubmission(form, feedbackSchema);
  if (submission.status !== 'success') return refuse('addReviewFeedback', 400, submission.reply());
  try {
    await runSprintCommand(context.app, 'addReviewFeedback', { sprintId }, actorId, submission.value);
  } catch (error) {
    if (isAppError(error))
      return refuse(
        'addReviewFeedback',
        error.status,
        refuseSubmission(submission, error.detail, { field: error.extra.field }),
      );
    throw error;
  }
  return { command: 'addReviewFeedback', result: submission.reply(), at: Date.now() } satisfies ControlReply;
}

/**
 * What a guest may ask for in the room; the services check everything else (session, voting open, budget, whether
 * guests may estimate in this refinement).
 */
const guestCommands = [
  'castDots',
  'submitScores',
  'raiseHand',
  'addNote',
  'castEstimate',
  'setSpectator',
] as const;
type GuestCommand = (typeof guestCommands)[number];
const isGuestCommand = (name: unknown): name is GuestCommand => guestCommands.includes(name as GuestCommand);

const refuse = (command: string, status: number, result: FormReply) =>
  data({ command, result } satisfies ControlReply, { status });

export async function runGuestCommand(context: AppLoadContext, request: Request, sessionId: string) {
  const guest = await guestFromCookie(context, request, sessionId);
  const form = await request.formData();
  const name = form.get('command');
  const label = typeof name === 'string' ? name.slice(0, 40) : 'unknown';
  if (!guest)
    return refuse(label, 401, formRefusal('You are not in this session any more: join again by its link.'));
  if (name === 'addReviewFeedback') return giveReviewFeedback(context, sessionId, guest.actorId, form);
  if (!isGuestCommand(name))
    return refuse(label, 403, formRefusal('Guests vote and score; the facilitator runs the session.'));
  const submission = parseFormSubmission(form, sessionCommands[name].schema);
  if (submission.status !== 'success') return refuse(name, 400, submission.reply());
  try {
    await runSessionCommand(context.app, name, sessionId, guest.actorId, submission.value as never);
  } catch (error) {
    if (isAppError(error))
      return refuse(
        name,
        error.status,
        refuseSubmission(submission, error.detail, { field: error.extra.field }),
      );
    throw error;
  }
  return { command: name, result: submission.reply(), at: Date.now() } satisfies ControlReply;
}

/** A guest's review as the guest room's loader sends it (the component's props come from here). */
export type GuestReviewData = NonNullable<Awaited<ReturnType<typeof guestReview>>>;
