import { ZodError, type z } from 'zod';
import type { AppServices } from '../../context';
import { AppError, isAppError } from '../../domain/errors';
import { loadSprint } from './common.server';
import { publishSprintChange } from './live.server';
import {
  addItemSchema,
  addItemToSprint,
  doneSchema,
  removeItemFromSprint,
  setItemDone,
} from './planning.server';
import {
  acceptItem,
  addReviewFeedback,
  closeSprint,
  closeSprintSchema,
  convertFeedbackSchema,
  convertFeedbackToItem,
  criterionResultSchema,
  decideUnfinishedItem,
  feedbackSchema,
  rejectItem,
  rejectSchema,
  setCriterionResult,
  startReview,
  unfinishedSchema,
} from './review.server';
import { createSprint, createSprintSchema, updateSprint, updateSprintSchema } from './sprints.server';

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

/** Creates a sprint from the sprints page's form. */
export async function createSprintFromForm(
  services: Services,
  productId: string,
  userId: string,
  form: FormData,
) {
  try {
    const capacity = optional(form, 'capacity');
    const input = parse(createSprintSchema, {
      name: text(form, 'name') ?? '',
      startDate: text(form, 'startDate') ?? '',
      endDate: text(form, 'endDate') ?? '',
      goal: text(form, 'goal') ?? '',
      capacity: capacity === undefined ? null : Number(capacity),
    });
    const sprint = await createSprint(services.db, productId, userId, input);
    return { ok: true as const, intent: 'create', at: Date.now(), sprintId: sprint.id };
  } catch (error) {
    return refusal('create', error);
  }
}

/**
 * Every sprint and review control posts here (the planning page and the review room): the form's `intent` names the
 * command; its fields are validated by the same schemas as the API, and the change is published live.
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
    const sprint = await loadSprint(services.db, sprintId);
    if (sprint.productId !== productId) throw new AppError('not_found', 'No such sprint');
    const itemId = text(form, 'itemId') ?? '';
    const db = services.db;
    let sessionId: string | null = sprint.reviewSessionId;
    let itemIds: string[] = [];
    switch (intent) {
      case 'start':
        await updateSprint(db, sprintId, userId, { state: 'active' });
        break;
      case 'update': {
        const capacity = optional(form, 'capacity');
        await updateSprint(
          db,
          sprintId,
          userId,
          parse(updateSprintSchema, {
            name: text(form, 'name'),
            goal: text(form, 'goal'),
            startDate: text(form, 'startDate'),
            endDate: text(form, 'endDate'),
            capacity: capacity === undefined ? null : Number(capacity),
          }),
        );
        break;
      }
      case 'add':
        await addItemToSprint(
          db,
          sprintId,
          userId,
          parse(addItemSchema, { itemId, reason: optional(form, 'reason') }),
        );
        itemIds = [itemId];
        break;
      case 'remove':
        await removeItemFromSprint(db, sprintId, itemId, userId, {});
        itemIds = [itemId];
        break;
      case 'done':
        await setItemDone(
          db,
          sprintId,
          itemId,
          userId,
          parse(doneSchema, { done: text(form, 'done') === 'true' }).done,
        );
        itemIds = [itemId];
        break;
      case 'startReview':
        sessionId = (await startReview(db, sprintId, userId)).sessionId;
        break;
      case 'line': {
        const met = text(form, 'met');
        await setCriterionResult(
          db,
          sprintId,
          itemId,
          userId,
          parse(criterionResultSchema, {
            line: text(form, 'line') ?? '',
            met: met === 'true' ? true : met === 'false' ? false : null,
          }),
        );
        break;
      }
      case 'accept':
        await acceptItem(db, sprintId, itemId, userId, { note: optional(form, 'note') });
        itemIds = [itemId];
        break;
      case 'reject': {
        const feedback = [...form.entries()]
          .filter(
            ([key, value]) => key.startsWith('needed:') && typeof value === 'string' && value.trim() !== '',
          )
          .map(([key, value]) => ({ line: key.slice('needed:'.length), needed: String(value) }));
        await rejectItem(
          db,
          sprintId,
          itemId,
          userId,
          parse(rejectSchema, { feedback, note: optional(form, 'note') }),
        );
        itemIds = [itemId];
        break;
      }
      case 'feedback':
        await addReviewFeedback(
          db,
          sprintId,
          userId,
          parse(feedbackSchema, { text: text(form, 'text') ?? '', itemId: optional(form, 'itemId') }),
        );
        break;
      case 'convert': {
        const created = await convertFeedbackToItem(
          db,
          sprintId,
          userId,
          parse(convertFeedbackSchema, {
            noteId: text(form, 'noteId') ?? '',
            title: optional(form, 'title'),
            placement: { position: text(form, 'position') ?? 'top' },
          }),
        );
        itemIds = [created.itemId];
        break;
      }
      case 'unfinished': {
        const decision = text(form, 'decision');
        const input =
          decision === 'next_sprint'
            ? { decision, nextSprintId: text(form, 'nextSprintId') ?? '', reason: optional(form, 'reason') }
            : {
                decision,
                placement: { position: text(form, 'position') ?? 'top' },
                reason: optional(form, 'reason'),
              };
        await decideUnfinishedItem(db, sprintId, itemId, userId, parse(unfinishedSchema, input));
        itemIds = [itemId];
        break;
      }
      case 'close': {
        const goal = text(form, 'goalMet');
        await closeSprint(
          db,
          sprintId,
          userId,
          parse(closeSprintSchema, {
            goalMet: goal === 'yes' ? true : goal === 'no' ? false : undefined,
            note: text(form, 'note') ?? '',
          }),
        );
        break;
      }
      default:
        throw new AppError('invalid', 'Unknown command', { field: 'intent' });
    }
    await publishSprintChange(services, { kind: intent, sprintId, productId, sessionId, itemIds });
    return { ok: true, intent, at: Date.now(), sessionId: sessionId ?? undefined };
  } catch (error) {
    return refusal(intent, error);
  }
}
