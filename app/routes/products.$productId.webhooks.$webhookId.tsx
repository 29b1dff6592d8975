import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { FormAlert } from '~/components/forms';
import { requireUser } from '~/services/auth.server';
import { runWebhookForm } from '~/services/webhooks/webhook-form.server';
import { deliveryListSchema, listDeliveries } from '~/services/webhooks/webhooks.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { firstError } from '~/utils/form-submission';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Webhook delivery log · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const url = new URL(request.url);
  const query = deliveryListSchema.safeParse({ beforeSeq: url.searchParams.get('beforeSeq') ?? undefined });
  const log = await orRespond(
    listDeliveries(
      context.app.db,
      productId,
      params.webhookId ?? '',
      user.id,
      query.success ? query.data : { limit: 50 },
    ),
  );
  return { productId, ...log };
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

const statusLabels = { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed' } as const;

export default function DeliveryLog() {
  const timeZone = useTimeZone();
  const { productId, webhook, deliveries, nextBeforeSeq } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <section aria-labelledby="log-title" className="stack">
      <p>
        <Link to={`/products/${productId}/webhooks`}>← All webhooks</Link>
      </p>
      <h2 id="log-title">Delivery log</h2>
      <p className="muted">
        To <code>{webhook.url}</code>. Newest first; the log keeps the first 300 characters of each answer.
      </p>
      <FormAlert message={firstError(reply?.result)?.message} />
      {reply?.message && !firstError(reply.result) ? (
        <p className="alert" role="status">
          {reply.message}
        </p>
      ) : null}
      <div className="inline-form">
        {webhook.active ? (
          <Form method="post">
            <input type="hidden" name="intent" value="ping" />
            <input type="hidden" name="webhookId" value={webhook.id} />
            <button type="submit" className="button button-secondary">
              Send a test
            </button>
          </Form>
        ) : (
          <p className="muted">
            <strong>Paused</strong>: nothing is sent to it until it is resumed on the{' '}
            <Link to={`/products/${productId}/webhooks`}>webhooks page</Link>.
          </p>
        )}
        <Link className="button button-secondary" to=".">
          Refresh
        </Link>
      </div>
      {deliveries.length === 0 ? (
        <p className="empty-state">
          {webhook.active
            ? 'Nothing sent yet. Send a test, or wait for the product’s next decision.'
            : 'Nothing sent yet.'}
        </p>
      ) : (
        <table className="table" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Answer</th>
              <th scope="col">Next try</th>
              <th scope="col">Queued</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>{statusLabels[d.status]}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.lastStatusCode ?? ''} {d.lastError ?? ''}
                  {d.responseExcerpt ? <div className="muted">{d.responseExcerpt.slice(0, 120)}</div> : null}
                </td>
                <td>
                  {d.status === 'pending'
                    ? d.nextAttemptAt
                      ? formatDateTime(d.nextAttemptAt, timeZone)
                      : '—'
                    : '—'}
                </td>
                <td>{formatDateTime(d.createdAt, timeZone)}</td>
                <td>
                  {d.status === 'failed' ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="webhookId" value={webhook.id} />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <button
                        type="submit"
                        className="button button-secondary"
                        aria-label={`Retry now: ${d.eventType}`}
                      >
                        Retry now
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBeforeSeq ? <Link to={`?beforeSeq=${nextBeforeSeq}`}>Older deliveries</Link> : null}
    </section>
  );
}
