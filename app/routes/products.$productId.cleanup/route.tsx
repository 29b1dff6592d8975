import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useEffect, useId } from 'react';
import type { z } from 'zod';
import { statusLabels, typeLabels } from '~/components/backlog/labels';
import { SelectAllBox, SelectionReasonFields, useRowSelection } from '~/components/row-selection';
import { requireUser } from '~/services/auth.server';
import stylesHref from '~/styles/backlog-tools.css?url';
import { useTimeZone } from '~/utils/client-hints';
import { formatDate } from '~/utils/dates';
import type { archiveSchema } from '~/services/backlog/archive.server';
import { archiveFromForm, loadCleanup } from './cleanup-page.server';
import { dayChoices } from './settings';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = () => [{ title: 'Cleanup · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return loadCleanup(context, params.productId ?? '', user.id, new URL(request.url));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return archiveFromForm(context, params.productId ?? '', user.id, await request.formData());
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;

function reasonText(reason: Page['items'][number]['reasons'][number]): string {
  switch (reason.kind) {
    case 'untouched':
      return `Untouched for ${reason.days} days`;
    case 'low_wsjf':
      return `WSJF ${reason.wsjf}, at most ${reason.maxWsjf}`;
    case 'beyond_horizon':
      return `Not before ${reason.earliest}${reason.lowerBound ? ' (unestimated items above)' : ''}, after ${reason.lastSprint}`;
  }
}

/** What "the next three sprints at full capacity" is for this product, or why it cannot be told yet. */
function horizonText(horizon: Page['horizon']): string {
  switch (horizon.kind) {
    case 'sprints':
      return `The next three sprints, ${horizon.firstSprint} to ${horizon.lastSprint}, take ${horizon.capacity} points at full capacity (the highest recent velocity, ${horizon.highestVelocity} points a sprint). Items the forecast puts later are candidates.`;
    case 'no_history':
      return `Items beyond the next three sprints become candidates once three sprints are closed (${horizon.sprintsOfHistory} so far): the forecast needs their velocity.`;
    case 'no_capacity':
      return 'The recent sprints accepted no points, so there is no capacity to tell which items lie beyond the next three sprints.';
  }
}

export default function Cleanup() {
  const page = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const reply = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  const id = useId();
  const busy = useNavigation().state === 'submitting';
  const selection = useRowSelection(page.items.map((i) => i.id));
  const done = reply && 'archived' in reply ? reply : null;
  const [form, fields] = useForm<z.input<typeof archiveSchema>>({ id, lastResult: reply?.result });
  const { clear } = selection;
  const doneAt = done?.at;
  useEffect(() => {
    if (doneAt) clear();
  }, [doneAt, clear]);
  const count = selection.all ? page.items.length : selection.selected.size;
  const criteria = [
    `untouched for ${page.untouchedDays} days or more`,
    page.maxWsjf === null
      ? null
      : `WSJF at most ${page.maxWsjf}${page.settings.maxWsjf === '' ? ' (the bottom quartile of the scored items)' : ''}`,
    page.beyondHorizon && page.horizon.kind === 'sprints'
      ? `not done by ${page.horizon.lastSprint} even at full capacity`
      : null,
  ].filter((c): c is string => c !== null);
  const wsjfNote =
    page.maxWsjf !== null ? '' : page.scoredCount === 0 ? ' No item has a WSJF score.' : ' WSJF is left out.';

  return (
    <section aria-labelledby="cleanup-title" className="stack">
      <div className="section-heading">
        <h2 id="cleanup-title">Cleanup</h2>
        <p className="muted">
          Archive candidates: items nobody has touched for a while, with a low WSJF, or that would not be done
          in the next three sprints even at full capacity. Archived items keep all their data.
        </p>
      </div>
      <Form
        method="get"
        className="card tool-filters"
        aria-label="Which items are candidates"
        preventScrollReset
      >
        <div className="field">
          <label htmlFor={`${id}-days`}>Untouched for at least</label>
          <select id={`${id}-days`} name="days" defaultValue={String(page.settings.days)}>
            {dayChoices.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-wsjf`}>Or WSJF at most</label>
          <input
            id={`${id}-wsjf`}
            name="maxWsjf"
            inputMode="decimal"
            defaultValue={page.settings.maxWsjf}
            placeholder={page.bottomQuartile === null ? '' : String(page.bottomQuartile)}
            aria-describedby={`${id}-wsjf-hint`}
          />
        </div>
        <div className="field checkbox-field">
          <input type="hidden" name="beyond" value="off" />
          <input
            id={`${id}-beyond`}
            type="checkbox"
            name="beyond"
            value="on"
            defaultChecked={page.settings.beyond}
            aria-describedby={`${id}-beyond-hint`}
          />
          <label htmlFor={`${id}-beyond`}>Or beyond the next three sprints</label>
        </div>
        <button type="submit" className="button button-secondary">
          Show candidates
        </button>
        <p id={`${id}-wsjf-hint`} className="hint">
          {page.bottomQuartile === null
            ? 'No item has a WSJF score yet.'
            : `Empty: the bottom quartile, WSJF ${page.bottomQuartile} or less (of ${page.scoredCount} scored items). 0 leaves WSJF out.`}
        </p>
      </Form>
      {page.settingsError ? (
        <p className="alert alert-error" role="alert">
          {page.settingsError}
        </p>
      ) : null}
      <p id={`${id}-beyond-hint`} className="muted">
        {horizonText(page.horizon)}
      </p>
      <div aria-live="polite">
        {done ? (
          <p className="alert alert-success">
            Archived {done.archived} {done.archived === 1 ? 'item' : 'items'}. To undo, open an item in the{' '}
            <Link to={`/products/${productId}?status=archived`}>archived items</Link> and restore it.
          </p>
        ) : null}
      </div>
      {page.items.length === 0 ? (
        <div className="empty-state">
          <p>
            {page.itemCount === 0
              ? 'No candidates: the backlog has no open items.'
              : `No candidates: every open item was changed in the last ${page.settings.days} days${
                  page.maxWsjf === null ? '' : `, has no WSJF or one above ${page.maxWsjf}`
                }${page.beyondHorizon && page.horizon.kind === 'sprints' ? `, and fits by ${page.horizon.lastSprint}` : ''}.`}
          </p>
        </div>
      ) : (
        <Form
          method="post"
          className="stack tool-form"
          key={done?.at ?? 'form'}
          {...getFormProps(form)}
          onSubmit={(event) => {
            const n = selection.all ? page.items.length : selection.selected.size;
            // None chosen: the server answers with "Choose at least one item".
            if (
              n > 0 &&
              !window.confirm(
                `Archive ${n} ${n === 1 ? 'item' : 'items'}? They leave the backlog order and keep their data; they can be restored.`,
              )
            ) {
              event.preventDefault();
            } else {
              form.onSubmit(event);
            }
          }}
        >
          <input type="hidden" name="days" value={page.settings.days} />
          <input type="hidden" name="maxWsjf" value={page.settings.maxWsjf} />
          <input type="hidden" name="beyond" value={page.settings.beyond ? 'on' : 'off'} />
          <p>
            {page.items.length} of {page.itemCount} items are candidates: {criteria.join(', or ')}.{wsjfNote}
          </p>
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">
                Archive candidates in backlog order, with why each is one
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="select-cell">
                    <SelectAllBox
                      id={`${id}-all`}
                      label="Select all candidates"
                      all={selection.all}
                      some={selection.some}
                      onChange={selection.toggleAll}
                    />
                  </th>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Title</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last changed</th>
                  <th scope="col" className="num">
                    WSJF
                  </th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => {
                  const checked = selection.selected.has(item.id);
                  return (
                    <tr key={item.id} className={checked ? 'is-selected' : undefined}>
                      <td className="select-cell">
                        <label htmlFor={`${id}-${item.id}`} className="visually-hidden">
                          Select “{item.title}”
                        </label>
                        <input
                          id={`${id}-${item.id}`}
                          type="checkbox"
                          name="itemIds"
                          value={item.id}
                          checked={checked}
                          onChange={(e) => selection.toggle(item.id, e.currentTarget.checked)}
                        />
                      </td>
                      <td className="num">{item.position}</td>
                      <td className="title-cell">
                        <Link to={`/products/${productId}/items/${item.id}`}>{item.title}</Link>
                      </td>
                      <td>{typeLabels[item.type]}</td>
                      <td>{statusLabels[item.status]}</td>
                      <td>
                        <time dateTime={item.updatedAt}>{formatDate(item.updatedAt, timeZone)}</time>
                      </td>
                      <td className="num">{item.wsjf ?? '–'}</td>
                      <td>
                        <ul className="reasons">
                          {item.reasons.map((r) => (
                            <li key={r.kind}>{reasonText(r)}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="card">
            <h3>Archive the selection</h3>
            <SelectionReasonFields
              countText={
                selection.all
                  ? `All ${page.items.length} candidates selected.`
                  : `${selection.selected.size} selected.`
              }
              reasonLabel="Reason for archiving (required, kept in the decision log)"
              rows={2}
              maxLength={1000}
              reason={fields.reason}
              itemIds={fields.itemIds}
              formErrors={form.errors}
            />
            <button type="submit" className="button button-danger" disabled={busy}>
              {busy
                ? 'Archiving…'
                : count > 0
                  ? `Archive ${count} ${count === 1 ? 'item' : 'items'}…`
                  : 'Archive the selected items…'}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
