import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { summariseScenarios } from '~/domain/criteria-summary';
import { AppError, isAppError } from '~/domain/errors';
import { parseCriteria } from '~/domain/gherkin';
import { mayAccept, mayEditText } from '~/domain/policies';
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
import { type ItemRow, itemFieldsSchema, listItems, loadItem } from '~/services/backlog/items.server';
import { listEpics, positionInOrder, visibleItems } from '~/services/backlog/overview.server';
import { computeBacklogForecast } from '~/services/metrics/forecast.server';
import { authorize } from '~/services/products.server';
import { requestOfItem } from '~/services/requests/requests.server';
import { threeAmigosHeld } from '~/services/sessions/three-amigos.server';
import { reviewFeedbackForItem } from '~/services/sprints/review.server';
import { trackerLinkOf } from '~/services/trackers/item-link.server';
import { refuseOnFormAndField } from '~/utils/form-replies';
import {
  type FormReply,
  firstError,
  formRefusal,
  parseFormSubmission,
  refuseSubmission,
} from '~/utils/form-submission';
import { readItemForm } from './item-form.server';

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
    /** the Jira issue it is linked to (issue 16), or null */
    jira: await trackerLinkOf(db, itemId),
    /** the stakeholder request it was accepted from (issue 17), or null */
    requestedBy: await requestOfItem(db, itemId),
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
    /** the latest three amigos session on the item that ended in a shared understanding, or null (issue 18) */
    threeAmigos: (await threeAmigosHeld(db, [itemId])).get(itemId) ?? null,
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

/**
 * What the item page's forms answer (decision 0035): the reply to the form `intent` names (each section shows only
 * its own), the message of a done command, and after a refused save the Definition of Ready boxes as ticked.
 */
export interface ItemReply {
  intent: string;
  result: FormReply;
  message?: string;
  readyChecks?: Record<string, boolean>;
}

const refused = (reply: ItemReply, status: number) => data(reply satisfies ItemReply, { status });

/** Runs a service command; a refusal becomes the reply `refuse` words, with the service's status (403, 404, 409, 400). */
async function attempt<T>(work: () => Promise<T>, refuse: (message: string, field?: string) => FormReply) {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (isAppError(error))
      return { ok: false as const, status: error.status, result: refuse(error.detail, error.extra.field) };
    throw error;
  }
}

const criteriaForm = z.object({ criteria: itemFieldsSchema.shape.criteria.default('') });
const blockerForm = z.object({ blockedById: z.uuid({ message: 'Choose an item' }) });
const archiveForm = archiveSchema.pick({ reason: true });
/** The fields of the criteria form, and of the archive and restore forms. */
export type CriteriaFormFields = z.input<typeof criteriaForm>;
export type ReasonFormFields = z.input<typeof archiveForm>;
const notUnderstood = 'That request was not understood. Reload the page and try again.';

export async function runItemCommand(
  context: AppLoadContext,
  productId: string,
  itemId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  const intent = String(form.get('intent') ?? '');
  const found = await attempt(
    () => itemOfProduct(context, productId, itemId, userId),
    (message) => formRefusal(message),
  );
  if (!found.ok) return refused({ intent, result: found.result }, found.status);
  const { item, role } = found.value;
  const run = <N extends BacklogCommandName>(
    name: N,
    input: BacklogCommandInput<N>,
    submission: Parameters<typeof refuseOnFormAndField>[0],
  ) =>
    attempt(
      () => runBacklogCommand(context.app, name, { productId, itemId }, userId, input),
      (message, field) => refuseOnFormAndField(submission, message, field),
    );
  const done = (result: FormReply, message: string) => ({ intent, result, message }) satisfies ItemReply;

  switch (intent) {
    case 'save': {
      const definitions = await getDefinitions(db, productId, userId);
      const read = readItemForm(
        form,
        definitions.ready.map((c) => c.id),
        can(role, 'backlog.order'),
      );
      if (!read.ok) return refused({ intent, result: read.result, readyChecks: read.readyChecks }, 400);
      const saved = await run('updateItem', read.update, read.submission);
      if (!saved.ok)
        return refused({ intent, result: saved.result, readyChecks: read.readyChecks }, saved.status);
      // The form shows the saved item again.
      return done(read.submission.reply({ resetForm: true }), 'Saved.');
    }
    case 'criteria': {
      const submission = parseFormSubmission(form, criteriaForm);
      if (submission.status !== 'success')
        return refused({ intent, result: submission.reply({ formErrors: ['Nothing was saved.'] }) }, 400);
      const saved = await run('updateItem', submission.value, submission);
      if (!saved.ok) return refused({ intent, result: saved.result }, saved.status);
      const count = parseCriteria(submission.value.criteria);
      return done(
        submission.reply({ resetForm: true }),
        `Acceptance criteria saved (${count.ok ? count.scenarios.length : 0} scenarios).`,
      );
    }
    case 'add-dependency': {
      const submission = parseFormSubmission(form, blockerForm);
      if (submission.status !== 'success') {
        const result = submission.reply({ formErrors: ['Choose the item this one is blocked by.'] });
        return refused({ intent, result }, 400);
      }
      const linked = await run('addDependency', submission.value, submission);
      if (!linked.ok) return refused({ intent, result: linked.result }, linked.status);
      return done(
        submission.reply(),
        linked.value.created ? 'Dependency added.' : 'That dependency was already there.',
      );
    }
    case 'remove-dependency': {
      const submission = parseFormSubmission(form, blockerForm);
      if (submission.status !== 'success') {
        const result = formRefusal('That dependency was not understood. Reload the page and try again.');
        return refused({ intent, result }, 400);
      }
      const unlinked = await run('removeDependency', submission.value, submission);
      if (!unlinked.ok) return refused({ intent, result: unlinked.result }, unlinked.status);
      return done(submission.reply(), 'Dependency removed.');
    }
    case 'archive': {
      const submission = parseFormSubmission(form, archiveForm);
      if (submission.status !== 'success')
        return refused(
          { intent, result: submission.reply({ formErrors: ['Give a reason for archiving.'] }) },
          400,
        );
      const input = { itemIds: [itemId], reason: submission.value.reason };
      const archived = await run('archiveItems', input, submission);
      if (!archived.ok) return refused({ intent, result: archived.result }, archived.status);
      return done(
        submission.reply({ resetForm: true }),
        archived.value.archived
          ? 'Archived. It is out of the order and keeps all its data.'
          : 'It was already archived.',
      );
    }
    case 'restore': {
      const submission = parseFormSubmission(form, restoreSchema);
      if (submission.status !== 'success') {
        const problem = firstError(submission.reply())?.message ?? 'invalid input';
        return refused({ intent, result: submission.reply({ formErrors: [problem] }) }, 400);
      }
      if (item.status !== 'archived')
        return refused({ intent, result: refuseSubmission(submission, 'This item is not archived.') }, 409);
      const restored = await run('restoreItem', submission.value, submission);
      if (!restored.ok) return refused({ intent, result: restored.result }, restored.status);
      return done(submission.reply({ resetForm: true }), 'Restored at the bottom of the order.');
    }
    default:
      return refused({ intent: intent || 'unknown', result: formRefusal(notUnderstood) }, 400);
  }
}
