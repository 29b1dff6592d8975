import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../../db/client';
import { products } from '../../../db/schema';
import { evaluateReadiness } from '~/domain/readiness';

/** Items a refinement can take up: in the backlog and not yet in a sprint or finished. */
const refinable = ['new', 'refined', 'ready', 'rejected'] as const;
/** The picker lists this many items; a search reaches the rest of the backlog. */
export const candidateLimit = 300;
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

/** Refinable items in backlog order, with their place in the whole order; `q` searches titles. */
export async function agendaCandidates(db: Db, productId: string, q: string) {
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
