import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { groupByEpic } from '~/components/backlog/group-by-epic';
import { encodeRows } from '~/components/backlog/row-codec';
import { AppError, isAppError } from '~/domain/errors';
import { can } from '~/domain/roles';
import { createItemSchema, listFilterSchema } from '~/services/backlog/items.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { moveSchema } from '~/services/backlog/moves.server';
import { backlogView, listEpics, listLabels } from '~/services/backlog/overview.server';
import { type ForecastCells, forecastCells } from '~/services/metrics/forecast-cells.server';
import { authorize } from '~/services/products.server';
import { refuseOnFormAndField } from '~/utils/form-replies';
import {
  type FormReply,
  firstError,
  formRefusal,
  parseFormSubmission,
  refuseSubmission,
} from '~/utils/form-submission';
import { mayEditText } from '~/domain/policies';

/** The filter fields as they appear in the URL (a GET form): empty means "any". */
const queryKeys = ['type', 'status', 'label', 'epic', 'q'] as const;
export type BacklogQuery = Partial<Record<(typeof queryKeys)[number], string>> & { group: boolean };

export function readQuery(url: URL): {
  query: BacklogQuery;
  filter: z.output<typeof listFilterSchema>;
  error: string | null;
} {
  const query: BacklogQuery = { group: url.searchParams.get('group') === 'epic' };
  for (const key of queryKeys) {
    const value = url.searchParams.get(key)?.trim();
    if (value) query[key] = value;
  }
  const parsed = listFilterSchema.safeParse({
    type: query.type,
    status: query.status,
    label: query.label,
    epicId: query.epic,
    q: query.q,
  });
  if (parsed.success) return { query, filter: parsed.data, error: null };
  // A hand-edited URL must not break the page: show everything and say which filter was not understood.
  const message = parsed.error.issues.map((i) => i.message).join('; ');
  return { query, filter: listFilterSchema.parse({}), error: `Some filters were ignored: ${message}` };
}

/**
 * Rows in the page itself: a few screens, so the list shows, scrolls and moves at once; the list fetches the rest
 * from the rows endpoint right after. Shipping all 10,000 rows made the HTML 1.8 MB and the page too slow.
 */
export const firstScreenRows = 200;
/** The most rows one request to the rows endpoint returns. */
export const rowsPageLimit = 5000;

export async function loadBacklogPage(context: AppLoadContext, productId: string, userId: string, url: URL) {
  const { db } = context.app;
  const role = await authorize(db, productId, userId, 'product.view');
  const { query, filter, error } = readQuery(url);
  // Taken before the reads: a change announced after this moment may not be in them, so the live view reloads.
  const readAt = Date.now();
  const [list, epics, labels, forecast] = await Promise.all([
    // Grouped, the first screen is not the top of the order: the server groups every row to find it.
    backlogView(db, productId, userId, query.group ? filter : { ...filter, limit: firstScreenRows }),
    listEpics(db, productId, userId),
    listLabels(db, productId, userId),
    forecastCells(db, productId),
  ]);
  let rows = withForecast(list.rows, forecast);
  /** grouped and not all rows sent: the size of every group, by epic id ('' for no epic) */
  let groupSizes: Record<string, number> | null = null;
  if (query.group && list.rows.length > firstScreenRows) {
    groupSizes = {};
    const all = rows;
    rows = [];
    for (const entry of groupByEpic(all, epics)) {
      if (entry.kind === 'group') groupSizes[entry.epicId ?? ''] = entry.count;
      else if (rows.length < firstScreenRows) rows.push(entry.row);
    }
  }
  return {
    /** the first rows: the top of the order, or of the grouped order; all of them when `total` is not more */
    rows: encodeRows(rows),
    forecast: {
      velocities: forecast.history.velocities.length,
      range: forecast.history.range,
      runningSprint: forecast.history.runningSprint,
    },
    total: list.total,
    points: list.points,
    groupSizes,
    filtered: Boolean(query.type || query.status || query.label || query.epic || query.q),
    query,
    filterError: error,
    epics,
    labels,
    mayOrder: can(role, 'backlog.order'),
    mayEdit: mayEditText(role),
    /** server time of this read: the live channel compares it with the last change it announces */
    loadedAt: readAt,
  };
}

const rowsPageSchema = z.object({
  offset: z.coerce
    .number({ message: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset cannot be negative')
    .default(0),
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(rowsPageLimit, `limit must be at most ${rowsPageLimit}`)
    .default(rowsPageLimit),
});

/**
 * A page of the backlog's rows in the order (never grouped), with the page's filters: what the list fetches after
 * the first screen. The rows keep the codec's text form, so the body is built around it instead of encoding it
 * again.
 */
export async function loadBacklogRows(
  context: AppLoadContext,
  productId: string,
  userId: string,
  url: URL,
): Promise<Response> {
  const { filter } = readQuery(url);
  const page = rowsPageSchema.safeParse({
    offset: url.searchParams.get('offset') ?? undefined,
    limit: url.searchParams.get('limit') ?? undefined,
  });
  if (!page.success) throw new AppError('invalid', page.error.issues.map((i) => i.message).join('; '));
  const [list, forecast] = await Promise.all([
    backlogView(context.app.db, productId, userId, { ...filter, ...page.data }),
    forecastCells(context.app.db, productId),
  ]);
  return new Response(
    `{"offset":${page.data.offset},"total":${list.total},"rows":${encodeRows(withForecast(list.rows, forecast))}}`,
    {
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store' },
    },
  );
}

/** Each row with its forecast cell ("14–16"), from the forecast of the whole order (filters do not change it). */
function withForecast<R extends { id: string }>(
  rows: readonly R[],
  forecast: ForecastCells,
): Array<R & { forecast: string | null }> {
  return rows.map((row) => ({ ...row, forecast: forecast.cellOf(row.id) }));
}

const moveForm = moveSchema.safeExtend({ itemId: z.uuid({ message: 'itemId must be an item id' }) });
const createForm = createItemSchema
  .pick({ title: true, type: true })
  .extend({ position: z.enum(['top', 'bottom'], { message: 'Choose top or bottom' }) });
/** The fields of the "New item" form. */
export type NewItemFields = z.input<typeof createForm>;

/** What the backlog page's forms answer (decision 0035): the form's reply, and what a saved move or a new item did. */
export interface BacklogReply {
  intent: string;
  result: FormReply;
  moved?: { itemId: string; title: string; from: number; to: number };
  created?: { itemId: string; title: string; position: 'top' | 'bottom' };
}

const refused = (reply: BacklogReply, status: number) => data(reply satisfies BacklogReply, { status });

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

export async function runBacklogForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const intent = String(form.get('intent') ?? '');
  if (intent === 'move') {
    const submission = parseFormSubmission(form, moveForm);
    if (submission.status !== 'success') {
      // The item first: a move of no item is not understood, whatever its target.
      const problem = submission.error?.itemId?.[0] ?? firstError(submission.reply())?.message;
      const message = `The move was not understood: ${problem ?? 'invalid input'}`;
      return refused({ intent, result: formRefusal(message) }, 400);
    }
    // The URL names the product; an item of another product is not found here (and its order is not touched).
    const { itemId, ...move } = submission.value;
    const done = await attempt(
      () => runBacklogCommand(context.app, 'moveItem', { productId, itemId }, userId, move),
      (message) => refuseSubmission(submission, message),
    );
    if (!done.ok) return refused({ intent, result: done.result }, done.status);
    const { item, from, to } = done.value;
    return {
      intent,
      result: submission.reply(),
      moved: { itemId: item.id, title: item.title, from, to },
    } satisfies BacklogReply;
  }
  if (intent === 'create') {
    const submission = parseFormSubmission(form, createForm);
    if (submission.status !== 'success')
      return refused(
        { intent, result: submission.reply({ formErrors: ['Check the new item’s fields.'] }) },
        400,
      );
    const done = await attempt(
      () => runBacklogCommand(context.app, 'createItem', { productId }, userId, submission.value),
      (message, field) => refuseOnFormAndField(submission, message, field),
    );
    if (!done.ok) return refused({ intent, result: done.result }, done.status);
    return {
      intent,
      // Emptied for the next item.
      result: submission.reply({ resetForm: true }),
      created: { itemId: done.value.id, title: done.value.title, position: submission.value.position },
    } satisfies BacklogReply;
  }
  const message = 'That request was not understood. Reload the page and try again.';
  return refused({ intent: intent || 'unknown', result: formRefusal(message) }, 400);
}
