import { z } from 'zod';
import { type AppError, isAppError } from '~/domain/errors';
import { RateLimiter } from '~/domain/rate-limit';
import { triageActions } from '~/domain/requests';
import type { CommandServices } from '~/services/commands/runner.server';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import type { Db } from '../../../db/client';
import { runRequestCommand } from './commands.server';
import {
  answerByFollowToken,
  answerSchema,
  createRequestLink,
  linkRequestSchema,
  revokeRequestLink,
  sendRequestByLink,
  sendRequestSchema,
  triageSchema,
} from './requests.server';

/* The forms of the requests pages, read by the one form pipeline (decision 0035) and run as commands. */

export const requestIntents = ['send', 'triage', 'answer', 'create-link', 'revoke-link'] as const;
export type RequestIntent = (typeof requestIntents)[number];

export interface RequestFormReply {
  intent: RequestIntent;
  /** the request the form was about (a triage or an answer), so the page shows the reply beside it */
  requestId?: string;
  result: FormReply;
  message?: string;
  /** a new request link's token, shown once */
  linkToken?: string;
}

/** Triage as a form: one flat set of fields whatever the action, mapped onto the command's own schema. */
export const triageForm = z.object({
  requestId: z.string().max(100),
  action: z.enum(triageActions, { message: 'Choose what to do with the request' }),
  position: z.enum(['top', 'bottom', 'after']).optional(),
  afterItemId: z.string().max(100).optional(),
  itemId: z.string().max(100).optional(),
  question: z.string().max(2000, 'Question must be at most 2000 characters').default(''),
  reason: z.string().max(2000, 'Reason must be at most 2000 characters').default(''),
  note: z.string().max(2000, 'Note must be at most 2000 characters').optional(),
});

const answerForm = answerSchema.extend({ requestId: z.string().max(100) });
const revokeForm = z.object({ linkId: z.string().max(100) });

function refusal(
  intent: RequestIntent,
  submission: { reply: () => FormReply },
  error: AppError,
  requestId?: string,
) {
  return {
    reply: {
      intent,
      requestId,
      result: refuseSubmission(submission as never, error.detail, { field: error.extra.field }),
    } satisfies RequestFormReply,
    status: error.status,
  };
}

/** The requests page's forms: send (any member), triage (the PO), answer (the requester), request links (the PO). */
export async function runRequestForm(
  services: CommandServices,
  productId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: RequestFormReply; status: number }> {
  const intent = String(form.get('intent') ?? '') as RequestIntent;
  if (!requestIntents.includes(intent))
    return { reply: { intent: 'send', result: formRefusal('Unknown form') }, status: 400 };
  const fail = (submission: { reply: () => FormReply }, requestId?: string) => ({
    reply: { intent, requestId, result: submission.reply() } satisfies RequestFormReply,
    status: 400,
  });
  const guard = async <T>(
    submission: { reply: () => FormReply },
    work: () => Promise<T>,
    done: (value: T) => RequestFormReply,
    requestId?: string,
  ) => {
    try {
      return { reply: done(await work()), status: 200 };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return refusal(intent, submission, error, requestId);
    }
  };

  if (intent === 'send') {
    const submission = parseFormSubmission(form, sendRequestSchema);
    if (submission.status !== 'success') return fail(submission);
    return guard(
      submission,
      () => runRequestCommand(services, 'sendRequest', { productId }, userId, submission.value),
      (request) => ({
        intent,
        result: submission.reply({ resetForm: true }),
        message: `Sent: “${request.title}” is in the product owner’s inbox.`,
      }),
    );
  }
  if (intent === 'triage') {
    const submission = parseFormSubmission(form, triageForm);
    const requestId = String(form.get('requestId') ?? '');
    if (submission.status !== 'success') return fail(submission, requestId);
    const v = submission.value;
    const input = triageSchema.safeParse(
      v.action === 'accept'
        ? {
            action: 'accept',
            position: v.position ?? 'bottom',
            afterItemId: v.position === 'after' ? v.afterItemId || undefined : undefined,
            note: v.note || undefined,
          }
        : v.action === 'merge'
          ? { action: 'merge', itemId: v.itemId ?? '', note: v.note || undefined }
          : v.action === 'ask'
            ? { action: 'ask', question: v.question }
            : { action: 'decline', reason: v.reason },
    );
    if (!input.success) {
      const issue = input.error.issues[0];
      const field = String(issue.path[0] ?? '');
      const message = field === 'itemId' || field === 'afterItemId' ? 'Choose an item' : issue.message;
      return {
        reply: { intent, requestId, result: refuseSubmission(submission, message, { field }) },
        status: 400,
      };
    }
    return guard(
      submission,
      () =>
        runRequestCommand(
          services,
          'triageRequest',
          { productId, requestId: v.requestId },
          userId,
          input.data,
        ),
      (result) => ({
        intent,
        requestId,
        result: submission.reply({ resetForm: true }),
        message: {
          accepted: `Accepted: “${result.request.title}” is in the backlog.`,
          merged: `Merged “${result.request.title}” into the item.`,
          needs_info: 'Asked: the requester can answer now.',
          declined: `Declined “${result.request.title}”, with your reason.`,
        }[result.event.state],
      }),
      requestId,
    );
  }
  if (intent === 'answer') {
    const submission = parseFormSubmission(form, answerForm);
    const requestId = String(form.get('requestId') ?? '');
    if (submission.status !== 'success') return fail(submission, requestId);
    return guard(
      submission,
      () =>
        runRequestCommand(services, 'answerRequest', { productId, requestId }, userId, {
          answer: submission.value.answer,
        }),
      () => ({ intent, requestId, result: submission.reply({ resetForm: true }), message: 'Answer sent.' }),
      requestId,
    );
  }
  if (intent === 'create-link') {
    const submission = parseFormSubmission(form, z.object({}));
    return guard(
      submission,
      () => createRequestLink(services.db, productId, userId),
      (link) => ({
        intent,
        result: submission.reply(),
        linkToken: link.token,
        message: 'Request link created.',
      }),
    );
  }
  const submission = parseFormSubmission(form, revokeForm);
  if (submission.status !== 'success') return fail(submission);
  return guard(
    submission,
    () => revokeRequestLink(services.db, productId, userId, submission.value.linkId),
    () => ({
      intent,
      result: submission.reply(),
      message: 'Request link withdrawn: it takes no more requests.',
    }),
  );
}

/* The public pages: the request link's form and the follow link's answer, for people without an account. */

/** Public request-form posts per address (sending and answering share the count). */
export const publicRequestLimit = { count: 10, windowMs: 10 * 60_000 };
const publicLimiters = new WeakMap<object, RateLimiter>();

/** Seconds to wait before this address may post a public request form again, or null. One limiter per app. */
export function publicRequestWait(app: object, address: string): number | null {
  let limiter = publicLimiters.get(app);
  if (!limiter) {
    limiter = new RateLimiter(publicRequestLimit.count, publicRequestLimit.windowMs);
    publicLimiters.set(app, limiter);
  }
  return limiter.hit(address);
}

export interface PublicFormReply {
  result: FormReply;
  message?: string;
}

const tooMany = (wait: number) => ({
  reply: { result: formRefusal(`Too many requests from your address; try again in ${wait} seconds.`) },
  status: 429,
  retryAfter: wait,
});

/** Someone sends a request by the product's link; on success, the follow token for their follow page. */
export async function runLinkRequestForm(
  app: { db: Db },
  token: string,
  address: string,
  form: FormData,
): Promise<{ reply: PublicFormReply; status: number; followToken?: string; retryAfter?: number }> {
  const wait = publicRequestWait(app, address);
  if (wait !== null) return tooMany(wait);
  const submission = parseFormSubmission(form, linkRequestSchema);
  if (submission.status !== 'success') return { reply: { result: submission.reply() }, status: 400 };
  try {
    const sent = await sendRequestByLink(app.db, token, submission.value);
    return { reply: { result: submission.reply() }, status: 200, followToken: sent.followToken };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      reply: { result: refuseSubmission(submission, error.detail, { field: error.extra.field }) },
      status: error.status,
    };
  }
}

/** A link user answers the PO's question on their follow page. */
export async function runFollowAnswerForm(
  app: { db: Db },
  token: string,
  address: string,
  form: FormData,
): Promise<{ reply: PublicFormReply; status: number; retryAfter?: number }> {
  const wait = publicRequestWait(app, address);
  if (wait !== null) return tooMany(wait);
  const submission = parseFormSubmission(form, answerSchema);
  if (submission.status !== 'success') return { reply: { result: submission.reply() }, status: 400 };
  try {
    await answerByFollowToken(app.db, token, submission.value);
    return { reply: { result: submission.reply({ resetForm: true }), message: 'Answer sent.' }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      reply: { result: refuseSubmission(submission, error.detail, { field: error.extra.field }) },
      status: error.status,
    };
  }
}
