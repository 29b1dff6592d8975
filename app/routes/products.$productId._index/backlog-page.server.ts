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
import { fieldErrorsOf, pickFields } from '~/utils/form-values';
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

const moveForm = z.object({ itemId: z.uuid({ message: 'itemId must be an item id' }) });
const createForm = createItemSchema
  .pick({ title: true, type: true })
  .extend({ position: z.enum(['top', 'bottom'], { message: 'Choose top or bottom' }) });

export type BacklogActionResult =
  | { ok: true; intent: 'move'; itemId: string; title: string; from: number; to: number }
  | { ok: true; intent: 'create'; itemId: string; title: string; position: 'top' | 'bottom' }
  | { ok: false; intent: string; formError: string; fieldErrors?: Record<string, string> };

const refuse = (intent: string, status: number, formError: string, fieldErrors?: Record<string, string>) =>
  data({ ok: false as const, intent, formError, fieldErrors } satisfies BacklogActionResult, { status });

/** Runs a service command; a refusal becomes a message with the service's status (403, 404, 409, 400). */
async function attempt<T>(intent: string, work: () => Promise<T>) {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (isAppError(error)) {
      const fieldErrors = error.extra.field ? { [error.extra.field]: error.detail } : undefined;
      return { ok: false as const, response: refuse(intent, error.status, error.detail, fieldErrors) };
    }
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
    const item = moveForm.safeParse({ itemId: form.get('itemId') });
    const fields: Record<string, string> = {};
    for (const key of ['beforeId', 'afterId', 'position', 'reason']) {
      const value = form.get(key);
      if (typeof value === 'string' && value !== '') fields[key] = value;
    }
    const move = moveSchema.safeParse(fields);
    if (!item.success || !move.success) {
      const issue =
        (item.success ? null : item.error.issues[0]) ?? (move.success ? null : move.error.issues[0]);
      return refuse('move', 400, `The move was not understood: ${issue?.message ?? 'invalid input'}`);
    }
    // The URL names the product; an item of another product is not found here (and its order is not touched).
    const target = { productId, itemId: item.data.itemId };
    const result = await attempt('move', () =>
      runBacklogCommand(context.app, 'moveItem', target, userId, move.data),
    );
    if (!result.ok) return result.response;
    const { item: moved, from, to } = result.value;
    return {
      ok: true as const,
      intent: 'move' as const,
      itemId: moved.id,
      title: moved.title,
      from,
      to,
    } satisfies BacklogActionResult;
  }
  if (intent === 'create') {
    const parsed = createForm.safeParse(pickFields(form, ['title', 'type', 'position']));
    if (!parsed.success)
      return refuse('create', 400, 'Check the new item’s fields.', fieldErrorsOf(parsed.error));
    const result = await attempt('create', () =>
      runBacklogCommand(context.app, 'createItem', { productId }, userId, parsed.data),
    );
    if (!result.ok) return result.response;
    return {
      ok: true as const,
      intent: 'create' as const,
      itemId: result.value.id,
      title: result.value.title,
      position: parsed.data.position,
    } satisfies BacklogActionResult;
  }
  return refuse(intent || 'unknown', 400, 'That request was not understood. Reload the page and try again.');
}
