import { getFormProps, useForm } from '@conform-to/react';
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { ErrorList, Field, FormAlert, SelectField, TextareaField } from '~/components/forms';
import { type CriteriaMethod, criteriaMethodLabels, criteriaMethods } from '~/domain/requests';
import { requireUser } from '~/services/auth.server';
import { listCriteria, prioritisationSessions } from '~/services/requests/criteria.server';
import { type criteriaForm, runCriteriaForm } from '~/services/requests/criteria-form.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Prioritisation criteria · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const list = await orRespond(listCriteria(context.app.db, productId, user.id));
  return { ...list, sessions: list.mayEdit ? await prioritisationSessions(context.app.db, productId) : [] };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { reply, status } = await runCriteriaForm(
    context.app,
    params.productId ?? '',
    user.id,
    await request.formData(),
  );
  return data(reply, { status });
}

const methodName = (m: string) => criteriaMethodLabels[m as CriteriaMethod] ?? m;
const day = (d: string | Date) =>
  new Date(d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export default function Criteria() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const current = page.versions[0];
  const [form, fields] = useForm<z.input<typeof criteriaForm>>({
    id: 'criteria',
    lastResult: reply?.result,
    defaultValue: {
      methods: current?.methods ?? ['wsjf'],
      businessValue: String(current?.wsjfWeights.businessValue ?? 1),
      timeCriticality: String(current?.wsjfWeights.timeCriticality ?? 1),
      riskReduction: String(current?.wsjfWeights.riskReduction ?? 1),
      urgency: current?.urgency ?? '',
    } as never,
  });
  return (
    <section aria-labelledby="criteria-title" className="stack">
      <div className="section-heading">
        <h2 id="criteria-title">Prioritisation criteria</h2>
        <p className="muted">
          What the stakeholders agreed on: the methods, the WSJF part weights and what counts as urgent. Every
          change is a new version; request triage, order proposals and the decision log say which one applied.
        </p>
      </div>
      {reply?.message ? (
        <p className="alert alert-success" role="status">
          {reply.message}
        </p>
      ) : null}
      {page.versions.length === 0 ? (
        <p className="muted">No criteria agreed yet.</p>
      ) : (
        <ol className="card-list" aria-label="Versions, newest first">
          {page.versions.map((v, i) => (
            <li key={v.id} className="card">
              <h3>
                Criteria v{v.version}
                {i === 0 ? ' (in force)' : ''}
              </h3>
              <p className="muted">
                Recorded by {v.createdBy ?? 'someone'} on {day(v.createdAt)}
                {v.sessionTitle ? `, agreed in “${v.sessionTitle}”` : ''}
              </p>
              <p>Methods: {v.methods.map(methodName).join(', ')}</p>
              <p>
                WSJF weights: business value ×{v.wsjfWeights.businessValue}, time criticality ×
                {v.wsjfWeights.timeCriticality}, risk reduction ×{v.wsjfWeights.riskReduction}
              </p>
              <p>Urgent means: {v.urgency}</p>
            </li>
          ))}
        </ol>
      )}
      {page.mayEdit ? (
        <Form method="post" className="card" aria-label="Record agreed criteria" {...getFormProps(form)}>
          <h3>Record a new version</h3>
          <FormAlert id={form.errorId} errors={form.errors} />
          <fieldset>
            <legend>Methods</legend>
            {criteriaMethods.map((m) => (
              <label key={m} className="checkbox">
                <input
                  type="checkbox"
                  name={fields.methods.name}
                  value={m}
                  defaultChecked={(current?.methods ?? ['wsjf']).includes(m)}
                />{' '}
                {criteriaMethodLabels[m]}
              </label>
            ))}
            <ErrorList errors={fields.methods.errors} />
          </fieldset>
          <Field
            label="Weight of business value"
            meta={fields.businessValue}
            inputMode="decimal"
            className="field narrow"
          />
          <Field
            label="Weight of time criticality"
            meta={fields.timeCriticality}
            inputMode="decimal"
            className="field narrow"
          />
          <Field
            label="Weight of risk reduction"
            meta={fields.riskReduction}
            inputMode="decimal"
            className="field narrow"
          />
          <TextareaField label="What counts as urgent" meta={fields.urgency} rows={2} maxLength={2000} />
          <SelectField label="Agreed in the session" meta={fields.agreedInSessionId}>
            <option value="">No session</option>
            {page.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button" disabled={navigation.state !== 'idle'}>
            Record the criteria
          </button>
        </Form>
      ) : null}
    </section>
  );
}
