import { getFormProps, useForm } from '@conform-to/react';
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { CopyField } from '~/components/copy-field';
import { Field, FormAlert } from '~/components/forms';
import { requireUser } from '~/services/auth.server';
import {
  type addWebhookForm,
  runWebhookForm,
  type WebhookFormReply,
} from '~/services/webhooks/webhook-form.server';
import { listWebhooks } from '~/services/webhooks/webhooks.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { firstError } from '~/utils/form-submission';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Webhooks · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  return { productId, webhooks: await orRespond(listWebhooks(context.app.db, productId, user.id)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { reply, status } = await runWebhookForm(
    context.app,
    params.productId ?? '',
    user.id,
    await request.formData(),
  );
  return data(reply, { status });
}

/** A just-made secret, shown this once with a copy button. */
export function SecretOnce({ reply }: { reply: WebhookFormReply | undefined }) {
  if (!reply?.secret) return null;
  return (
    <div className="alert alert-success" role="status">
      <p>{reply.message}</p>
      <CopyField label="Signing secret" value={reply.secret} />
    </div>
  );
}

export default function Webhooks() {
  const timeZone = useTimeZone();
  const { productId, webhooks } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const adding = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'add';
  const [form, fields] = useForm<z.input<typeof addWebhookForm>>({
    id: 'add-webhook',
    lastResult: reply?.intent === 'add' ? reply.result : undefined,
  });
  const otherError = reply && reply.intent !== 'add' ? firstError(reply.result)?.message : null;
  return (
    <section aria-labelledby="webhooks-title" className="stack">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Send this product’s events to your chat or tools: every decision in the log (
        <code>decision.&lt;kind&gt;</code>) and votes opening (<code>votes.opened</code>). Each delivery is
        signed: <code>X-Refinery-Signature: sha256=…</code> is the HMAC-SHA256 of{' '}
        <code>&lt;X-Refinery-Timestamp&gt;.&lt;raw body&gt;</code> with the webhook’s secret. Failed
        deliveries are retried after 10 s, 30 s, 2 min, 10 min and 1 h, in order.
      </p>
      <SecretOnce reply={reply} />
      <FormAlert message={otherError} />
      {reply?.message && !reply.secret && !firstError(reply.result) ? (
        <p className="alert" role="status">
          {reply.message}
        </p>
      ) : null}
      {webhooks.length === 0 ? (
        <p className="empty-state">No webhooks yet. Add one below to send events to your team’s chat.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">This product’s webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Events</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((hook) => (
              <tr key={hook.id}>
                <td>
                  <Link to={`/products/${productId}/webhooks/${hook.id}`}>{hook.url}</Link>
                </td>
                <td>{hook.events.length === 0 ? 'All' : hook.events.join(', ')}</td>
                <td>
                  {hook.active ? null : (
                    <>
                      <strong>Paused</strong> ·{' '}
                    </>
                  )}
                  {hook.pending} waiting, {hook.failed} failed
                  {hook.lastDeliveredAt
                    ? `, last delivered ${formatDateTime(hook.lastDeliveredAt, timeZone)}`
                    : ''}
                </td>
                <td>
                  <div className="inline-form">
                    <Link
                      className="button button-secondary"
                      to={`/products/${productId}/webhooks/${hook.id}`}
                      aria-label={`Delivery log: ${hook.url}`}
                    >
                      Delivery log
                    </Link>
                    {(hook.active
                      ? (['ping', 'pause', 'rotate', 'delete'] as const)
                      : (['resume', 'rotate', 'delete'] as const)
                    ).map((intent) => (
                      <Form
                        method="post"
                        key={intent}
                        onSubmit={(e) => {
                          const question = intentQuestions(hook.url)[intent];
                          if (question && !confirm(question)) e.preventDefault();
                        }}
                      >
                        <input type="hidden" name="intent" value={intent} />
                        <input type="hidden" name="webhookId" value={hook.id} />
                        <button
                          type="submit"
                          className="button button-secondary"
                          aria-label={`${intentLabels[intent]}: ${hook.url}`}
                        >
                          {intentLabels[intent]}
                        </button>
                      </Form>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Form method="post" aria-label="Add a webhook" className="card" {...getFormProps(form)}>
        <h3>Add a webhook</h3>
        <input type="hidden" name="intent" value="add" />
        <FormAlert id={form.errorId} errors={form.errors} />
        <Field
          label="Address"
          hint="https:// and a public host, e.g. your chat’s incoming webhook"
          meta={fields.url}
          type="url"
          maxLength={2000}
        />
        <Field
          label="Events (optional)"
          hint="Event types separated by commas, e.g. decision.sprint_item_accepted, votes.opened, decision.*; empty: all"
          meta={fields.events}
          maxLength={4000}
        />
        <button type="submit" className="button" disabled={adding}>
          {adding ? 'Adding…' : 'Add the webhook'}
        </button>
      </Form>
    </section>
  );
}

const intentLabels = {
  ping: 'Send a test',
  pause: 'Pause',
  resume: 'Resume',
  rotate: 'New secret',
  delete: 'Remove',
} as const;

/** What a slip would cost, asked before the intents that cannot be taken back. */
const intentQuestions = (url: string): Partial<Record<keyof typeof intentLabels, string>> => ({
  rotate: `Make a new signing secret for ${url}? The current secret stops working at once: the receiver must be given the new one.`,
  delete: `Remove the webhook for ${url}? Its waiting events and its delivery log are removed with it.`,
});
