import { z } from 'zod';
import { isAppError } from '~/domain/errors';
import type { CommandServices } from '~/services/commands/runner.server';
import { type FormReply, formRefusal, parseFormSubmission } from '~/utils/form-submission';
import { runNotificationCommand } from './commands.server';

const readForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read-one'), id: z.string() }),
  z.object({ intent: z.literal('read-all') }),
]);

/** The notifications page's forms (decision 0035): mark one read, or all; run as the command `markRead`. */
export async function runNotificationForm(
  services: CommandServices,
  userId: string,
  form: FormData,
): Promise<{ reply: { result: FormReply; message?: string }; status: number }> {
  const submission = parseFormSubmission(form, readForm);
  if (submission.status !== 'success')
    return {
      reply: { result: formRefusal('That request was not understood. Reload the page.') },
      status: 400,
    };
  const input = submission.value;
  try {
    const { marked } = await runNotificationCommand(
      services,
      'markRead',
      userId,
      input.intent === 'read-all' ? { all: true } : { ids: [input.id] },
    );
    const message =
      input.intent === 'read-all'
        ? marked === 0
          ? 'Nothing was unread.'
          : `${marked} marked read.`
        : 'Marked read.';
    return { reply: { result: submission.reply(), message }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const detail = error.code === 'invalid' ? 'That is not a notification of yours.' : error.detail;
    return { reply: { result: formRefusal(detail) }, status: error.code === 'invalid' ? 404 : error.status };
  }
}
