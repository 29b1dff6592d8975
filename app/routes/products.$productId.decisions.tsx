import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { DecisionList } from '~/components/backlog/decision-list';
import { decisionKindLabels } from '~/components/backlog/decision-text';
import { decisionFilterSchema, listDecisions } from '~/services/backlog/decisions.server';
import { itemTitles } from '~/services/backlog/overview.server';
import { listMembers } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Decision log · Refinery' }];

const pageSize = 50;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const { db } = context.app;
  const url = new URL(request.url);
  const raw = {
    kind: url.searchParams.get('kind') || undefined,
    actorId: url.searchParams.get('actor') || undefined,
    beforeId: url.searchParams.get('before') || undefined,
  };
  const parsed = decisionFilterSchema.safeParse({ ...raw, limit: pageSize });
  // A hand-edited URL shows the newest entries with a note, never an error page.
  const filter = parsed.success ? parsed.data : decisionFilterSchema.parse({ limit: pageSize });
  const filterError = parsed.success
    ? null
    : `Some filters were ignored: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
  const [log, members] = await Promise.all([
    orRespond(listDecisions(db, productId, user.id, filter)),
    orRespond(listMembers(db, productId, user.id)),
  ]);
  const titles = await itemTitles(db, productId, user.id, [
    ...log.entries.flatMap((e) => (e.itemId ? [e.itemId] : [])),
    ...log.entries.flatMap((e) => {
      const before = e.before as { blockedById?: unknown } | null;
      const after = e.after as { blockedById?: unknown } | null;
      return [before?.blockedById, after?.blockedById].filter((v): v is string => typeof v === 'string');
    }),
  ]);
  return {
    entries: log.entries,
    nextBeforeId: log.nextBeforeId,
    titles: Object.fromEntries([...titles].map(([id, t]) => [id, t.title])),
    members: members.map((m) => ({ id: m.userId, name: m.displayName })),
    query: {
      kind: parsed.success ? (raw.kind ?? '') : '',
      actor: parsed.success ? (raw.actorId ?? '') : '',
      paged: Boolean(filter.beforeId),
    },
    filterError,
  };
}

export default function Decisions() {
  const page = useLoaderData<typeof loader>();
  const older = new URLSearchParams();
  if (page.query.kind) older.set('kind', page.query.kind);
  if (page.query.actor) older.set('actor', page.query.actor);
  const newest = older.toString();
  if (page.nextBeforeId) older.set('before', String(page.nextBeforeId));
  return (
    <section aria-labelledby="decisions-title" className="stack">
      <div className="section-heading">
        <h2 id="decisions-title">Decision log</h2>
        <p className="muted">
          Every create, priority edit, move, status change, archive and restore, with who, when and why.
          Entries cannot be changed.
        </p>
      </div>
      <Form
        method="get"
        className="filters"
        role="search"
        aria-label="Filter the decision log"
        key={JSON.stringify(page.query)}
      >
        <div className="field">
          <label htmlFor="log-kind">Kind</label>
          <select id="log-kind" name="kind" defaultValue={page.query.kind}>
            <option value="">Every kind</option>
            {Object.entries(decisionKindLabels).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-actor">Person</label>
          <select id="log-actor" name="actor" defaultValue={page.query.actor}>
            <option value="">Anyone</option>
            {page.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button button-secondary">
            Show
          </button>
          <Link to="." className="button-link">
            Clear
          </Link>
        </div>
      </Form>
      {page.filterError ? (
        <p className="alert alert-error" role="alert">
          {page.filterError}
        </p>
      ) : null}
      <div className="card">
        <DecisionList entries={page.entries} titles={page.titles} label="Decisions, newest first" />
      </div>
      <nav className="pager" aria-label="Decision log pages">
        {page.query.paged ? <Link to={newest ? `?${newest}` : '.'}>Newest entries</Link> : <span />}
        {page.nextBeforeId ? <Link to={`?${older.toString()}`}>Older entries</Link> : null}
      </nav>
    </section>
  );
}
