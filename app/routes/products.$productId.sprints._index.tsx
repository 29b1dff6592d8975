import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormAlert } from '~/components/forms';
import { NoSprintsYet, newSprintFormId } from '~/components/meeting-empty-states';
import { SprintList } from '~/components/sprints/sprint-list';
import { can } from '~/domain/roles';
import { roleIn } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { createSprint, createSprintSchema, listSprints } from '~/services/sprints/sprints.server';
import { parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { orFormError, orRespond } from '~/utils/route-errors.server';

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
  const submission = parseFormSubmission(await request.formData(), createSprintSchema);
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const sprint = await orFormError(createSprint(context.app.db, productId, user.id, submission.value));
  if ('formError' in sprint) {
    const result = refuseSubmission(submission, sprint.formError, { field: sprint.field });
    return data({ result }, { status: sprint.status });
  }
  return redirect(`/products/${productId}/sprints/${sprint.id}`);
}

export default function Sprints() {
  const { sprints, velocity, mayPlan } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof createSprintSchema>>({
    id: newSprintFormId,
    lastResult: actionData?.result,
  });
  const productId = useParams().productId ?? '';
  const busy = useNavigation().state === 'submitting';
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
        <Form method="post" className="card stack" aria-labelledby="new-sprint-title" {...getFormProps(form)}>
          <h3 id="new-sprint-title">Plan a sprint</h3>
          <FormAlert id={form.errorId} errors={form.errors} />
          <Field
            label="Name"
            meta={fields.name}
            required
            maxLength={120}
            placeholder={`Sprint ${sprints.length + 1}`}
          />
          <div className="field-row">
            <Field label="First day" meta={fields.startDate} type="date" required />
            <Field label="Last day" meta={fields.endDate} type="date" required />
            <Field label="Capacity (points)" meta={fields.capacity} type="number" min={0} max={10000} />
          </div>
          <Field
            label="Sprint goal"
            meta={fields.goal}
            maxLength={1000}
            placeholder="One objective in value terms, e.g. “Patients can cancel without calling”"
            hint="What the sprint achieves for users, not a list of items."
          />
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
