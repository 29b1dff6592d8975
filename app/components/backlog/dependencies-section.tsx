import { Form, Link, useNavigation } from '@remix-run/react';
import type { ItemReply } from '~/routes/products.$productId.items.$itemId/item-page.server';
import { firstError } from '~/utils/form-submission';
import { type ItemStatus, type ItemType, statusLabels, typeLabels } from './labels';

export interface LinkedItem {
  id: string;
  title: string;
  status: string;
  productId: string | null;
  elsewhere: boolean;
}

export interface Candidate {
  id: string;
  title: string;
  type: ItemType;
  status: ItemStatus;
  position: number | null;
  /** the product it belongs to, when not this one */
  productName: string | null;
}

const statusText = (s: string) => (s in statusLabels ? statusLabels[s as ItemStatus] : s);

function ItemLink({ item }: { item: LinkedItem }) {
  if (!item.productId) return <span>{item.title}</span>;
  return (
    <>
      <Link to={`/products/${item.productId}/items/${item.id}`}>{item.title}</Link>
      {item.elsewhere ? <span className="muted"> (another product)</span> : null}
    </>
  );
}

/**
 * "Blocked by" links: add by searching the product's items (or every product the user belongs to), remove; a cycle
 * is refused with the service's message.
 */
export function DependenciesSection({
  blockedBy,
  blocks,
  mayEdit,
  find,
  findIn,
  candidates,
  reply,
}: {
  blockedBy: readonly LinkedItem[];
  blocks: readonly LinkedItem[];
  mayEdit: boolean;
  find: string;
  findIn: 'product' | 'all';
  candidates: readonly Candidate[] | null;
  /** the page's last form answer (this section's when its intent is adding or removing a dependency) */
  reply: ItemReply | undefined;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === 'submitting' &&
    String(navigation.formData?.get('intent') ?? '').endsWith('dependency');
  const mine =
    reply && (reply.intent === 'add-dependency' || reply.intent === 'remove-dependency') ? reply : undefined;
  // The form's own message first ("Choose the item this one is blocked by."): these forms show no fields.
  const error = mine ? (mine.result.error?.['']?.[0] ?? firstError(mine.result)?.message) : undefined;
  const done = mine?.message && !error ? mine.message : null;
  return (
    <section aria-labelledby="deps-title" className="card stack">
      <h2 id="deps-title">Dependencies</h2>
      <div aria-live="polite">
        {error ? (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        ) : null}
        {done ? <p className="alert alert-success">{done}</p> : null}
      </div>
      <h3 id="blocked-by-title">Blocked by</h3>
      {blockedBy.length === 0 ? (
        <p className="muted">Nothing blocks this item.</p>
      ) : (
        <ul className="plain-list" aria-labelledby="blocked-by-title">
          {blockedBy.map((b) => (
            <li key={b.id} className="row">
              <span>
                <ItemLink item={b} /> <span className="status">· {statusText(b.status)}</span>
              </span>
              {mayEdit ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="remove-dependency" />
                  <input type="hidden" name="blockedById" value={b.id} />
                  <button type="submit" className="button button-small button-secondary" disabled={busy}>
                    Remove<span className="visually-hidden"> the dependency on “{b.title}”</span>
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayEdit ? (
        <div className="dependency-finder">
          <Form
            method="get"
            preventScrollReset
            replace
            className="inline-form"
            role="search"
            aria-label="Find an item this one is blocked by"
          >
            <label htmlFor="dep-find">Find a blocking item</label>
            <input
              id="dep-find"
              name="find"
              type="search"
              defaultValue={find}
              maxLength={200}
              placeholder="Part of its title"
            />
            <label htmlFor="dep-find-in" className="visually-hidden">
              Search in
            </label>
            <select id="dep-find-in" name="in" defaultValue={findIn}>
              <option value="product">This product</option>
              <option value="all">All my products</option>
            </select>
            <button type="submit" className="button button-small button-secondary">
              Search
            </button>
          </Form>
          {candidates ? (
            candidates.length === 0 ? (
              <p className="muted">
                No other item {findIn === 'all' ? 'in your products ' : ''}matches “{find}”.
              </p>
            ) : (
              <ul className="plain-list" aria-label={`Items matching “${find}”`}>
                {candidates.map((c) => (
                  <li key={c.id} className="row">
                    <span>
                      {c.position ? <span className="muted">#{c.position} </span> : null}
                      {c.title}{' '}
                      <span className="muted">
                        · {typeLabels[c.type]} · {statusLabels[c.status]}
                        {c.productName ? ` · in ${c.productName}` : ''}
                      </span>
                    </span>
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="add-dependency" />
                      <input type="hidden" name="blockedById" value={c.id} />
                      <button
                        type="submit"
                        className="button button-small"
                        disabled={busy}
                        aria-label={`Blocked by this: “${c.title}”${c.productName ? ` in ${c.productName}` : ''}`}
                      >
                        Blocked by this
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </div>
      ) : null}
      {blocks.length > 0 ? (
        <>
          <h3 id="blocks-title">Blocks</h3>
          <ul className="plain-list" aria-labelledby="blocks-title">
            {blocks.map((b) => (
              <li key={b.id} className="row">
                <span>
                  <ItemLink item={b} /> <span className="status">· {statusText(b.status)}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
