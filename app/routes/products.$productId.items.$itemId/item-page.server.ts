import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { AppError, isAppError } from '~/domain/errors';
import { parseCriteria } from '~/domain/gherkin';
import { summariseScenarios } from '~/domain/criteria-summary';
import { evaluateReadiness } from '~/domain/readiness';
import { can } from '~/domain/roles';
import { archiveSchema } from '~/services/backlog/archive.server';
import {
  type BacklogCommandInput,
  type BacklogCommandName,
  restoreSchema,
  runBacklogCommand,
} from '~/services/backlog/commands.server';
import { listDecisions } from '~/services/backlog/decisions.server';
import { getDefinitions } from '~/services/backlog/definitions.server';
import { blockerCandidatesElsewhere, dependenciesOf } from '~/services/backlog/dependencies.server';
import { type ItemRow, listItems, loadItem, updateItemSchema } from '~/services/backlog/items.server';
import { listEpics, positionInOrder, visibleItems } from '~/services/backlog/overview.server';
import { computeBacklogForecast } from '~/services/metrics/forecast.server';
import { authorize } from '~/services/products.server';
import { reviewFeedbackForItem } from '~/services/sprints/review.server';
import { fieldErrorsOf } from '~/utils/form-values';
import { mayAccept, mayEditText } from '~/domain/policies';

/** Loads the item only through the product in the URL: another product's item is "not found" here. */
async function itemOfProduct(context: AppLoadContext, productId: string, itemId: string, userId: string) {
  const role = await authorize(context.app.db, productId, userId, 'product.view');
  const item = await loadItem(context.app.db, itemId);
  if (item.productId !== productId) throw new AppError('not_found', 'No such backlog item in this product');
  return { item, role };
}

const resolved = new Set(['done', 'accepted', 'archived']);

export async function loadItemPage(
  context: AppLoadContext,
  productId: string,
  itemId: string,
  userId: string,
  url: URL,
) {
  const { db } = context.app;
  const { item, role } = await itemOfProduct(context, productId, itemId, userId);
  const find = url.searchParams.get('find')?.trim().slice(0, 200) ?? '';
  /** where the blocker search looks: this product, or every product the user belongs to */
  const findIn: 'all' | 'product' = url.searchParams.get('in') === 'all' ? 'all' : 'product';
  const [definitions, edges, epics, log, position, forecast] = await Promise.all([
    getDefinitions(db, productId, userId),
    dependenciesOf(db, productId),
    listEpics(db, productId, userId),
    listDecisions(db, productId, userId, { itemId, limit: 50 }),
    positionInOrder(db, item),
    computeBacklogForecast(db, productId),
  ]);
  const forecastRow = forecast.rows.get(itemId);
  const blockedByIds = edges.filter((e) => e.itemId === itemId).map((e) => e.blockedById);
  const blocksIds = edges.filter((e) => e.blockedById === itemId).map((e) => e.itemId);
  const mentioned = log.entries.flatMap((e) => {
    const before = e.before as { blockedById?: string } | null;
    return before?.blockedById ? [before.blockedById] : [];
  });
  const known = await visibleItems(db, userId, [...blockedByIds, ...blocksIds, ...mentioned]);
  const describe = (id: string) => {
    const other = known.get(id);
    return other
      ? {
          id,
          title: other.title,
          status: other.status,
          productId: other.productId,
          elsewhere: other.productId !== productId,
        }
      : { id, title: 'An item you cannot see', status: 'unknown', productId: null, elsewhere: true };
  };
  const blockedBy = blockedByIds.map(describe);
  const candidates = find
    ? [
        ...(await listItems(db, productId, userId, { q: find, offset: 0, limit: 20 })).items.map((c) => ({
          id: c.id,
          title: c.title,
          type: c.type,
          status: c.status,
          position: c.position,
          productName: null,
        })),
        ...(findIn === 'all'
          ? (await blockerCandidatesElsewhere(db, productId, userId, find)).map((c) => ({
              id: c.id,
              title: c.title,
              type: c.type,
              status: c.status,
              position: null,
              productName: c.productName,
            }))
          : []),
      ].filter((c) => c.id !== itemId && !blockedByIds.includes(c.id))
    : null;
  const readiness = evaluateReadiness({
    checklist: definitions.ready,
    checked: item.readyChecks,
    unresolvedDependencies: blockedBy.filter((b) => !resolved.has(b.status)).length,
    override: item.readyOverrideReason ? { reason: item.readyOverrideReason } : null,
  });
  const parsed = parseCriteria(item.criteria);
  return {
    item: publicItem(item),
    position,
    /** when it is expected (an epic: when its last open story is), null once done, accepted or archived */
    forecast: forecastRow ? { label: forecastRow.label, from: forecastRow.from, to: forecastRow.to } : null,
    /** why sprint reviews rejected it, for the next refinement (app/services/sprints) */
    reviewFeedback: (await reviewFeedbackForItem(db, itemId)).map((r) => ({
      sprintId: r.sprintId,
      sprintName: r.sprintName,
      note: r.note,
      unmet: r.unmet,
    })),
    mayEdit: mayEditText(role),
    mayOrder: can(role, 'backlog.order'),
    mayDecide: mayAccept(role),
    epics: epics.filter((e) => e.id !== itemId),
    definitionOfReady: definitions.ready,
    readiness,
    scenarios: summariseScenarios(parsed) ?? [],
    blockedBy,
    blocks: blocksIds.map(describe),
    find,
    findIn,
    candidates,
    decisions: log.entries,
    /** titles for the decision log's references */
    titles: Object.fromEntries(
      [...known.values()].map((k) => [k.id, k.title]).concat([[item.id, item.title]]),
    ),
  };
}

function publicItem(item: ItemRow) {
  const { rank: _rank, externalKey: _key, createdBy: _by, ...rest } = item;
  return rest;
}

export type ItemPageData = Awaited<ReturnType<typeof loadItemPage>>;

export type ItemActionResult =
  | { ok: true; intent: string; message: string }
  | {
      ok: false;
      intent: string;
      formError: string;
      fieldErrors?: Record<string, string>;
      values?: Record<string, string>;
    };

const refuse = (
  intent: string,
  status: number,
  formError: string,
  fieldErrors?: Record<string, string>,
  values?: Record<string, string>,
) =>
  data({ ok: false as const, intent, formError, fieldErrors, values } satisfies ItemActionResult, { status });

const textFields = ['title', 'type', 'description', 'status', 'impactHypothesis', 'successMetric'] as const;
const nullableChoices = ['parentId', 'moscow', 'kano', 'outcome'] as const;
const wsjfParts = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'] as const;

/** The edit form's fields as the service's input; fields the form did not send are left alone. */
function editInput(form: FormData, readyIds: string[], mayOverride: boolean) {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const text = (key: string) => {
    const v = form.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  for (const key of textFields) if (text(key) !== undefined) input[key] = text(key);
  for (const key of nullableChoices) if (text(key) !== undefined) input[key] = text(key) || null;
  for (const key of wsjfParts) {
    const v = text(key);
    if (v !== undefined) input[key] = v === '' ? null : Number(v);
  }
  const estimate = text('estimate')?.trim();
  if (estimate !== undefined) {
    if (estimate === '') input.estimate = null;
    else if (/^\d+$/.test(estimate)) input.estimate = Number(estimate);
    else errors.estimate = 'Estimate must be a whole number of points';
  }
  const labels = text('labels');
  if (labels !== undefined)
    input.labels = [
      ...new Set(
        labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
  if (form.get('readyChecksShown') === '1')
    input.readyChecks = Object.fromEntries(readyIds.map((id) => [id, form.get(`ready.${id}`) === 'on']));
  const override = text('readyOverrideReason');
  if (override !== undefined && mayOverride) input.readyOverrideReason = override.trim() || null;
  const reason = text('reason')?.trim();
  if (reason) input.reason = reason;
  return { input, errors };
}

/** What was typed, to show again after a refusal (a page without scripts re-renders the form from this). */
function typed(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries())
    if (typeof value === 'string' && key !== 'intent') values[key] = value;
  return values;
}

async function attempt<T>(intent: string, form: FormData, work: () => Promise<T>) {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (isAppError(error)) {
      const fieldErrors = error.extra.field ? { [error.extra.field]: error.detail } : undefined;
      return {
        ok: false as const,
        response: refuse(intent, error.status, error.detail, fieldErrors, typed(form)),
      };
    }
    throw error;
  }
}

const uuidField = (name: string) => z.uuid({ message: `${name} must be an item id` });

export async function runItemCommand(
  context: AppLoadContext,
  productId: string,
  itemId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  const intent = String(form.get('intent') ?? '');
  const found = await attempt(intent, form, () => itemOfProduct(context, productId, itemId, userId));
  if (!found.ok) return found.response;
  const { item, role } = found.value;
  const done = (message: string) => ({ ok: true as const, intent, message }) satisfies ItemActionResult;
  const run = <N extends BacklogCommandName>(name: N, input: BacklogCommandInput<N>) =>
    attempt(intent, form, () => runBacklogCommand(context.app, name, { productId, itemId }, userId, input));

  switch (intent) {
    case 'save': {
      const definitions = await getDefinitions(db, productId, userId);
      const { input, errors } = editInput(
        form,
        definitions.ready.map((c) => c.id),
        can(role, 'backlog.order'),
      );
      const parsed = updateItemSchema.safeParse(input);
      if (!parsed.success || Object.keys(errors).length > 0) {
        const fieldErrors = { ...(parsed.success ? {} : fieldErrorsOf(parsed.error)), ...errors };
        return refuse(intent, 400, 'Nothing was saved: check the marked fields.', fieldErrors, typed(form));
      }
      const result = await run('updateItem', parsed.data);
      if (!result.ok) return result.response;
      return done('Saved.');
    }
    case 'criteria': {
      const criteria = form.get('criteria');
      const parsed = updateItemSchema
        .pick({ criteria: true })
        .safeParse({ criteria: typeof criteria === 'string' ? criteria : '' });
      if (!parsed.success)
        return refuse(intent, 400, 'Nothing was saved.', fieldErrorsOf(parsed.error), typed(form));
      const result = await run('updateItem', parsed.data);
      if (!result.ok) return result.response;
      const count = parseCriteria(parsed.data.criteria ?? '');
      return done(`Acceptance criteria saved (${count.ok ? count.scenarios.length : 0} scenarios).`);
    }
    case 'add-dependency': {
      const blocker = uuidField('blockedById').safeParse(form.get('blockedById'));
      if (!blocker.success)
        return refuse(intent, 400, 'Choose the item this one is blocked by.', {
          blockedById: 'Choose an item',
        });
      const result = await run('addDependency', { blockedById: blocker.data });
      if (!result.ok) return result.response;
      return done(result.value.created ? 'Dependency added.' : 'That dependency was already there.');
    }
    case 'remove-dependency': {
      const blocker = uuidField('blockedById').safeParse(form.get('blockedById'));
      if (!blocker.success)
        return refuse(intent, 400, 'That dependency was not understood. Reload the page and try again.');
      const result = await run('removeDependency', { blockedById: blocker.data });
      if (!result.ok) return result.response;
      return done('Dependency removed.');
    }
    case 'archive': {
      const parsed = archiveSchema.safeParse({ itemIds: [itemId], reason: form.get('reason') ?? '' });
      if (!parsed.success)
        return refuse(intent, 400, 'Give a reason for archiving.', fieldErrorsOf(parsed.error), typed(form));
      const result = await run('archiveItems', parsed.data);
      if (!result.ok) return result.response;
      return done(
        result.value.archived
          ? 'Archived. It is out of the order and keeps all its data.'
          : 'It was already archived.',
      );
    }
    case 'restore': {
      const reason = restoreSchema.shape.reason.safeParse(form.get('reason') ?? '');
      if (!reason.success)
        return refuse(
          intent,
          400,
          reason.error.issues[0].message,
          { reason: reason.error.issues[0].message },
          typed(form),
        );
      if (item.status !== 'archived') return refuse(intent, 409, 'This item is not archived.');
      const result = await run('restoreItem', { reason: reason.data });
      if (!result.ok) return result.response;
      return done('Restored at the bottom of the order.');
    }
    default:
      return refuse(
        intent || 'unknown',
        400,
        'That request was not understood. Reload the page and try again.',
      );
  }
}
