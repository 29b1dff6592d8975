import { randomBytes } from 'node:crypto';
import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { detectFieldMap } from '~/domain/jira-fields';
import type { ConnectionCheck, FieldMap, StatusMap, TrackerKind } from '~/domain/tracker';
import { authorize } from '~/services/products.server';
import { trackerConnections, trackerJobs, trackerLinks, trackerOutbox } from '../../../db/schema';
import type { TrackerConnector } from './connector.server';
import type { TrackerDeps } from './deps.server';
import { checkSiteUrl } from './site-url';

export const connectSchema = z
  .strictObject({
    kind: z.enum(['jira_cloud', 'jira_dc'], { message: 'Choose Jira Cloud or Jira Data Center' }),
    baseUrl: z
      .string({ message: 'Enter the site’s address' })
      .trim()
      .min(1, 'Enter the site’s address')
      .max(300),
    email: z.string().trim().max(320).optional().nullable(),
    token: z
      .string({ message: 'Enter the token' })
      .trim()
      .min(1, 'Enter the token')
      .max(2000, 'That token is too long'),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'jira_cloud' && !input.email?.includes('@'))
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Jira Cloud signs in with the account’s email',
      });
  });
export type ConnectInput = z.output<typeof connectSchema>;

/** The connect form's field each failed check is about (the page shows the check's message beside it). */
export const problemField: Record<string, string> = {
  bad_url: 'baseUrl',
  unreachable: 'baseUrl',
  not_jira: 'baseUrl',
  unauthorized: 'token',
  forbidden: 'token',
  rate_limited: 'token',
};

function credentialsOf(deps: TrackerDeps, input: ConnectInput) {
  const site = checkSiteUrl(input.baseUrl, deps.allowPrivateUrls);
  if (!site.ok) throw new AppError('invalid', site.reason, { field: 'baseUrl' });
  return {
    kind: input.kind as TrackerKind,
    baseUrl: site.url,
    email: input.kind === 'jira_cloud' ? (input.email ?? null) : null,
    token: input.token,
  };
}

/** Tries the credentials without saving anything: what the account is, or what is wrong (the form's "Test"). */
export async function testConnection(
  deps: TrackerDeps,
  productId: string,
  actorId: string,
  input: ConnectInput,
): Promise<ConnectionCheck> {
  await authorize(deps.db, productId, actorId, 'product.manage');
  return deps.connectorFor(credentialsOf(deps, input)).check();
}

/**
 * Connects (or reconnects) the product: checks the credentials, detects the field map, saves the token sealed,
 * and registers a webhook where the account may. Refused with the check's own reason when it fails.
 */
export async function connectTracker(
  deps: TrackerDeps,
  productId: string,
  actorId: string,
  input: ConnectInput,
) {
  await authorize(deps.db, productId, actorId, 'product.manage');
  if (!deps.box)
    throw new AppError(
      'unavailable',
      'Tracker tokens cannot be stored: this server has no TRACKER_SECRET_KEYS configured (README, “Jira sync”)',
    );
  const credentials = credentialsOf(deps, input);
  const [existing] = await deps.db
    .select({
      webhookSecret: trackerConnections.webhookSecret,
      fieldMap: trackerConnections.fieldMap,
      baseUrl: trackerConnections.baseUrl,
    })
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (existing && existing.baseUrl !== credentials.baseUrl)
    throw new AppError(
      'conflict',
      `This product is connected to ${existing.baseUrl}: disconnect it first to connect another site (its links point at that site’s issues)`,
      { field: 'baseUrl' },
    );
  const connector = deps.connectorFor(credentials);
  const check = await connector.check();
  if (!check.ok)
    throw new AppError('invalid', check.message, { field: problemField[check.problem] ?? 'token' });
  if (!check.canBrowse)
    throw new AppError(
      'invalid',
      'The account may not browse projects in Jira: give it the Browse Projects permission',
      {
        field: 'token',
      },
    );
  const fieldMap = detectFieldMap(await connector.fields(), credentials.kind).map;
  const values = {
    kind: credentials.kind,
    baseUrl: credentials.baseUrl,
    accountEmail: credentials.email,
    secret: deps.box.seal(credentials.token),
    accountName: check.accountName,
    lastError: null,
    updatedAt: new Date(),
  };
  await deps.db
    .insert(trackerConnections)
    .values({
      productId,
      ...values,
      fieldMap,
      webhookSecret: existing?.webhookSecret ?? deps.box.seal(randomBytes(32).toString('base64url')),
      createdBy: actorId,
    })
    .onConflictDoUpdate({ target: trackerConnections.productId, set: values });
  return { check, fieldMap: existing?.fieldMap ?? fieldMap };
}

/** The product's connector and settings, for the sync; null when not connected. The token is opened here only. */
export async function openConnection(deps: TrackerDeps, productId: string) {
  const [row] = await deps.db
    .select()
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (!row) return null;
  if (!deps.box)
    throw new AppError('unavailable', 'No TRACKER_SECRET_KEYS configured to open the tracker token');
  const connector: TrackerConnector = deps.connectorFor({
    kind: row.kind,
    baseUrl: row.baseUrl,
    email: row.accountEmail,
    token: deps.box.open(row.secret),
  });
  return { row, connector };
}

export const settingsSchema = z.strictObject({
  fieldMap: z
    .strictObject({
      storyPoints: z.string().trim().min(1).max(100).nullable(),
      criteria: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('field'), fieldId: z.string().trim().min(1).max(100) }),
        z.strictObject({
          kind: z.literal('description-section'),
          heading: z.string().trim().min(1).max(100),
        }),
        z.strictObject({ kind: z.literal('none') }),
      ]),
      epicLink: z.string().trim().min(1).max(100).nullable(),
      rank: z.string().trim().min(1).max(100).nullable(),
    })
    .optional(),
  statusMap: z
    .strictObject({
      accepted: z.string().trim().min(1).max(100).nullable(),
      rejected: z.string().trim().min(1).max(100).nullable(),
    })
    .optional(),
  commentDecisions: z.boolean().optional(),
});

/** Saves the field map, the review status mapping and the decision comments choice. */
export async function saveTrackerSettings(
  deps: TrackerDeps,
  productId: string,
  actorId: string,
  input: z.output<typeof settingsSchema>,
) {
  await authorize(deps.db, productId, actorId, 'product.manage');
  const changes: Partial<typeof trackerConnections.$inferInsert> = { updatedAt: new Date() };
  if (input.fieldMap) changes.fieldMap = input.fieldMap as FieldMap;
  if (input.statusMap) changes.statusMap = input.statusMap as StatusMap;
  if (input.commentDecisions !== undefined) changes.commentDecisions = input.commentDecisions;
  const updated = await deps.db
    .update(trackerConnections)
    .set(changes)
    .where(eq(trackerConnections.productId, productId))
    .returning({ productId: trackerConnections.productId });
  if (updated.length === 0) throw new AppError('not_found', 'This product is not connected to a tracker');
}

/** The field map as detected now, with the candidates for each field: the preview before saving a map. */
export async function fieldMapPreview(deps: TrackerDeps, productId: string, actorId: string) {
  await authorize(deps.db, productId, actorId, 'product.manage');
  const open = await openConnection(deps, productId);
  if (!open) throw new AppError('not_found', 'This product is not connected to a tracker');
  const fields = await open.connector.fields();
  return { ...detectFieldMap(fields, open.row.kind), current: open.row.fieldMap };
}

/**
 * Forgets the connection and the links (the items stay, with their Jira keys as external keys). The webhook this
 * product registered is removed from Jira first; when Jira cannot be reached it is logged and the disconnect goes
 * on (the webhook's calls are refused from then on, as no product holds its secret).
 */
export async function disconnectTracker(deps: TrackerDeps, productId: string, actorId: string) {
  await authorize(deps.db, productId, actorId, 'product.manage');
  const open = await openConnection(deps, productId).catch(() => null);
  if (open?.row.webhookId) {
    await open.connector
      .removeWebhook(open.row.webhookId)
      .catch((error) => deps.log.warn({ event: 'tracker_webhook_remove_failed', productId, err: error }));
  }
  await deps.db.transaction(async (tx) => {
    await tx.delete(trackerOutbox).where(eq(trackerOutbox.productId, productId));
    await tx.delete(trackerJobs).where(eq(trackerJobs.productId, productId));
    await tx.delete(trackerLinks).where(eq(trackerLinks.productId, productId));
    await tx.delete(trackerConnections).where(eq(trackerConnections.productId, productId));
  });
}

/** What the status panel shows: never the token or the webhook secret. */
export async function trackerStatus(deps: TrackerDeps, productId: string, actorId: string) {
  const role = await authorize(deps.db, productId, actorId, 'product.view');
  // The jobs first, the rest after: the last page of a job commits its "done" together with the last sync time and
  // the links, so a job read as done comes with all of them. Read the other way round, a job finishing between the
  // reads showed as done beside "No sync yet", and the page, seeing nothing running, stopped following it there.
  const jobs = await deps.db
    .select()
    .from(trackerJobs)
    .where(eq(trackerJobs.productId, productId))
    .orderBy(desc(trackerJobs.createdAt))
    .limit(5);
  const [row] = await deps.db
    .select()
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (!row) return { connected: false as const, keysConfigured: deps.box !== null };
  const [[links], outbox] = await Promise.all([
    deps.db.select({ n: count() }).from(trackerLinks).where(eq(trackerLinks.productId, productId)),
    deps.db
      .select({ state: trackerOutbox.state, n: count() })
      .from(trackerOutbox)
      .where(eq(trackerOutbox.productId, productId))
      .groupBy(trackerOutbox.state),
  ]);
  const failedPushes = await deps.db
    .select({
      id: trackerOutbox.id,
      push: trackerOutbox.push,
      lastError: trackerOutbox.lastError,
      attempts: trackerOutbox.attempts,
    })
    .from(trackerOutbox)
    .where(and(eq(trackerOutbox.productId, productId), eq(trackerOutbox.state, 'failed')))
    .orderBy(desc(trackerOutbox.seq))
    .limit(20);
  const pushes = Object.fromEntries(outbox.map((o) => [o.state, o.n]));
  return {
    connected: true as const,
    keysConfigured: deps.box !== null,
    kind: row.kind,
    baseUrl: row.baseUrl,
    // The account's email is the product owner's business; members see whose account it is by name.
    accountEmail: role === 'product_owner' ? row.accountEmail : null,
    accountName: row.accountName,
    fieldMap: row.fieldMap,
    statusMap: row.statusMap,
    commentDecisions: row.commentDecisions,
    scope: row.scope,
    webhook: row.webhookId !== null,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    lastError: row.lastError,
    linkedItems: links.n,
    pushes: { pending: pushes.pending ?? 0, done: pushes.done ?? 0, failed: pushes.failed ?? 0 },
    failedPushes: failedPushes.map((p) => ({
      id: p.id,
      op: p.push.op,
      issueKey: 'issueKey' in p.push ? p.push.issueKey : null,
      error: p.lastError,
      attempts: p.attempts,
    })),
    jobs: jobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      state: job.state,
      progress: job.progress,
      errors: job.errors.slice(-20),
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      retryAt: job.notBefore?.toISOString() ?? null,
    })),
  };
}
export type TrackerStatus = Awaited<ReturnType<typeof trackerStatus>>;
