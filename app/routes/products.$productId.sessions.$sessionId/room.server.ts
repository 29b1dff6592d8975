import { type AppLoadContext, data } from '@remix-run/node';
import { and, asc, eq, ne } from 'drizzle-orm';
import { AppError, isAppError } from '~/domain/errors';
import { decks } from '~/domain/poker';
import { type OrderMethod, orderMethods } from '~/domain/score-results';
import { sessionAccess } from '~/services/sessions/access.server';
import {
  runSessionCommand,
  type SessionCommandName,
  sessionCommandMessage,
  sessionCommands,
} from '~/services/sessions/dispatch.server';
import { facilitationData } from '~/services/sessions/facilitation.server';
import { refinementGuestPanel } from '~/services/sessions/guests.server';
import { prioritisationRoomData, sessionView } from '~/services/sessions/view.server';
import {
  type ControlReply,
  type FormReply,
  formRefusal,
  parseFormSubmission,
  refuseSubmission,
} from '~/utils/form-submission';
import { backlogItems } from '../../../db/schema';

/** The session only through the product in the URL: another product's session is "not found" here. */
async function assertInProduct(
  context: AppLoadContext,
  productId: string,
  sessionId: string,
  userId: string,
) {
  const { session } = await sessionAccess(context.app.db, sessionId, userId);
  if (session.productId !== productId) throw new AppError('not_found', 'No such session in this product');
}

export async function loadRoom(
  context: AppLoadContext,
  productId: string,
  sessionId: string,
  userId: string,
  /** the order the prioritisation proposal uses (`?order=`): dots, wsjf or combined */
  orderMethod = 'dots',
  /** where guest links point: PUBLIC_URL or the request's origin */
  origin = 'http://localhost',
) {
  // Taken before the reads: a change announced after this moment may not be in them, so the live view reloads.
  const loadedAt = Date.now();
  const view = await sessionView(context.app.db, sessionId, userId);
  if (view.session.productId !== productId)
    throw new AppError('not_found', 'No such session in this product');
  const myName = view.me
    ? (view.participants.find((p) => p.id === view.me?.participantId)?.name ?? null)
    : null;
  const method = (orderMethods as readonly string[]).includes(orderMethod)
    ? (orderMethod as OrderMethod)
    : 'dots';
  return {
    ...view,
    prioritisationRoom: await prioritisationRoomData(context.app.db, view, userId, method),
    /** refinement, for whoever runs it: the guest link, whether guests estimate, and the guests */
    refinementGuests: await refinementGuestPanel(context.app.db, view, origin),
    myName,
    cards: [...decks[view.session.settings.deck]],
    /** for whoever facilitates: decks to open a round with, and who facilitation can be handed to */
    facilitation: view.may.facilitate ? await facilitationData(context.app.db, view.session.id) : null,
    /** three amigos, for the developer: the product's items a dependency may name */
    amigoLinkable:
      view.threeAmigos?.myPart === 'developer'
        ? await linkableItems(context.app.db, view.session.productId, view.threeAmigos.itemId)
        : [],
    loadedAt,
    /** the server's clock, so countdowns agree across machines whose clocks differ */
    serverNow: Date.now(),
  };
}

/** The product's active items other than the story, in backlog order (at most 200), for a dependency's link. */
async function linkableItems(db: AppLoadContext['app']['db'], productId: string, storyId: string) {
  return db
    .select({ id: backlogItems.id, title: backlogItems.title })
    .from(backlogItems)
    .where(
      and(
        eq(backlogItems.productId, productId),
        ne(backlogItems.status, 'archived'),
        ne(backlogItems.id, storyId),
      ),
    )
    .orderBy(asc(backlogItems.rank))
    .limit(200);
}

export type RoomData = Awaited<ReturnType<typeof loadRoom>>;

const refuse = (command: string, status: number, result: FormReply) =>
  data({ command, result } satisfies ControlReply, { status });

const isCommand = (name: unknown): name is SessionCommandName =>
  typeof name === 'string' && Object.hasOwn(sessionCommands, name);

/**
 * One form field, `command`, names the session command; the other fields are read as that command's input
 * (numbers, booleans, rows) and validated by its schema (the form pipeline, decision 0035). A refusal comes back as
 * the control's form reply, its message beside the field it concerns, with the status of the refusal (400, 403, 404,
 * 409), never as an error page.
 */
export async function runRoomCommand(
  context: AppLoadContext,
  productId: string,
  sessionId: string,
  userId: string,
  form: FormData,
) {
  const name = form.get('command');
  if (!isCommand(name))
    return refuse(
      typeof name === 'string' ? name.slice(0, 40) : 'unknown',
      400,
      formRefusal('That request was not understood. Reload the page and try again.'),
    );
  const submission = parseFormSubmission(form, sessionCommands[name].schema);
  if (submission.status !== 'success') return refuse(name, 400, submission.reply());
  let message: string | undefined;
  try {
    await assertInProduct(context, productId, sessionId, userId);
    const result = await runSessionCommand(context.app, name, sessionId, userId, submission.value as never);
    message = sessionCommandMessage(name, result);
  } catch (error) {
    if (isAppError(error))
      return refuse(
        name,
        error.status,
        refuseSubmission(submission, error.detail, { field: error.extra.field }),
      );
    throw error;
  }
  return { command: name, result: submission.reply(), at: Date.now(), message } satisfies ControlReply;
}
