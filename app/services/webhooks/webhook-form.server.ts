import { z } from 'zod';
import type { AppServices } from '~/context';
import { isAppError } from '~/domain/errors';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { runWebhookCommand, type WebhookTarget } from './commands.server';
import { webhooksOf } from './deps.server';

/** The Webhooks page's form to add one: the address and the event types, one per line or comma-separated. */
export const addWebhookForm = z.object({
  url: z
    .string({ message: 'Enter the address to send to' })
    .max(2000, 'The address must be at most 2000 characters'),
  events: z.string().max(4000, 'At most 4000 characters of event types').optional(),
});

const actionForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('delete'), webhookId: z.string() }),
  z.object({ intent: z.literal('ping'), webhookId: z.string() }),
  z.object({ intent: z.literal('rotate'), webhookId: z.string() }),
  z.object({ intent: z.literal('pause'), webhookId: z.string() }),
  z.object({ intent: z.literal('resume'), webhookId: z.string() }),
  z.object({ intent: z.literal('retry'), webhookId: z.string(), deliveryId: z.string() }),
]);

export interface WebhookFormReply {
  intent: string;
  result: FormReply;
  message?: string;
  /** a secret just made: shown this once */
  secret?: string;
}

/**
 * Every form of the Webhooks pages (decision 0035), each run as its webhook command (decision 0036): add, remove,
 * send a test, rotate the secret, pause and resume, retry a failed delivery now.
 */
export async function runWebhookForm(
  services: AppServices,
  productId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: WebhookFormReply; status: number }> {
  const { deps, kick } = webhooksOf(services);
  const intent = String(form.get('intent') ?? '');
  const target = (webhookId = '', deliveryId?: string): WebhookTarget => ({
    productId,
    webhookId,
    deliveryId,
    deps,
  });
  if (intent === 'add') {
    const submission = parseFormSubmission(form, addWebhookForm);
    if (submission.status !== 'success')
      return { reply: { intent, result: submission.reply() }, status: 400 };
    const events = (submission.value.events ?? '')
      .split(/[\s,]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    try {
      const created = await runWebhookCommand(services, 'createWebhook', target(), userId, {
        url: submission.value.url,
        events,
      });
      return {
        reply: {
          intent,
          result: submission.reply({ resetForm: true }),
          message: `Webhook added. Copy its secret now: it is not shown again.`,
          secret: created.secret,
        },
        status: 200,
      };
    } catch (error) {
      if (!isAppError(error)) throw error;
      const field =
        error.extra.field === 'url' || error.extra.field === 'events' ? error.extra.field : undefined;
      return {
        reply: { intent, result: refuseSubmission(submission, error.detail, { field }) },
        status: error.status,
      };
    }
  }
  const submission = parseFormSubmission(form, actionForm);
  if (submission.status !== 'success')
    return {
      reply: {
        intent,
        result: formRefusal('That request was not understood. Reload the page and try again.'),
      },
      status: 400,
    };
  const input = submission.value;
  try {
    if (input.intent === 'delete') {
      await runWebhookCommand(services, 'deleteWebhook', target(input.webhookId), userId, {});
      return { reply: { intent, result: submission.reply(), message: 'Webhook removed.' }, status: 200 };
    }
    if (input.intent === 'ping') {
      await runWebhookCommand(services, 'pingWebhook', target(input.webhookId), userId, {});
      kick();
      return {
        reply: { intent, result: submission.reply(), message: 'Test event queued: see the delivery log.' },
        status: 200,
      };
    }
    if (input.intent === 'pause' || input.intent === 'resume') {
      const active = input.intent === 'resume';
      await runWebhookCommand(services, 'setWebhookActive', target(input.webhookId), userId, { active });
      if (active) kick();
      return {
        reply: {
          intent,
          result: submission.reply(),
          message: active
            ? 'Webhook resumed: what was waiting is sent now, in order.'
            : 'Webhook paused: nothing is sent to it, and new events are not kept for it, until you resume it.',
        },
        status: 200,
      };
    }
    if (input.intent === 'rotate') {
      const { secret } = await runWebhookCommand(
        services,
        'rotateWebhookSecret',
        target(input.webhookId),
        userId,
        {},
      );
      return {
        reply: {
          intent,
          result: submission.reply(),
          message: 'New secret made. Copy it now: it is not shown again.',
          secret,
        },
        status: 200,
      };
    }
    await runWebhookCommand(services, 'redeliver', target(input.webhookId, input.deliveryId), userId, {});
    kick();
    return { reply: { intent, result: submission.reply(), message: 'Trying it again now.' }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { reply: { intent, result: formRefusal(error.detail) }, status: error.status };
  }
}
