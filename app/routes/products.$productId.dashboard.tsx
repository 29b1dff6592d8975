import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { z } from 'zod';
import { dashboardUrl } from '~/api/operations/metrics.server';
import { CopyField } from '~/components/copy-field';
import { ErrorList, Field, FormAlert, SelectField } from '~/components/forms';
import { DashboardView } from '~/components/metrics/dashboard-view';
import { can } from '~/domain/roles';
import { dashboardCandidates, productDashboard } from '~/services/metrics/dashboard.server';
import {
  createDashboardLink,
  dashboardLinkSchema,
  listDashboardLinks,
  revokeDashboardLink,
} from '~/services/metrics/dashboard-links.server';
import { getProduct } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { timeZoneOf, useTimeZone } from '~/utils/client-hints';
import { formatDate } from '~/utils/dates';
import { errorsOnLists } from '~/utils/form-replies';
import { formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { orFormError, orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Dashboard · ${data.dashboard.product.name} · Refinery` : 'Dashboard · Refinery' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = context.app.db;
  const productId = params.productId ?? '';
  const product = await orRespond(getProduct(db, productId, user.id));
  const dashboard = await productDashboard(db, productId, user.id, timeZoneOf(request));
  const manage = can(product.role, 'product.manage');
  return {
    dashboard,
    manage,
    links: manage ? await listDashboardLinks(db, productId, user.id) : [],
    candidates: manage ? await dashboardCandidates(db, productId) : [],
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const formData = await request.formData();
  if (formData.get('intent') === 'revoke') {
    const id = z.string().safeParse(formData.get('linkId'));
    const revoked = await orFormError(
      revokeDashboardLink(context.app.db, productId, user.id, id.success ? id.data : ''),
    );
    if (revoked && typeof revoked === 'object' && 'formError' in revoked)
      return data({ result: formRefusal(revoked.formError) }, { status: revoked.status });
    context.app.log.info({ event: 'dashboard_link_revoked', productId, by: user.id });
    return { revoked: true as const };
  }
  const submission = parseFormSubmission(formData, dashboardLinkSchema);
  if (submission.status !== 'success')
    return data({ result: errorsOnLists(submission.reply(), ['itemIds']) }, { status: 400 });
  const link = await orFormError(createDashboardLink(context.app.db, productId, user.id, submission.value));
  if ('formError' in link)
    return data({ result: refuseSubmission(submission, link.formError) }, { status: link.status });
  context.app.log.info({ event: 'dashboard_link_created', productId, linkId: link.id, by: user.id });
  return {
    result: submission.reply(),
    created: {
      url: dashboardUrl(request, context.app.config.PUBLIC_URL, link.token),
      label: link.label,
      expiresAt: link.expiresAt.toISOString(),
    },
  };
}

export default function ProductDashboard() {
  const { dashboard, manage, links, candidates } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const [form, fields] = useForm<z.input<typeof dashboardLinkSchema>>({
    id: 'link',
    lastResult: result && 'result' in result ? result.result : undefined,
    defaultValue: { expiresInDays: '30' },
  });
  const errors = result && 'result' in result ? result.result?.error : undefined;
  const labelId = fields.label.id;
  const firstItem = useRef<HTMLInputElement>(null);
  // The form ends below a long list of items: a refusal puts the keyboard (and the screen) on the field it is about.
  useEffect(() => {
    const field = errors?.label
      ? document.getElementById(labelId)
      : errors?.itemIds
        ? firstItem.current
        : null;
    field?.focus();
    field?.scrollIntoView({ block: 'center' });
  }, [errors, labelId]);
  const ticked = [fields.itemIds.initialValue ?? []].flat();
  const base = `/products/${dashboard.product.id}/charts`;
  return (
    <div className="stack">
      <p className="muted">
        What stakeholders see: the sprint goal and progress, burndown, velocity, forecasts and recent reviews.
      </p>
      <DashboardView
        data={dashboard}
        csvHref={(chart) =>
          chart === 'forecast'
            ? `${base}/dashboard-forecast.csv`
            : chart === 'burndown'
              ? `${base}/burndown.csv?sprint=${dashboard.sprint?.id ?? ''}`
              : `${base}/velocity.csv`
        }
      />
      {manage ? (
        <section aria-labelledby="share-title" className="card stack">
          <h2 id="share-title">Share with people without an account</h2>
          <p className="muted">
            A read-only link to this dashboard. It expires, and you can revoke it at any time.
          </p>
          <Form method="post" className="stack" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="create" />
            <Field label="Who is it for?" meta={fields.label} required maxLength={120} />
            <SelectField label="Link expires after" meta={fields.expiresInDays}>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
            </SelectField>
            {candidates.length > 0 ? (
              <fieldset className="field">
                <legend>Forecast these items (none ticked: the open epics and the top of the order)</legend>
                {candidates.map((c, i) => (
                  <label key={c.id} className="checkbox-row">
                    <input
                      ref={i === 0 ? firstItem : undefined}
                      type="checkbox"
                      name={fields.itemIds.name}
                      value={c.id}
                      defaultChecked={ticked.includes(c.id)}
                      aria-describedby={i === 0 && fields.itemIds.errors ? fields.itemIds.errorId : undefined}
                    />{' '}
                    {c.title}
                    {c.type === 'epic' ? ' (epic)' : ''}
                  </label>
                ))}
                <ErrorList id={fields.itemIds.errorId} errors={fields.itemIds.errors} />
              </fieldset>
            ) : null}
            <FormAlert id={form.errorId} errors={form.errors} />
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Creating link…' : 'Create share link'}
            </button>
          </Form>
          {result && 'created' in result && result.created ? (
            <div className="alert alert-success" role="status">
              <CopyField label={`Dashboard link for ${result.created.label}`} value={result.created.url} />
              <p className="hint">
                Anyone with this link can see the dashboard until{' '}
                {formatDate(result.created.expiresAt, timeZone)}. It is shown only now.
              </p>
            </div>
          ) : null}
          <h3>Share links</h3>
          {links.length === 0 ? (
            <p className="muted">No share links yet.</p>
          ) : (
            <ul className="plain-list" aria-label="Share links">
              {links.map((link) => {
                const state = link.revokedAt
                  ? 'revoked'
                  : new Date(link.expiresAt) <= new Date()
                    ? 'expired'
                    : `expires ${formatDate(link.expiresAt, timeZone)}`;
                return (
                  <li key={link.id} className="row">
                    <span>
                      {link.label} · {state}
                      {link.lastUsedAt
                        ? ` · last opened ${formatDate(link.lastUsedAt, timeZone)}`
                        : ' · not opened yet'}
                    </span>
                    {link.revokedAt ? null : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="linkId" value={link.id} />
                        <button
                          type="submit"
                          className="button button-small button-danger"
                          aria-label={`Revoke the link for ${link.label}`}
                        >
                          Revoke
                        </button>
                      </Form>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
