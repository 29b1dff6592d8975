import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isUuid } from '~/services/products.server';
import { trackerConnections } from '../../../db/schema';
import { openConnection } from './connections.server';
import type { TrackerDeps } from './deps.server';
import { requestSync } from './jobs.server';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A webhook from Jira for a product: accepted only with the product's webhook secret, either as Jira Cloud's
 * signature (`X-Hub-Signature: sha256=<HMAC of the body>`) or as the `secret` query parameter of the URL the
 * connection registered (Data Center cannot sign). The payload is never trusted for data: it only says "look
 * now", and the sync pulls the changed issues from Jira itself, so a forged or replayed call changes nothing.
 */
export async function receiveWebhook(
  deps: TrackerDeps,
  productId: string,
  request: { body: string; signature: string | null; secret: string | null },
): Promise<'accepted' | 'refused'> {
  if (!isUuid(productId) || !deps.box) return 'refused';
  const [row] = await deps.db
    .select({ webhookSecret: trackerConnections.webhookSecret, scope: trackerConnections.scope })
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (!row) return 'refused';
  const secret = deps.box.open(row.webhookSecret);
  const signed =
    request.signature !== null &&
    same(request.signature, `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
  const byQuery = request.secret !== null && same(request.secret, secret);
  if (!signed && !byQuery) return 'refused';
  if (row.scope) await requestSync(deps, productId, null);
  return 'accepted';
}

/** The URL a connection registers with Jira for its product's webhooks. */
export const webhookUrl = (publicUrl: string, productId: string, secret: string) =>
  `${publicUrl.replace(/\/+$/, '')}/hooks/jira/${productId}?secret=${encodeURIComponent(secret)}`;

/**
 * Registers the product's webhook with Jira once it has a scope, where the account may (Jira admin); otherwise
 * the poll alone finds changes. Best effort: a failure is logged and shown as "no webhook" on the status panel.
 */
export async function ensureWebhook(deps: TrackerDeps, productId: string, origin: string) {
  try {
    const open = await openConnection(deps, productId);
    if (!open || open.row.webhookId || !open.row.scope || !deps.box) return;
    const scope = open.row.scope;
    const jql = 'jql' in scope ? scope.jql.replace(/\s+order\s+by\s+.*$/i, '') : '';
    const secret = deps.box.open(open.row.webhookSecret);
    const id = await open.connector.registerWebhook(
      webhookUrl(deps.publicUrl ?? origin, productId, secret),
      secret,
      jql,
    );
    if (id)
      await deps.db
        .update(trackerConnections)
        .set({ webhookId: id })
        .where(eq(trackerConnections.productId, productId));
  } catch (error) {
    deps.log.warn({ event: 'tracker_webhook_not_registered', productId, err: error });
  }
}
