import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { publishEffects } from '~/services/commands/live-effects.server';
import { authorize } from '~/services/products.server';
import { trackerConnections, trackerJobs, trackerOutbox } from '../../../db/schema';
import type { TrackerJobError } from '../../../db/schema/trackers';
import { applyIssues } from './apply-issues.server';
import { openConnection } from './connections.server';
import type { Scope, TrackerError } from './connector.server';
import type { TrackerDeps } from './deps.server';
import { asTrackerError } from './jira-connector.server';

export const importSchema = z.union(
  [
    z.strictObject({
      jql: z.string().trim().min(1, 'Enter a JQL query').max(2000, 'That query is too long'),
    }),
    z.strictObject({
      boardId: z.coerce
        .number({ message: 'Enter the board’s number' })
        .int()
        .positive('Enter the board’s number'),
    }),
  ],
  { message: 'Give a JQL query or a board' },
);

const activeStates = ['queued', 'running'] as const;

/** Starts an import of the issues a JQL query or a board names; it runs in the background, page by page. */
export async function requestImport(deps: TrackerDeps, productId: string, actorId: string, scope: Scope) {
  await authorize(deps.db, productId, actorId, 'product.manage');
  return deps.db.transaction(async (tx) => {
    const [connection] = await tx
      .select({ productId: trackerConnections.productId })
      .from(trackerConnections)
      .where(eq(trackerConnections.productId, productId))
      .for('update');
    if (!connection) throw new AppError('not_found', 'Connect this product to Jira first');
    const [running] = await tx
      .select({ id: trackerJobs.id })
      .from(trackerJobs)
      .where(
        and(
          eq(trackerJobs.productId, productId),
          eq(trackerJobs.kind, 'import'),
          inArray(trackerJobs.state, [...activeStates]),
        ),
      );
    if (running)
      throw new AppError('conflict', 'An import is already running for this product; wait for it to finish');
    await tx
      .update(trackerConnections)
      .set({ scope, updatedAt: new Date() })
      .where(eq(trackerConnections.productId, productId));
    const [job] = await tx
      .insert(trackerJobs)
      .values({ productId, kind: 'import', request: scope, requestedBy: actorId })
      .returning({ id: trackerJobs.id });
    return job;
  });
}

/** Asks for a pull now (the status panel's "Sync now"): one pull at a time per product. */
export async function requestSync(deps: TrackerDeps, productId: string, actorId: string | null) {
  if (actorId) await authorize(deps.db, productId, actorId, 'product.manage');
  return deps.db.transaction(async (tx) => {
    const [connection] = await tx
      .select({ scope: trackerConnections.scope, pulledUntil: trackerConnections.pulledUntil })
      .from(trackerConnections)
      .where(eq(trackerConnections.productId, productId))
      .for('update');
    if (!connection) throw new AppError('not_found', 'Connect this product to Jira first');
    if (!connection.scope)
      throw new AppError('conflict', 'Import issues first: a sync follows what was imported');
    const [active] = await tx
      .select({ id: trackerJobs.id })
      .from(trackerJobs)
      .where(and(eq(trackerJobs.productId, productId), inArray(trackerJobs.state, [...activeStates])));
    if (active) return active;
    // Failed pushes are tried again with the sync.
    await tx
      .update(trackerOutbox)
      .set({ state: 'pending', notBefore: null })
      .where(and(eq(trackerOutbox.productId, productId), eq(trackerOutbox.state, 'failed')));
    const [job] = await tx
      .insert(trackerJobs)
      .values({
        productId,
        kind: 'pull',
        request: { since: connection.pulledUntil?.toISOString() ?? null },
        requestedBy: actorId,
      })
      .returning({ id: trackerJobs.id });
    return job;
  });
}

const maxErrors = 200;
const backoffMs = (attempts: number) => Math.min(5 * 60_000, 1000 * 2 ** attempts);

/**
 * Runs one page of the product's oldest runnable job: reads a page from the tracker, then in one transaction
 * applies it and saves the cursor and the progress, so a restart resumes after the last saved page. A rate
 * limit or an outage puts the job off (Retry-After, or a growing backoff); a refusal (401, 403, bad JQL) fails it
 * with the tracker's message. Returns whether there is more to do now.
 */
export async function runJobStep(deps: TrackerDeps, productId: string): Promise<boolean> {
  const now = new Date();
  const [job] = await deps.db
    .select()
    .from(trackerJobs)
    .where(
      and(
        eq(trackerJobs.productId, productId),
        inArray(trackerJobs.state, [...activeStates]),
        or(isNull(trackerJobs.notBefore), lte(trackerJobs.notBefore, now)),
      ),
    )
    .orderBy(asc(trackerJobs.createdAt))
    .limit(1);
  if (!job) return false;
  const open = await openConnection(deps, productId);
  if (!open) return false;
  const { row, connector } = open;
  const scope = 'since' in job.request ? row.scope : job.request;
  if (!scope || !row.fieldMap) {
    await finish(deps, job.id, 'failed', [
      { issueKey: null, message: 'Nothing to sync: no import scope or field map', at: now.toISOString() },
    ]);
    return true;
  }
  const startedAt = job.state === 'queued' ? now : job.createdAt;
  const since = 'since' in job.request && job.request.since ? new Date(job.request.since) : null;
  let page: Awaited<ReturnType<typeof connector.page>>;
  try {
    page = await connector.page({ scope, cursor: job.cursor, updatedSince: since }, row.fieldMap);
  } catch (error) {
    const failure = asTrackerError(error);
    const at = new Date().toISOString();
    if (failure.transient) {
      const wait = failure.retryAfterMs ?? backoffMs(job.attempts);
      await deps.db
        .update(trackerJobs)
        .set({
          state: 'running',
          attempts: job.attempts + 1,
          notBefore: new Date(Date.now() + wait),
          errors: [...job.errors, { issueKey: null, message: retryMessage(failure, wait), at }].slice(
            -maxErrors,
          ),
          updatedAt: new Date(),
        })
        .where(eq(trackerJobs.id, job.id));
      await noteError(deps, productId, retryMessage(failure, wait));
      return false;
    }
    await finish(deps, job.id, 'failed', [...job.errors, { issueKey: null, message: failure.message, at }]);
    await noteError(deps, productId, failure.message);
    return true;
  }
  const actorId = job.requestedBy ?? row.createdBy;
  const applied = await deps.db.transaction(async (tx) => {
    const outcome = await applyIssues(tx, productId, actorId, page.issues);
    const at = new Date().toISOString();
    const errors: TrackerJobError[] = [
      ...job.errors,
      ...page.unreadable.map((u) => ({ issueKey: u.issueKey, message: u.message, at })),
      ...outcome.warnings.map((w) => ({ issueKey: w.issueKey, message: w.message, at })),
    ].slice(-maxErrors);
    const progress = {
      read: job.progress.read + page.issues.length + page.unreadable.length,
      total: page.total ?? job.progress.total,
      created: job.progress.created + outcome.created,
      updated: job.progress.updated + outcome.updated,
      unchanged: job.progress.unchanged + outcome.unchanged,
      failed: job.progress.failed + page.unreadable.length,
    };
    const done = page.next === null;
    await tx
      .update(trackerJobs)
      .set({
        state: done ? 'done' : 'running',
        cursor: page.next,
        progress,
        errors,
        attempts: 0,
        notBefore: null,
        updatedAt: new Date(),
        finishedAt: done ? new Date() : null,
      })
      .where(eq(trackerJobs.id, job.id));
    if (outcome.pushes.length > 0)
      await tx
        .insert(trackerOutbox)
        .values(outcome.pushes.map((p) => ({ productId, itemId: p.itemId, push: p.push })));
    if (done)
      await tx
        .update(trackerConnections)
        .set({
          lastSyncAt: new Date(),
          lastError: null,
          // A pull started at `startedAt` saw everything updated before it: the next one asks from there.
          pulledUntil: sql`greatest(coalesce(${trackerConnections.pulledUntil}, ${startedAt.toISOString()}::timestamptz), ${startedAt.toISOString()}::timestamptz)`,
        })
        .where(eq(trackerConnections.productId, productId));
    return { outcome, done };
  });
  await publishEffects(deps, 'tracker_sync', applied.outcome.effects);
  return !applied.done;
}

function retryMessage(failure: TrackerError, waitMs: number) {
  const seconds = Math.ceil(waitMs / 1000);
  return failure.kind === 'rate_limited'
    ? `Jira asked us to slow down (429): trying again in ${seconds} s`
    : `${failure.message}: trying again in ${seconds} s`;
}

async function finish(deps: TrackerDeps, jobId: string, state: 'done' | 'failed', errors: TrackerJobError[]) {
  await deps.db
    .update(trackerJobs)
    .set({ state, errors: errors.slice(-maxErrors), finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(trackerJobs.id, jobId));
}

async function noteError(deps: TrackerDeps, productId: string, message: string) {
  await deps.db
    .update(trackerConnections)
    .set({ lastError: message })
    .where(eq(trackerConnections.productId, productId));
}
