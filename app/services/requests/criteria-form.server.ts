import { z } from 'zod';
import { isAppError } from '~/domain/errors';
import { criteriaMethods } from '~/domain/requests';
import type { CommandServices } from '~/services/commands/runner.server';
import { type FormReply, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { runRequestCommand } from './commands.server';
import { criteriaInputSchema } from './criteria.server';

/** The criteria form: the methods ticked, the three weights, what counts as urgent and the session that agreed. */
export const criteriaForm = z.object({
  methods: z
    .array(z.enum(criteriaMethods, { message: 'Choose among the methods shown' }))
    .min(1, 'Choose at least one method')
    .default([]),
  businessValue: criteriaInputSchema.shape.wsjfWeights.shape.businessValue,
  timeCriticality: criteriaInputSchema.shape.wsjfWeights.shape.timeCriticality,
  riskReduction: criteriaInputSchema.shape.wsjfWeights.shape.riskReduction,
  urgency: criteriaInputSchema.shape.urgency,
  agreedInSessionId: z.string().max(100).optional(),
});

export interface CriteriaFormReply {
  result: FormReply;
  message?: string;
}

/** Records a new version from the form (the product owner), through the command `agreeCriteria`. */
export async function runCriteriaForm(
  services: CommandServices,
  productId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: CriteriaFormReply; status: number }> {
  const submission = parseFormSubmission(form, criteriaForm);
  if (submission.status !== 'success') return { reply: { result: submission.reply() }, status: 400 };
  const v = submission.value;
  const input = criteriaInputSchema.safeParse({
    methods: v.methods,
    wsjfWeights: {
      businessValue: v.businessValue,
      timeCriticality: v.timeCriticality,
      riskReduction: v.riskReduction,
    },
    urgency: v.urgency,
    agreedInSessionId: v.agreedInSessionId || null,
  });
  if (!input.success) {
    const issue = input.error.issues[0];
    return {
      reply: {
        result: refuseSubmission(submission, issue.message, { field: String(issue.path.at(-1) ?? '') }),
      },
      status: 400,
    };
  }
  try {
    const row = await runRequestCommand(services, 'agreeCriteria', { productId }, userId, input.data);
    return {
      reply: { result: submission.reply(), message: `Recorded as criteria v${row.version}.` },
      status: 200,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      reply: { result: refuseSubmission(submission, error.detail, { field: error.extra.field }) },
      status: error.status,
    };
  }
}
