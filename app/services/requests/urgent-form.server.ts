import { z } from 'zod';
import { isAppError } from '~/domain/errors';
import type { CommandServices } from '~/services/commands/runner.server';
import { type FormReply, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { runRequestCommand } from './commands.server';
import { swapIntoSprintSchema } from './urgent.server';

/**
 * The swap form of the impact page (decision 0035): the trade-off typed, and what the page showed carried back as
 * hidden fields (the displaced ids, comma-separated, and the estimate weighed), run as the command `swapIntoSprint`.
 */
export const urgentSwapForm = z.object({
  tradeOff: z
    .string({
      message: 'Write the trade-off: what the sprint gives up, and why the urgent request is worth it',
    })
    .max(2000, 'The trade-off must be at most 2000 characters'),
  expectedDisplaced: z.string().max(8000).default(''),
  points: z.string().max(10).optional(),
});

export interface UrgentSwapFormReply {
  result: FormReply;
  message?: string;
  sprintId?: string;
  sprintName?: string;
  /** the assessment is stale: the page shows it again */
  stale?: boolean;
}

export async function runUrgentSwapForm(
  services: CommandServices,
  productId: string,
  requestId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: UrgentSwapFormReply; status: number }> {
  const submission = parseFormSubmission(form, urgentSwapForm);
  if (submission.status !== 'success') return { reply: { result: submission.reply() }, status: 400 };
  const v = submission.value;
  const input = swapIntoSprintSchema.safeParse({
    tradeOff: v.tradeOff,
    expectedDisplaced: v.expectedDisplaced ? v.expectedDisplaced.split(',') : [],
    points: v.points ? Number(v.points) : undefined,
  });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = String(issue.path[0] ?? '');
    return {
      reply: {
        result: refuseSubmission(submission, issue.message, {
          field: field === 'tradeOff' ? 'tradeOff' : undefined,
        }),
      },
      status: 400,
    };
  }
  try {
    const done = await runRequestCommand(
      services,
      'swapIntoSprint',
      { productId, requestId },
      userId,
      input.data,
    );
    const n = done.displaced.length;
    return {
      reply: {
        result: submission.reply({ resetForm: true }),
        message: `Swapped: “${done.urgent.title}” is in ${done.sprint.name}${
          n > 0
            ? `; ${n} item${n === 1 ? '' : 's'} (${done.displacedPoints} points) went back to the top of the backlog`
            : ''
        }. Logged in the decision log; the people who asked were told.`,
        sprintId: done.sprint.id,
        sprintName: done.sprint.name,
      },
      status: 200,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      reply: {
        result: refuseSubmission(submission, error.detail, {
          field: error.extra.field === 'tradeOff' ? 'tradeOff' : undefined,
        }),
        stale: error.extra.field === 'expectedDisplaced',
      },
      status: error.status,
    };
  }
}
