import type { ActionFunctionArgs } from '@remix-run/node';
import { receiveWebhook } from '~/services/trackers/webhooks.server';

// Jira's webhooks for a product (issue 16): verified by the product's webhook secret, then "pull now".
export const loader = () => new Response(null, { status: 405, headers: { Allow: 'POST' } });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const trackers = context.app.trackers;
  if (request.method !== 'POST' || !trackers)
    return new Response(null, { status: 405, headers: { Allow: 'POST' } });
  const body = await request.text();
  const outcome = await receiveWebhook(trackers.deps, params.productId ?? '', {
    body,
    signature: request.headers.get('x-hub-signature'),
    secret: new URL(request.url).searchParams.get('secret'),
  });
  if (outcome === 'refused') return new Response(null, { status: 401 });
  trackers.worker.kick();
  return new Response(null, { status: 204 });
}
