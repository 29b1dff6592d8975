import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { isDelivered, retryDelayMs } from '~/domain/webhook-backoff';
import {
  deliveryHeader,
  eventHeader,
  signatureHeader,
  signPayload,
  timestampHeader,
} from '~/domain/webhook-signature';
import { startTicker } from '~/services/ticker.server';
import { webhookDeliveries, webhooks } from '../../../db/schema';
import type { WebhookDeps } from './deps.server';
import { refusedAtSend } from './url';

export interface WebhookWorker {
  /** something was queued: look now, not at the next tick */
  kick(): void;
  stop(): Promise<void>;
}

const leaseSeconds = 60;
/** how much of a receiver's answer the delivery log keeps */
export const excerptChars = 300;
const sendsPerTurn = 50;
/** How long a delivered event stays in a webhook's delivery log; failed and waiting ones stay until redelivered. */
export const deliveredKeptDays = 30;
const pruneEveryMs = 60 * 60 * 1000;

/**
 * The webhooks' sender, in every copy of the server (decision 0041): every tick it finds webhooks with a delivery
 * due, takes the webhook's lease in the database (one copy sends a webhook's deliveries at a time, so their order
 * holds whichever copy it is), and sends them in order. Nothing is kept in memory between ticks.
 */
export function startWebhookWorker(
  deps: WebhookDeps,
  options: { tickMs?: number; owner?: string } = {},
): WebhookWorker {
  const owner = options.owner ?? randomUUID();
  let prunedAt = Number.NEGATIVE_INFINITY;
  return startTicker({
    tickMs: options.tickMs ?? 2000,
    firstMs: 50,
    tick: async (stopped) => {
      await sendDue(deps, owner, stopped);
      // Once an hour per copy: the log of what was delivered would otherwise grow with every decision for ever.
      if (Date.now() - prunedAt < pruneEveryMs || stopped()) return;
      prunedAt = Date.now();
      await pruneDelivered(deps);
    },
    onError: (error) => deps.log.error({ event: 'webhook_worker_failed', err: error }),
  });
}

/** One pass: every webhook with a delivery due gets its due deliveries sent, in order. Returns how many were tried. */
export async function sendDue(deps: WebhookDeps, owner: string, stopped: () => boolean = () => false) {
  const now = deps.now();
  const due = await deps.db
    .selectDistinct({ webhookId: webhookDeliveries.webhookId })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
        eq(webhooks.active, true),
      ),
    );
  let tried = 0;
  for (const { webhookId } of due) {
    if (stopped()) break;
    if (!(await takeLease(deps, webhookId, owner))) continue;
    try {
      tried += await sendInOrder(deps, webhookId, stopped, () => takeLease(deps, webhookId, owner));
    } catch (error) {
      deps.log.warn({ event: 'webhook_send_failed', webhookId, err: error });
    } finally {
      await releaseLease(deps, webhookId, owner).catch(() => undefined);
    }
  }
  return tried;
}

/**
 * Removes deliveries that were delivered more than `deliveredKeptDays` ago (by the deps' clock); returns how many.
 * What failed or still waits is kept: the product owner may still want to read it or send it again.
 */
export async function pruneDelivered(deps: Pick<WebhookDeps, 'db' | 'log' | 'now'>): Promise<number> {
  const before = new Date(deps.now().getTime() - deliveredKeptDays * 24 * 60 * 60 * 1000);
  const removed = await deps.db
    .delete(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, 'delivered'), lt(webhookDeliveries.deliveredAt, before)))
    .returning({ id: webhookDeliveries.id });
  if (removed.length > 0) deps.log.info({ event: 'webhook_deliveries_pruned', removed: removed.length });
  return removed.length;
}

/**
 * Sends a webhook's deliveries oldest first. The oldest pending one goes first; while it waits for a retry,
 * nothing after it is sent (order per webhook); once delivered or failed for good, the next one follows.
 */
async function sendInOrder(
  deps: WebhookDeps,
  webhookId: string,
  stopped: () => boolean,
  renewLease: () => Promise<boolean>,
) {
  let tried = 0;
  while (tried < sendsPerTurn && !stopped()) {
    const [hook] = await deps.db.select().from(webhooks).where(eq(webhooks.id, webhookId));
    if (!hook?.active) break;
    const [head] = await deps.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')))
      .orderBy(asc(webhookDeliveries.seq))
      .limit(1);
    if (!head || head.nextAttemptAt > deps.now()) break;
    // Renewed before each send, so a slow receiver never lets another copy send the same webhook meanwhile.
    if (!(await renewLease())) break;
    tried += 1;
    const outcome = await attempt(deps, hook, head);
    const attempts = head.attempts + 1;
    const finished = new Date();
    if (outcome.delivered) {
      await deps.db
        .update(webhookDeliveries)
        .set({
          status: 'delivered',
          attempts,
          lastStatusCode: outcome.status,
          lastError: null,
          responseExcerpt: outcome.excerpt,
          lastAttemptAt: finished,
          deliveredAt: finished,
        })
        .where(eq(webhookDeliveries.id, head.id));
      continue;
    }
    const delay = retryDelayMs(attempts, {
      firstSeconds: deps.retryFirstSeconds,
      maxAttempts: deps.maxAttempts,
    });
    deps.log.warn({
      event: 'webhook_delivery_failed',
      webhookId,
      deliveryId: head.id,
      status: outcome.status,
      error: outcome.error,
      attempts,
      final: delay === null,
    });
    await deps.db
      .update(webhookDeliveries)
      .set({
        status: delay === null ? 'failed' : 'pending',
        attempts,
        lastStatusCode: outcome.status,
        lastError: outcome.error,
        responseExcerpt: outcome.excerpt,
        lastAttemptAt: finished,
        nextAttemptAt: new Date(deps.now().getTime() + (delay ?? 0)),
      })
      .where(eq(webhookDeliveries.id, head.id));
    if (delay !== null) break;
  }
  return tried;
}

interface Outcome {
  delivered: boolean;
  status: number | null;
  error: string | null;
  excerpt: string | null;
}

async function attempt(
  deps: WebhookDeps,
  hook: typeof webhooks.$inferSelect,
  delivery: typeof webhookDeliveries.$inferSelect,
): Promise<Outcome> {
  const failed = (error: string, status: number | null = null, excerpt: string | null = null): Outcome => ({
    delivered: false,
    status,
    error,
    excerpt,
  });
  const refused = await refusedAtSend(hook.url, deps.allowPrivateUrls, deps.resolveHost);
  if (refused) return failed(refused);
  let secret: string;
  try {
    if (!deps.box) return failed('No key to open the webhook’s secret with (TRACKER_SECRET_KEYS)');
    secret = deps.box.open(hook.secret);
  } catch {
    return failed('The webhook’s secret could not be opened (was the key changed?)');
  }
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Refinery-Webhooks/1',
        [eventHeader]: delivery.eventType,
        [deliveryHeader]: delivery.id,
        [timestampHeader]: String(timestamp),
        [signatureHeader]: signPayload(secret, timestamp, delivery.body),
      },
      body: delivery.body,
    });
    const excerpt = await readExcerpt(response);
    if (isDelivered(response.status))
      return { delivered: true, status: response.status, error: null, excerpt };
    return failed(
      response.status >= 300 && response.status < 400
        ? `Answered ${response.status} (redirects are not followed)`
        : `Answered ${response.status}`,
      response.status,
      excerpt,
    );
  } catch (error) {
    const name = (error as Error).name;
    return failed(
      name === 'TimeoutError' || name === 'AbortError'
        ? `No answer within ${Math.round(deps.timeoutMs / 1000)} s`
        : `Could not connect: ${String((error as Error).cause ?? (error as Error).message).slice(0, 200)}`,
    );
  }
}

/** The first characters of the answer; the rest is not read. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < excerptChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // a broken answer still has its status
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text ? text.slice(0, excerptChars) : null;
}

export async function takeLease(deps: WebhookDeps, webhookId: string, owner: string): Promise<boolean> {
  const taken = await deps.db
    .update(webhooks)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(
      and(
        eq(webhooks.id, webhookId),
        or(isNull(webhooks.leaseUntil), lt(webhooks.leaseUntil, sql`now()`), eq(webhooks.leaseOwner, owner)),
      ),
    )
    .returning({ id: webhooks.id });
  return taken.length > 0;
}

async function releaseLease(deps: WebhookDeps, webhookId: string, owner: string) {
  await deps.db
    .update(webhooks)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(webhooks.id, webhookId), eq(webhooks.leaseOwner, owner)));
}
