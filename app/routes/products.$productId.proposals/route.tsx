import { getFormProps, useForm } from '@conform-to/react';
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useEffect, useId } from 'react';
import type { z } from 'zod';
import { moscowShort, typeLabels } from '~/components/backlog/labels';
import { SelectAllBox, SelectionReasonFields, useRowSelection } from '~/components/row-selection';
import { criteriaLabel } from '~/domain/requests';
import { requireUser } from '~/services/auth.server';
import type { applyProposalSchema } from '~/services/backlog/proposals.server';
import stylesHref from '~/styles/backlog-tools.css?url';
import { modeLabels, modes } from './modes';
import { applyFromForm, loadProposal } from './proposals-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = () => [{ title: 'Order proposal · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return loadProposal(context, params.productId ?? '', user.id, new URL(request.url));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return applyFromForm(context, params.productId ?? '', user.id, await request.formData());
}

const explanations = {
  wsjf: 'Highest WSJF first. Items without a WSJF score keep their current order after the scored ones.',
  moscow_wsjf:
    'Must, Should, Could, Won’t, then items without MoSCoW; inside each group by WSJF, highest first.',
} as const;

/** A move as text: ↑3 / ↓2 / —, with words for screen readers; the colour only repeats it. */
function Move({ move }: { move: number }) {
  if (move > 0)
    return (
      <span className="move move-up">
        <span aria-hidden="true">↑{move}</span>
        <span className="visually-hidden">up {move}</span>
      </span>
    );
  if (move < 0)
    return (
      <span className="move move-down">
        <span aria-hidden="true">↓{-move}</span>
        <span className="visually-hidden">down {-move}</span>
      </span>
    );
  return (
    <span className="move move-none">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">stays</span>
    </span>
  );
}

export default function Proposals() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  const id = useId();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const selection = useRowSelection(page.rows.map((r) => r.id));
  const done = reply && 'message' in reply ? reply : null;
  const [form, fields] = useForm<z.input<typeof applyProposalSchema>>({ id, lastResult: reply?.result });
  const { clear } = selection;
  const doneAt = done?.at;
  // After applying, the selection starts empty again (the form is remounted, which empties the reason field).
  useEffect(() => {
    if (doneAt) clear();
  }, [doneAt, clear]);
  const empty = page.mode === 'wsjf' ? !page.scored : !page.prioritised;
  const count = selection.all ? page.rows.length : selection.selected.size;

  return (
    <section aria-labelledby="proposal-title" className="stack">
      <div className="section-heading">
        <h2 id="proposal-title">Order proposal</h2>
        <p className="muted">
          The open items of the backlog sorted by their scores, beside the current order; done and accepted
          items keep their places. Only the product owner applies it, with a reason.
        </p>
      </div>
      <nav className="choice-links" aria-label="Order by">
        <span>Order by:</span>
        {modes.map((mode) => (
          <Link
            key={mode}
            to={`?mode=${mode}`}
            aria-current={page.mode === mode ? 'true' : undefined}
            preventScrollReset
          >
            {modeLabels[mode]}
          </Link>
        ))}
      </nav>
      <p className="hint">
        {explanations[page.mode]} Applies <Link to="../criteria">{criteriaLabel(page.criteriaVersion)}</Link>
        {', which the decision log keeps.'}
        {page.weights
          ? ` WSJF is weighted as agreed: business value ×${page.weights.businessValue}, time criticality ×${page.weights.timeCriticality}, risk reduction ×${page.weights.riskReduction}.`
          : null}
      </p>
      {page.modeError ? (
        <p className="alert alert-error" role="alert">
          {page.modeError}
        </p>
      ) : null}
      <div aria-live="polite">
        {done ? (
          <p className={done.moved === 0 ? 'alert' : 'alert alert-success'}>
            {done.message}{' '}
            <Link to={`/products/${productId}/decisions?kind=proposal_applied`}>See the decision log</Link>
          </p>
        ) : null}
      </div>
      {empty ? (
        <div className="empty-state">
          <p>
            {page.mode === 'wsjf'
              ? 'No item has a WSJF score yet, so there is nothing to propose.'
              : 'No item has a WSJF score or a MoSCoW priority yet, so there is nothing to propose.'}
          </p>
          <p className="muted">
            Score the Cost-of-Delay parts and the job size on an item’s page, and its WSJF appears here.
          </p>
        </div>
      ) : (
        <Form method="post" className="stack tool-form" key={done?.at ?? 'form'} {...getFormProps(form)}>
          <input type="hidden" name="mode" value={page.mode} />
          <p>
            {page.moving === 0
              ? 'The backlog is already in this order.'
              : `${page.moving} of ${page.rows.length} items would move.`}
            {page.mayOrder ? null : ' Only the product owner can apply a proposal; you see it read-only.'}
          </p>
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">
                Proposed order by {modeLabels[page.mode]}, beside the current position
              </caption>
              <thead>
                <tr>
                  {page.mayOrder ? (
                    <th scope="col" className="select-cell">
                      <SelectAllBox
                        id={`${id}-all`}
                        label="Select all items"
                        all={selection.all}
                        some={selection.some}
                        onChange={selection.toggleAll}
                      />
                    </th>
                  ) : null}
                  <th scope="col" className="num">
                    Proposed
                  </th>
                  <th scope="col" className="num">
                    Now
                  </th>
                  <th scope="col">Move</th>
                  <th scope="col">Title</th>
                  <th scope="col">Type</th>
                  <th scope="col">MoSCoW</th>
                  <th scope="col" className="num">
                    WSJF
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => {
                  const checked = selection.selected.has(row.id);
                  return (
                    <tr key={row.id} className={checked ? 'is-selected' : undefined}>
                      {page.mayOrder ? (
                        <td className="select-cell">
                          <label htmlFor={`${id}-${row.id}`} className="visually-hidden">
                            Select “{row.title}”
                          </label>
                          <input
                            id={`${id}-${row.id}`}
                            type="checkbox"
                            name="itemIds"
                            value={row.id}
                            checked={checked}
                            onChange={(e) => selection.toggle(row.id, e.currentTarget.checked)}
                          />
                        </td>
                      ) : null}
                      <td className="num">{row.proposedPosition}</td>
                      <td className="num">{row.currentPosition}</td>
                      <td>
                        <Move move={row.move} />
                      </td>
                      <td className="title-cell">
                        <Link to={`/products/${productId}/items/${row.id}`}>{row.title}</Link>
                      </td>
                      <td>{typeLabels[row.type]}</td>
                      <td>{row.moscow ? moscowShort[row.moscow] : '–'}</td>
                      <td className="num">{row.wsjf ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {page.mayOrder ? (
            <div className="card">
              <h3>Apply the proposal</h3>
              <p className="hint">
                Applied to some items, the proposal reorders only those, among the places they hold now; the
                other items stay where they are.
              </p>
              <SelectionReasonFields
                countText={
                  selection.all
                    ? `All ${page.rows.length} items selected.`
                    : `${selection.selected.size} selected.`
                }
                reasonLabel="Why this order (required, kept in the decision log)"
                rows={3}
                maxLength={2000}
                reason={fields.reason}
                itemIds={fields.itemIds}
                formErrors={form.errors}
              />
              <button type="submit" className="button" disabled={busy}>
                {busy
                  ? 'Applying…'
                  : count > 0
                    ? `Apply to ${count} ${count === 1 ? 'item' : 'items'}`
                    : 'Apply to the selected items'}
              </button>
            </div>
          ) : null}
        </Form>
      )}
    </section>
  );
}
