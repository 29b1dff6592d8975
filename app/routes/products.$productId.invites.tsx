import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { CopyField } from '~/components/copy-field';
import { SelectField } from '~/components/forms';
import { invitableRoles, roleLabels } from '~/domain/roles';
import {
  createInvite,
  inviteInputSchema,
  inviteUrl,
  listOpenInvites,
  revokeInvite,
} from '~/services/invites.server';
import { authorize } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { parseFormSubmission } from '~/utils/form-submission';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Invite people · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  await orRespond(authorize(context.app.db, productId, user.id, 'product.manage'));
  return { invites: await orRespond(listOpenInvites(context.app.db, productId, user.id)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const formData = await request.formData();
  if (formData.get('intent') === 'revoke') {
    const id = z.string().safeParse(formData.get('inviteId'));
    await orRespond(revokeInvite(context.app.db, productId, user.id, id.success ? id.data : ''));
    context.app.log.info({ event: 'invite_revoked', productId, by: user.id });
    return { revoked: true as const };
  }
  const submission = parseFormSubmission(formData, inviteInputSchema);
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const invite = await orRespond(createInvite(context.app.db, productId, user.id, submission.value));
  context.app.log.info({ event: 'invite_created', productId, role: invite.role, by: user.id });
  return {
    result: submission.reply(),
    created: {
      url: inviteUrl(request, context.app.config.PUBLIC_URL, invite.token),
      role: invite.role,
      expiresAt: invite.expiresAt.toISOString(),
    },
  };
}

export default function Invites() {
  const { invites } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const timeZone = useTimeZone();
  const [form, fields] = useForm<z.input<typeof inviteInputSchema>>({
    lastResult: result && 'result' in result ? result.result : undefined,
    defaultValue: { role: 'team_member', expiresInDays: '7' },
  });
  return (
    <section aria-labelledby="invites-title" className="stack">
      <h2 id="invites-title">Invite people</h2>
      <div className="card">
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="create" />
          <SelectField
            label="Role"
            hint="Team members edit and estimate items; stakeholders see the backlog, vote and score."
            meta={fields.role}
          >
            {invitableRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Link expires after" meta={fields.expiresInDays}>
            <option value="1">1 day</option>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
          </SelectField>
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating link…' : 'Create invite link'}
          </button>
        </Form>
        {result && 'created' in result && result.created ? (
          <div className="alert alert-success" role="status">
            <CopyField
              label={`Invite link for a ${roleLabels[result.created.role].toLowerCase()}`}
              value={result.created.url}
            />
            <p className="hint">
              Anyone with this link can join until {formatDateTime(result.created.expiresAt, timeZone)}. It is
              shown only now.
            </p>
          </div>
        ) : null}
      </div>
      <h3>Open invite links</h3>
      {invites.length === 0 ? (
        <p className="muted">No open invite links.</p>
      ) : (
        <ul className="plain-list" aria-label="Open invite links">
          {invites.map((invite) => (
            <li key={invite.id} className="row">
              <span>
                {roleLabels[invite.role]} · expires {formatDateTime(invite.expiresAt, timeZone)}
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="inviteId" value={invite.id} />
                <button type="submit" className="button button-small button-danger">
                  Revoke
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
