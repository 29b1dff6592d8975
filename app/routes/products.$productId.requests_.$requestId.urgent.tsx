import { getFormProps, useForm } from '@conform-to/react';
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { FormAlert, TextareaField } from '~/components/forms';
import { isAppError } from '~/domain/errors';
import { requireUser } from '~/services/auth.server';
import { urgentImpact } from '~/services/requests/urgent.server';
import {
  runUrgentSwapForm,
  type UrgentSwapFormReply,
  type urgentSwapForm,
} from '~/services/requests/urgent-form.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Bring an urgent request into the sprint · Refinery' }];

/**
 * The impact of an urgent request on the running sprint (issue 17 part 3): what leaves, the load, the goal, the
 * items behind that move later; then the trade-off and the swap. A request without an estimate asks for one first.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const requestId = params.requestId ?? '';
  const raw = new URL(request.url).searchParams.get('points');
  const points = raw !== null && /^\d{1,4}$/.test(raw) ? Number(raw) : undefined;
  try {
    const impact = await urgentImpact(context.app.db, productId, requestId, user.id, { points });
    return { productId, impact, refusal: null, needsEstimate: false, points: points ?? null };
  } catch (error) {
    // 409s are read on the page (no sprint, not urgent, no estimate); 403 and 404 are error pages
    if (isAppError(error) && error.status === 409)
      return {
        productId,
        impact: null,
        refusal: error.detail,
        needsEstimate: error.extra.field === 'points',
        points: points ?? null,
      };
    return orRespond(Promise.reject(error));
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { reply, status } = await runUrgentSwapForm(
    context.app,
    params.productId ?? '',
    params.requestId ?? '',
    user.id,
    await request.formData(),
  );
  return data(reply, { status });
}

const pts = (n: number | null) => (n === null ? 'unestimated' : `${n} point${n === 1 ? '' : 's'}`);

export default function UrgentSwap() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as UrgentSwapFormReply | undefined;
  const done = reply?.message && reply.sprintId ? reply : null;
  const requests = `/products/${page.productId}/requests`;
  return (
    <section aria-labelledby="urgent-title" className="stack">
      <div className="section-heading">
        <h2 id="urgent-title">
          {page.impact
            ? `Bring “${page.impact.urgent.title}” into ${page.impact.sprint.name}`
            : 'Bring an urgent request into the sprint'}
        </h2>
        <p className="muted">
          <Link to={requests}>Back to the requests</Link>
        </p>
      </div>
      {done ? (
        <div className="alert alert-success" role="status">
          <p>{done.message}</p>
          <p>
            <Link to={`/products/${page.productId}/sprints/${done.sprintId}`}>Open {done.sprintName}</Link> ·{' '}
            <Link to={`/products/${page.productId}/decisions`}>Decision log</Link> ·{' '}
            <Link to={requests}>Requests</Link>
          </p>
        </div>
      ) : null}
      {!done && page.refusal ? (
        <p className="alert alert-error" role="alert">
          {page.refusal}
        </p>
      ) : null}
      {!done && page.needsEstimate ? <EstimateForm points={page.points} /> : null}
      {!done && page.impact ? <Impact impact={page.impact} reply={reply} /> : null}
    </section>
  );
}

function EstimateForm({ points }: { points: number | null }) {
  return (
    <Form method="get" aria-label="Estimate the request" className="card">
      <div className="field narrow">
        <label htmlFor="urgent-points">Estimate (story points)</label>
        <p className="hint" id="urgent-points-hint">
          What the team expects it to take; it becomes the item’s estimate when you swap.
        </p>
        <input
          id="urgent-points"
          name="points"
          type="number"
          min={0}
          max={1000}
          step={1}
          required
          defaultValue={points ?? undefined}
          aria-describedby="urgent-points-hint"
        />
      </div>
      <button type="submit" className="button">
        Assess the impact
      </button>
    </Form>
  );
}

type ImpactView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['impact']>;

function Impact({ impact: i, reply }: { impact: ImpactView; reply: UrgentSwapFormReply | undefined }) {
  const navigation = useNavigation();
  const swapping = navigation.state === 'submitting';
  const [form, fields] = useForm<z.input<typeof urgentSwapForm>>({
    id: 'urgent-swap',
    lastResult: reply?.result,
  });
  const budget = i.basis === 'capacity' ? `its capacity of ${i.budget}` : `its current load of ${i.budget}`;
  const summary =
    i.displaced.length === 0
      ? `“${i.urgent.title}” (${pts(i.urgent.points)}) fits in ${i.sprint.name} within ${budget} points: nothing leaves the sprint.`
      : `“${i.urgent.title}” (${pts(i.urgent.points)}) takes the place of ${i.displaced.length} item${i.displaced.length === 1 ? '' : 's'} (${pts(i.displacedPoints)}) in ${i.sprint.name}, to keep it within ${budget} points. They go back to the top of the backlog.`;
  return (
    <>
      <section aria-labelledby="impact-title" className="card stack">
        <h3 id="impact-title">The impact</h3>
        <p>{summary}</p>
        {i.overBudget ? (
          <p className="alert alert-error">
            Even without every unfinished item the sprint stays over {budget} points.
          </p>
        ) : null}
        <h4 id="displaced-title">What leaves the sprint</h4>
        {i.displaced.length === 0 ? (
          <p className="muted">Nothing leaves the sprint.</p>
        ) : (
          <table className="table" aria-labelledby="displaced-title">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {i.displaced.map((d) => (
                <tr key={d.id}>
                  <td>{d.title}</td>
                  <td>{d.points ?? '–'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">In all</th>
                <td>{i.displacedPoints}</td>
              </tr>
            </tfoot>
          </table>
        )}
        <dl className="request-details">
          <dt>Load</dt>
          <dd>
            {i.loadBefore} → {i.loadAfter} points, against{' '}
            {i.basis === 'capacity' ? `a capacity of ${i.budget}` : `the current load of ${i.budget}`}
          </dd>
          <dt>Still to do</dt>
          <dd>
            {i.remainingBefore} → {i.remainingAfter} points
          </dd>
          <dt>Sprint goal now</dt>
          <dd>
            {i.sprint.goal ? `“${i.sprint.goal}”. ` : ''}
            {i.goal.beforeText}
          </dd>
          <dt>Sprint goal after the swap</dt>
          <dd>{i.goal.afterText}</dd>
        </dl>
        <h4 id="shifted-title">Items behind that move later</h4>
        {i.shiftedCount === 0 ? (
          <p className="muted">No forecast moves later (or there is no velocity history to forecast with).</p>
        ) : (
          <>
            <table className="table" aria-labelledby="shifted-title">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Likely before</th>
                  <th scope="col">Likely after</th>
                </tr>
              </thead>
              <tbody>
                {i.shifted.map((s) => (
                  <tr key={s.id}>
                    <td>{s.title}</td>
                    <td>{s.before}</td>
                    <td>{s.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {i.shiftedCount > i.shifted.length ? (
              <p className="muted">and {i.shiftedCount - i.shifted.length} more.</p>
            ) : null}
          </>
        )}
      </section>
      <Form method="post" aria-label="Swap into the sprint" className="card" {...getFormProps(form)}>
        <FormAlert id={form.errorId} errors={form.errors} />
        {reply?.stale ? (
          <p className="muted">The impact above is the sprint as it is now; read it again before you swap.</p>
        ) : null}
        <input type="hidden" name="expectedDisplaced" value={i.expectedDisplaced.join(',')} />
        <input type="hidden" name="points" value={String(i.urgent.points)} />
        <TextareaField
          label="Trade-off"
          hint="What the sprint gives up, and why the urgent request is worth it. Recorded in the decision log."
          meta={fields.tradeOff}
          rows={4}
          maxLength={2000}
          required
        />
        <button type="submit" className="button" disabled={swapping}>
          {swapping ? 'Swapping…' : 'Swap into the sprint'}
        </button>
      </Form>
    </>
  );
}
