import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { backlogItems, products } from '../../../db/schema';
import { isAppError } from '~/domain/errors';
import { evaluateReadiness } from '~/domain/readiness';
import { preselectForRefinement } from '~/domain/refinement';
import { can } from '~/domain/roles';
import type { Db } from '../../../db/client';
import { authorize, listMembers } from '~/services/products.server';
import { createSession, createSessionSchema, listSessions } from '~/services/sessions/sessions.server';
import { formatDateTime, todayIn } from '~/utils/dates';
import { parseFormInput } from '~/utils/form-input';

/** Items a refinement can take up: in the backlog and not yet in a sprint or finished. */
const refinable = ['new', 'refined', 'ready', 'rejected'] as const;
/** The picker lists this many items; a search reaches the rest of the backlog. */
export const candidateLimit = 300;
/** The agenda a new session proposes: the top items that can be refined and estimated and are not ready yet. */
const defaultAgendaSize = 5;

export interface AgendaCandidate {
  id: string;
  title: string;
  type: string;
  status: string;
  estimate: number | null;
  /** 1-based place in the whole backlog order */
  position: number;
  dorMet: number;
  dorTotal: number;
  ready: boolean;
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/** Refinable items in backlog order, with their place in the whole order; `q` searches titles. */
async function agendaCandidates(db: Db, productId: string, q: string) {
  const [product] = await db
    .select({ dor: products.definitionOfReady })
    .from(products)
    .where(eq(products.id, productId));
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const statuses = sql.join(
    refinable.map((s) => sql`${s}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    with ordered as (
      select id, title, type, status, estimate, ready_checks, (row_number() over (order by rank))::int as position
      from backlog_items where product_id = ${productId} and status <> 'archived'
    )
    select id, title, type, status, estimate, ready_checks, position, (count(*) over ())::int as total
    from ordered
    where status in (${statuses}) ${pattern ? sql`and title ilike ${pattern}` : sql``}
    order by position
    limit ${candidateLimit}`);
  const rows = rowsOf<{
    id: string;
    title: string;
    type: string;
    status: string;
    estimate: number | null;
    ready_checks: Record<string, boolean> | string | null;
    position: number;
    total: number;
  }>(result);
  const checklist = product?.dor ?? [];
  const items = rows.map((r): AgendaCandidate => {
    const checks =
      typeof r.ready_checks === 'string'
        ? (JSON.parse(r.ready_checks) as Record<string, boolean>)
        : (r.ready_checks ?? {});
    const readiness = evaluateReadiness({ checklist, checked: checks, unresolvedDependencies: 0 });
    return {
      id: r.id,
      title: r.title,
      type: r.type,
      status: r.status,
      estimate: r.estimate,
      position: r.position,
      dorMet: readiness.met,
      dorTotal: readiness.total,
      ready: r.status === 'ready' || (readiness.total > 0 && readiness.ready),
    };
  });
  return { items, total: rows[0]?.total ?? 0 };
}

/** The sessions page; times and today's date in the viewer's `timeZone`. */
export async function loadSessionsPage(
  context: AppLoadContext,
  productId: string,
  userId: string,
  url: URL,
  timeZone: string,
) {
  const { db } = context.app;
  const role = await authorize(db, productId, userId, 'product.view');
  const sessions = (await listSessions(db, productId, userId)).map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    phase: s.phase,
    state: s.state,
    participants: s.participants,
    createdAt: formatDateTime(s.createdAt, timeZone),
    endedAt: s.endedAt ? formatDateTime(s.endedAt, timeZone) : null,
  }));
  if (!can(role, 'session.run')) return { sessions, create: null };
  const q = url.searchParams.get('q')?.trim().slice(0, 200) ?? '';
  const [members, candidates] = await Promise.all([
    listMembers(db, productId, userId),
    agendaCandidates(db, productId, q),
  ]);
  const today = todayIn(timeZone);
  return {
    sessions,
    create: {
      defaultTitle: `Refinement ${today}`,
      facilitators: members
        .filter((m) => m.role !== 'stakeholder')
        .map((m) => ({ userId: m.userId, name: m.displayName, role: m.role, me: m.userId === userId })),
      q,
      candidates: candidates.items,
      /** how many refinable items match (the list shows at most `candidateLimit`) */
      total: candidates.total,
      defaultAgenda: q
        ? []
        : candidates.items
            .filter(preselectForRefinement)
            .slice(0, defaultAgendaSize)
            .map((c) => c.id),
    },
  };
}

export type SessionsPage = Awaited<ReturnType<typeof loadSessionsPage>>;

export type CreateSessionResult = {
  ok: false;
  formError: string;
  fieldErrors: Record<string, string>;
  kind: string;
};

/** `kind` says which form (refinement or prioritisation) the refusal belongs to. */
const refuse = (kind: string, status: number, formError: string, fieldErrors: Record<string, string> = {}) =>
  data({ ok: false as const, formError, fieldErrors, kind } satisfies CreateSessionResult, { status });

/** Creates a refinement or prioritisation session from the form and opens its room. */
export async function createFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  const kind = form.get('kind') === 'prioritisation' ? 'prioritisation' : 'refinement';
  const parsed = parseFormInput(createSessionSchema, form);
  if (!parsed.ok)
    return refuse(kind, 400, 'The session was not created: check the marked field.', {
      [parsed.field]: parsed.message,
    });
  const input = parsed.data;
  // The agenda follows the backlog order, whatever order the boxes were ticked in.
  if (input.agenda.length > 1) {
    const ranked = await db
      .select({ id: backlogItems.id })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, input.agenda)))
      .orderBy(asc(backlogItems.rank));
    const known = new Set(ranked.map((r) => r.id));
    input.agenda = [...ranked.map((r) => r.id), ...input.agenda.filter((id) => !known.has(id))];
  }
  try {
    const session = await createSession(db, productId, userId, { ...input, kind });
    context.app.log.info({ event: 'session_created', productId, sessionId: session.id, by: userId });
    return redirect(`/products/${productId}/sessions/${session.id}`);
  } catch (error) {
    if (isAppError(error)) {
      return refuse(
        kind,
        error.status,
        error.detail,
        error.extra.field ? { [error.extra.field]: error.detail } : {},
      );
    }
    throw error;
  }
}
