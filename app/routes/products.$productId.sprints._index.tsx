import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { NoSprintsYet, newSprintFieldId } from '~/components/meeting-empty-states';
import { SprintList } from '~/components/sprints/sprint-list';
import { can } from '~/domain/roles';
import { roleIn } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { createSprintFromForm } from '~/services/sprints/forms.server';
import { listSprints } from '~/services/sprints/sprints.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Sprints · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const listed = await orRespond(listSprints(context.app.db, productId, user.id));
  const role = await roleIn(context.app.db, productId, user.id);
  return { ...listed, mayPlan: can(role, 'backlog.order') };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const result = await createSprintFromForm(context.app, productId, user.id, await request.formData());
  if (result.ok) return redirect(`/products/${productId}/sprints/${result.sprintId}`);
  return data(result, { status: result.status });
}

export default function Sprints() {
  const { sprints, velocity, mayPlan } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  const busy = useNavigation().state === 'submitting';
  const fieldError = (name: string) =>
    failure && !failure.ok && failure.field === name ? (
      <p className="field-error" id={`${name}-error`}>
        {failure.error}
      </p>
    ) : null;
  return (
    <section aria-labelledby="sprints-title" className="stack">
      <div className="section-heading">
        <h2 id="sprints-title">Sprints</h2>
        <p className="muted">
          {velocity.average === null
            ? `Velocity: not enough history yet (${velocity.sprints} closed sprint${velocity.sprints === 1 ? '' : 's'}; the average needs three).`
            : `Velocity: ${velocity.average} points on average over the last ${velocity.sprints} sprints (from ${velocity.lowest} to ${velocity.highest}).`}
        </p>
      </div>
      {sprints.length === 0 ? (
        <NoSprintsYet mayPlan={mayPlan} />
      ) : (
        <SprintList productId={productId} sprints={sprints} />
      )}
      {mayPlan ? (
        <Form method="post" className="card stack" aria-labelledby="new-sprint-title">
          <h3 id="new-sprint-title">Plan a sprint</h3>
          {failure && !failure.ok && !failure.field ? (
            <p className="alert alert-error">{failure.error}</p>
          ) : null}
          <div className="field">
            <label htmlFor={newSprintFieldId}>Name</label>
            <input
              id={newSprintFieldId}
              name="name"
              required
              maxLength={120}
              placeholder={`Sprint ${sprints.length + 1}`}
            />
            {fieldError('name')}
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor="sprint-start">First day</label>
              <input id="sprint-start" name="startDate" type="date" required />
              {fieldError('startDate')}
            </div>
            <div className="field">
              <label htmlFor="sprint-end">Last day</label>
              <input id="sprint-end" name="endDate" type="date" required />
              {fieldError('endDate')}
            </div>
            <div className="field">
              <label htmlFor="sprint-capacity">Capacity (points)</label>
              <input id="sprint-capacity" name="capacity" type="number" min={0} max={10000} />
              {fieldError('capacity')}
            </div>
          </div>
          <div className="field">
            <label htmlFor="sprint-goal">Sprint goal</label>
            <input
              id="sprint-goal"
              name="goal"
              maxLength={1000}
              placeholder="One objective in value terms, e.g. “Patients can cancel without calling”"
            />
            <p className="hint">What the sprint achieves for users, not a list of items.</p>
            {fieldError('goal')}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              Plan sprint
            </button>
            <Link to=".." relative="path" className="button button-secondary">
              Back to the backlog
            </Link>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
