import { ZodError, type z } from 'zod';
import type { AppServices } from '~/context';
import { AppError, isAppError } from '~/domain/errors';
import { runSprintCommand, type SprintCommandName, sprintCommands } from './commands.server';

/** What a sprint page's or the review room's action answers. */
export type SprintFormResult =
  | { ok: true; intent: string; at: number; sessionId?: string }
  | { ok: false; intent: string; error: string; field?: string; status: number };

type Services = Pick<AppServices, 'db' | 'live' | 'log'>;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
};
const optional = (form: FormData, name: string) => {
  const value = text(form, name)?.trim();
  return value ? value : undefined;
};
const parse = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => schema.parse(value);

export type SprintFormFailure = Extract<SprintFormResult, { ok: false }>;

function refusal(intent: string, error: unknown): SprintFormFailure {
  if (isAppError(error))
    return { ok: false, intent, error: error.detail, field: error.extra.field, status: error.status };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return { ok: false, intent, error: issue.message, field: issue.path.join('.') || undefined, status: 400 };
  }
  throw error;
}

/**
 * How each control of the planning page and the review room names its command (`intent`) and reads its fields into
 * the command's input; the command itself (schema, checks, live change) is defined once in ./commands.server.ts.
 */
const formCommands: Record<string, { command: SprintCommandName; input: (form: FormData) => unknown }> = {
  start: { command: 'updateSprint', input: () => ({ state: 'active' }) },
  update: {
    command: 'updateSprint',
    input: (form) => {
      const capacity = optional(form, 'capacity');
      return {
        name: text(form, 'name'),
        goal: text(form, 'goal'),
        startDate: text(form, 'startDate'),
        endDate: text(form, 'endDate'),
        capacity: capacity === undefined ? null : Number(capacity),
      };
    },
  },
  add: {
    command: 'addItemToSprint',
    input: (form) => ({ itemId: text(form, 'itemId') ?? '', reason: optional(form, 'reason') }),
  },
  remove: { command: 'removeItemFromSprint', input: () => ({}) },
  done: { command: 'setItemDone', input: (form) => ({ done: text(form, 'done') === 'true' }) },
  startReview: { command: 'startReview', input: () => ({}) },
  line: {
    command: 'setCriterionResult',
    input: (form) => {
      const met = text(form, 'met');
      return { line: text(form, 'line') ?? '', met: met === 'true' ? true : met === 'false' ? false : null };
    },
  },
  accept: { command: 'acceptItem', input: (form) => ({ note: optional(form, 'note') }) },
  reject: {
    command: 'rejectItem',
    input: (form) => ({
      feedback: [...form.entries()]
        .filter(
          ([key, value]) => key.startsWith('needed:') && typeof value === 'string' && value.trim() !== '',
        )
        .map(([key, value]) => ({ line: key.slice('needed:'.length), needed: String(value) })),
      note: optional(form, 'note'),
    }),
  },
  feedback: {
    command: 'addReviewFeedback',
    input: (form) => ({ text: text(form, 'text') ?? '', itemId: optional(form, 'itemId') }),
  },
  convert: {
    command: 'convertFeedbackToItem',
    input: (form) => ({
      noteId: text(form, 'noteId') ?? '',
      title: optional(form, 'title'),
      placement: { position: text(form, 'position') ?? 'top' },
    }),
  },
  unfinished: {
    command: 'decideUnfinishedItem',
    input: (form) => {
      const decision = text(form, 'decision');
      return decision === 'next_sprint'
        ? { decision, nextSprintId: text(form, 'nextSprintId') ?? '', reason: optional(form, 'reason') }
        : {
            decision,
            placement: { position: text(form, 'position') ?? 'top' },
            reason: optional(form, 'reason'),
          };
    },
  },
  close: {
    command: 'closeSprint',
    input: (form) => {
      const goal = text(form, 'goalMet');
      return {
        goalMet: goal === 'yes' ? true : goal === 'no' ? false : undefined,
        note: text(form, 'note') ?? '',
      };
    },
  },
};

/**
 * Every sprint and review control posts here (the planning page and the review room): the form's `intent` names the
 * command, its fields are read into the command's input and validated by the same schema as the API, and the
 * command runs through the one sprint command runner (which publishes the change live).
 */
export async function runSprintForm(
  services: Services,
  productId: string,
  sprintId: string,
  userId: string,
  form: FormData,
): Promise<SprintFormResult> {
  const intent = text(form, 'intent') ?? '';
  try {
    const spec = Object.hasOwn(formCommands, intent) ? formCommands[intent] : undefined;
    if (!spec) throw new AppError('invalid', 'Unknown command', { field: 'intent' });
    const input = parse(sprintCommands[spec.command].schema, spec.input(form));
    const { change } = await runSprintCommand(
      services,
      spec.command,
      { productId, sprintId, itemId: text(form, 'itemId') ?? '' },
      userId,
      input as never,
    );
    return { ok: true, intent, at: Date.now(), sessionId: change.sessionId ?? undefined };
  } catch (error) {
    return refusal(intent, error);
  }
}
