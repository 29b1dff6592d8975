import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { publishEffects } from '~/services/commands/live-effects.server';
import { startTicker } from '~/services/ticker.server';
import { trackerConnections, trackerJobs, trackerLinks, trackerOutbox } from '../../../db/schema';
import { applyDeferred } from './apply-issues.server';
import type { TrackerDeps } from './deps.server';
import { requestSync, runJobStep } from './jobs.server';
import { sendPushes } from './push.server';

export interface TrackerWorker {
  /** something to do for this product (a job requested, a push queued, a webhook): look now, not at the next tick */
  kick(productId?: string): void;
  stop(): Promise<void>;
}

const leaseSeconds = 60;

/**
 * The background side of the sync, in every copy of the server: every tick it finds products with a job due, a
 * push due, or a poll due (TRACKER_POLL_SECONDS), takes the product's lease in the database (one copy syncs a
 * product at a time, whichever copy it is; decision 0038), and works on it. Nothing is kept in memory between
 * ticks: a restart resumes from the saved cursors and the outbox.
 */
export function startTrackerWorker(
  deps: TrackerDeps,
  options: { pollSeconds: number; tickMs?: number; owner?: string },
): TrackerWorker {
  const owner = options.owner ?? randomUUID();

  async function tick(stopped: () => boolean) {
    for (const productId of await productsWithWork(deps, options.pollSeconds)) {
      if (stopped()) return;
      if (!(await takeLease(deps, productId, owner))) continue;
      try {
        await workOn(deps, productId, stopped, () => takeLease(deps, productId, owner));
      } catch (error) {
        deps.log.warn({ event: 'tracker_sync_failed', productId, err: error });
      } finally {
        await releaseLease(deps, productId, owner).catch(() => undefined);
      }
    }
  }

  return startTicker({
    tickMs: options.tickMs ?? 2000,
    firstMs: 50,
    tick,
    onError: (error) => deps.log.error({ event: 'tracker_worker_failed', err: error }),
  });
}

async function workOn(
  deps: TrackerDeps,
  productId: string,
  stopped: () => boolean,
  renewLease: () => Promise<boolean>,
) {
  const [connection] = await deps.db
    .select({ lastSyncAt: trackerConnections.lastSyncAt, scope: trackerConnections.scope })
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (!connection) return;
  // Up to a bounded number of pages per turn, so one big import does not starve the other products.
  for (let step = 0; step < 20 && !stopped(); step++) {
    if (!(await runJobStep(deps, productId))) break;
    // Each page renews the lease, so a long import is never taken over halfway by another copy.
    if (!(await renewLease())) return;
  }
  if (stopped()) return;
  await sendPushes(deps, productId);
  const effects = await deps.db.transaction((tx) => applyDeferred(tx, productId));
  await publishEffects(deps, 'tracker_sync', effects);
}

/**
 * Products that have a job or a push due, or whose last sync is older than the poll interval. One statement (the
 * workers look every two seconds in every copy, and on the embedded database each statement wakes its thread).
 */
async function productsWithWork(deps: TrackerDeps, pollSeconds: number): Promise<string[]> {
  const now = new Date();
  const pollFrom = new Date(now.getTime() - pollSeconds * 1000);
  const due = (column: typeof trackerJobs.notBefore | typeof trackerOutbox.notBefore) =>
    or(isNull(column), lte(column, now));
  const because = (reason: 'due' | 'stale') => sql<'due' | 'stale'>`${sql.raw(`'${reason}'`)}`.as('reason');
  const rows = await deps.db
    .selectDistinct({ productId: trackerJobs.productId, reason: because('due') })
    .from(trackerJobs)
    .where(and(inArray(trackerJobs.state, ['queued', 'running']), due(trackerJobs.notBefore)))
    .unionAll(
      deps.db
        .selectDistinct({ productId: trackerOutbox.productId, reason: because('due') })
        .from(trackerOutbox)
        .where(and(eq(trackerOutbox.state, 'pending'), due(trackerOutbox.notBefore))),
    )
    .unionAll(
      deps.db
        .select({ productId: trackerConnections.productId, reason: because('stale') })
        .from(trackerConnections)
        .where(
          and(
            isNotNull(trackerConnections.scope),
            or(isNull(trackerConnections.lastSyncAt), lt(trackerConnections.lastSyncAt, pollFrom)),
            // Not again while a recent job (even a failed one) is younger than the interval.
            sql`not exists (select 1 from ${trackerJobs} where ${trackerJobs.productId} = ${trackerConnections.productId} and ${trackerJobs.createdAt} > ${pollFrom.toISOString()}::timestamptz)`,
          ),
        ),
    )
    .unionAll(
      // Jira text waiting for an item to leave a live session: looked at every tick, applied once it has left.
      deps.db
        .selectDistinct({ productId: trackerLinks.productId, reason: because('due') })
        .from(trackerLinks)
        .where(isNotNull(trackerLinks.deferred)),
    );
  for (const { productId } of rows.filter((row) => row.reason === 'stale')) {
    // A poll: a pull job (unless one is waiting already), worked on below like any other job.
    await requestSync(deps, productId, null).catch((error) =>
      deps.log.warn({ event: 'tracker_poll_failed', productId, err: error }),
    );
  }
  return [...new Set(rows.map((row) => row.productId))];
}

export async function takeLease(deps: TrackerDeps, productId: string, owner: string): Promise<boolean> {
  const taken = await deps.db
    .update(trackerConnections)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(
      and(
        eq(trackerConnections.productId, productId),
        or(
          isNull(trackerConnections.leaseUntil),
          lt(trackerConnections.leaseUntil, sql`now()`),
          eq(trackerConnections.leaseOwner, owner),
        ),
      ),
    )
    .returning({ productId: trackerConnections.productId });
  return taken.length > 0;
}

export async function releaseLease(deps: TrackerDeps, productId: string, owner: string) {
  await deps.db
    .update(trackerConnections)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(trackerConnections.productId, productId), eq(trackerConnections.leaseOwner, owner)));
}
