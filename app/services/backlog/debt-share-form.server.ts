import { z } from 'zod';
import { debtShareIntent } from '~/domain/debt-share';
import { isAppError } from '~/domain/errors';
import type { CommandServices } from '~/services/commands/runner.server';
import { type FormReply, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { runBacklogCommand } from './commands.server';
import { debtShareSchema } from './debt-share.server';

export { debtShareIntent };

/** The form: the percent (empty is no share) and an optional reason; the command's own rules (decision 0035). */
export const debtShareForm = z.object({
  share: debtShareSchema.shape.share.default(null),
  reason: debtShareSchema.shape.reason,
});

export interface DebtShareFormReply {
  form: typeof debtShareIntent;
  result: FormReply;
  message?: string;
}

/** Settings → Technical debt share, read by the one form pipeline and saved by the backlog command `setDebtShare`. */
export async function runDebtShareForm(
  services: CommandServices,
  productId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: DebtShareFormReply; status: number }> {
  const submission = parseFormSubmission(form, debtShareForm);
  if (submission.status !== 'success')
    return { reply: { form: debtShareIntent, result: submission.reply() }, status: 400 };
  const { share, reason } = submission.value;
  try {
    const result = await runBacklogCommand(services, 'setDebtShare', { productId }, userId, {
      share,
      reason: reason?.trim() || undefined,
    });
    const message = !result.changed
      ? 'Nothing changed.'
      : share === null
        ? 'No share for technical debt now.'
        : `Technical debt share set to ${share} %.`;
    return { reply: { form: debtShareIntent, result: submission.reply(), message }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const field =
      error.extra.field === 'share' || error.extra.field === 'reason' ? error.extra.field : undefined;
    return {
      reply: { form: debtShareIntent, result: refuseSubmission(submission, error.detail, { field }) },
      status: error.status,
    };
  }
}
