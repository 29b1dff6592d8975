import { z } from 'zod';
import type { AppServices } from '~/context';
import { isAppError } from '~/domain/errors';
import {
  type ControlReply,
  type FormReply,
  formRefusal,
  parseFormSubmission,
  refuseSubmission,
} from '~/utils/form-submission';
import { runSprintCommand, type SprintCommandName, sprintCommands } from './commands.server';

/** What a sprint page's or the review room's action answers, with its status and the review a start opened. */
export interface SprintFormOutcome {
  reply: ControlReply;
  status: number;
  /** the review session `startReview` opened (the page goes there) */
  sessionId?: string;
}

type Services = Pick<AppServices, 'db' | 'live' | 'log'>;

/**
 * One control of the planning page or the review room: the fields its form sends (read by the one form pipeline,
 * decision 0035) and the command input they make. The command itself (schema, checks, live change) is defined once
 * in ./commands.server.ts and validates that input exactly as for the API.
 */
interface SprintControl {
  command: SprintCommandName;
  fields: z.ZodObject;
  input: (values: Record<string, unknown>) => unknown;
}

const control = <F extends z.ZodObject>(
  command: SprintCommandName,
  fields: F,
  input: (values: z.output<F>) => unknown = (values) => values,
): SprintControl => ({ command, fields, input: input as SprintControl['input'] });

const none = z.object({});
/** a text the form always sends, kept as typed ("" clears a sprint's goal) */
const text = z.string().default('');
/** a text left empty or blank is not given */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

const formCommands: Record<string, SprintControl> = {
  start: control('updateSprint', none, () => ({ state: 'active' })),
  update: control(
    'updateSprint',
    z.object({
      name: text,
      goal: text,
      startDate: text,
      endDate: text,
      // an empty capacity clears it
      capacity: z.number().nullable().default(null),
    }),
  ),
  add: control('addItemToSprint', z.object({ itemId: text, reason: optionalText })),
  remove: control('removeItemFromSprint', none, () => ({})),
  done: control('setItemDone', z.object({ done: z.boolean() })),
  startReview: control('startReview', none, () => ({})),
  // met: yes, no, or empty to clear the tick
  line: control('setCriterionResult', z.object({ line: text, met: z.boolean().nullable().default(null) })),
  accept: control('acceptItem', z.object({ note: optionalText })),
  reject: control(
    'rejectItem',
    z.object({
      feedback: z.array(z.object({ line: text, needed: text })).default([]),
      note: optionalText,
    }),
    ({ feedback, note }) => ({ feedback: feedback.filter((f) => f.needed.trim() !== ''), note }),
  ),
  feedback: control('addReviewFeedback', z.object({ text, itemId: optionalText })),
  convert: control(
    'convertFeedbackToItem',
    z.object({ noteId: text, title: optionalText, position: z.string().default('top') }),
    ({ noteId, title, position }) => ({ noteId, title, placement: { position } }),
  ),
  unfinished: control(
    'decideUnfinishedItem',
    z.object({
      decision: text,
      nextSprintId: text,
      position: z.string().default('top'),
      reason: optionalText,
    }),
    ({ decision, nextSprintId, position, reason }) =>
      decision === 'next_sprint'
        ? { decision, nextSprintId, reason }
        : { decision, placement: { position }, reason },
  ),
  // the product owner's response to a goal at risk (issue 18): what they do, and a note
  goalRisk: control('respondToGoalRisk', z.object({ response: text, note: text })),
  close: control(
    'closeSprint',
    z.object({ goalMet: z.string().optional(), note: text }),
    ({ goalMet, note }) => ({
      goalMet: goalMet === 'yes' ? true : goalMet === 'no' ? false : undefined,
      note,
    }),
  ),
};

const refused = (intent: string, status: number, result: FormReply): SprintFormOutcome => ({
  reply: { command: intent, result },
  status,
});

/**
 * Every sprint and review control posts here (the planning page and the review room): the form's `intent` names the
 * control, its fields are read into the command's input and validated by the same schema as the API, and the
 * command runs through the one sprint command runner (which publishes the change live).
 */
export async function runSprintForm(
  services: Services,
  productId: string,
  sprintId: string,
  userId: string,
  form: FormData,
): Promise<SprintFormOutcome> {
  const named = form.get('intent');
  const intent = typeof named === 'string' ? named.slice(0, 40) : '';
  const spec = Object.hasOwn(formCommands, intent) ? formCommands[intent] : undefined;
  if (!spec) return refused(intent, 400, formRefusal('Unknown command', 'intent'));
  const submission = parseFormSubmission(form, spec.fields);
  if (submission.status !== 'success') return refused(intent, 400, submission.reply());
  const input = sprintCommands[spec.command].schema.safeParse(spec.input(submission.value));
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = issue.path.map(String).join('.') || undefined;
    return refused(intent, 400, refuseSubmission(submission, issue.message, { field }));
  }
  const itemId = form.get('itemId');
  try {
    const { change } = await runSprintCommand(
      services,
      spec.command,
      { productId, sprintId, itemId: typeof itemId === 'string' ? itemId : '' },
      userId,
      input.data as never,
    );
    return {
      reply: { command: intent, result: submission.reply(), at: Date.now() },
      status: 200,
      sessionId: change.sessionId ?? undefined,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const result = refuseSubmission(submission, error.detail, { field: error.extra.field });
    return refused(intent, error.status, result);
  }
}
