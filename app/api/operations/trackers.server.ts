import { z } from 'zod';
import { defineOperation } from '~/api/operation.server';
import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import {
  connectSchema,
  connectTracker,
  disconnectTracker,
  fieldMapPreview,
  saveTrackerSettings,
  settingsSchema,
  testConnection,
  trackerStatus,
} from '~/services/trackers/connections.server';
import type { TrackerDeps } from '~/services/trackers/deps.server';
import { importSchema, requestImport, requestSync } from '~/services/trackers/jobs.server';
import { ensureWebhook } from '~/services/trackers/webhooks.server';
import { productIdParam } from './backlog.server';

/* The Jira sync (issue 16, decision 0038): connect, test, import, sync now, settings and status. */

export function trackersOf(services: AppServices): { deps: TrackerDeps; kick(): void } {
  const trackers = services.trackers;
  if (!trackers) throw new AppError('unavailable', 'The tracker sync is not running on this server');
  return { deps: trackers.deps, kick: () => trackers.worker.kick() };
}

const check = z
  .union([
    z.object({
      ok: z.literal(true),
      accountName: z.string(),
      serverTitle: z.string().nullable(),
      canBrowse: z.boolean(),
      canEdit: z.boolean(),
      canAdminWebhooks: z.boolean(),
    }),
    z.object({
      ok: z.literal(false),
      problem: z.enum(['bad_url', 'unreachable', 'unauthorized', 'forbidden', 'not_jira', 'rate_limited']),
      message: z.string(),
    }),
  ])
  .meta({
    title: 'ConnectionCheck',
    description: 'Who the token signs in as and what it may do, or what is wrong',
  });

const connectBody = connectSchema.meta({
  title: 'TrackerCredentials',
  description:
    'Jira Cloud: the site (https://your-team.atlassian.net), the account email and an API token. Jira Data Center: ' +
    'the base URL and a personal access token. The token is stored encrypted and never returned.',
});

export const testTrackerConnectionOperation = defineOperation({
  operationId: 'testTrackerConnection',
  method: 'POST',
  path: '/products/{productId}/tracker/test',
  summary: 'Try Jira credentials without saving them (product owner)',
  description:
    'Answers 200 either way: `ok: false` names the problem (a bad address, 401, a missing permission).',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  body: connectBody,
  success: { status: 200, description: 'What Jira said', schema: check },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return testConnection(trackersOf(services).deps, params.productId, user.id, body);
  },
});

export const connectTrackerOperation = defineOperation({
  operationId: 'connectTracker',
  method: 'PUT',
  path: '/products/{productId}/tracker',
  summary: 'Connect the product to Jira, or change its credentials (product owner)',
  description:
    'Checks the credentials first and refuses with 400 naming the field and the problem. Detects the field map ' +
    '(story points, acceptance criteria, epic link, rank) on first connect.',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  body: connectBody,
  success: {
    status: 200,
    description: 'Connected',
    schema: z
      .object({ check, fieldMap: settingsSchema.shape.fieldMap.unwrap().nullable() })
      .meta({ title: 'TrackerConnected' }),
  },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return connectTracker(trackersOf(services).deps, params.productId, user.id, body);
  },
});

export const trackerSettingsOperation = defineOperation({
  operationId: 'updateTrackerSettings',
  method: 'PATCH',
  path: '/products/{productId}/tracker',
  summary: 'Set the field map, the review status mapping and decision comments (product owner)',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  body: settingsSchema.meta({ title: 'TrackerSettings' }),
  success: { status: 204, description: 'Saved', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    await saveTrackerSettings(trackersOf(services).deps, params.productId, user.id, body);
  },
});

export const trackerFieldsOperation = defineOperation({
  operationId: 'previewTrackerFieldMap',
  method: 'GET',
  path: '/products/{productId}/tracker/fields',
  summary: 'The field map Jira’s fields suggest, with the candidates for each (product owner)',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description: 'Detected map, candidates and the map in use',
    schema: z.looseObject({}),
  },
  errors: [403, 404],
  async handler({ services, user, params }) {
    return fieldMapPreview(trackersOf(services).deps, params.productId, user.id);
  },
});

export const disconnectTrackerOperation = defineOperation({
  operationId: 'disconnectTracker',
  method: 'DELETE',
  path: '/products/{productId}/tracker',
  summary: 'Disconnect from Jira (product owner); the items stay, with their Jira keys',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  success: { status: 204, description: 'Disconnected', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await disconnectTracker(trackersOf(services).deps, params.productId, user.id);
  },
});

export const importFromTrackerOperation = defineOperation({
  operationId: 'importFromTracker',
  method: 'POST',
  path: '/products/{productId}/tracker/imports',
  summary: 'Import Jira issues by JQL or by board (product owner)',
  description:
    'Starts a background import (202): issues become backlog items linked to them, in Jira’s rank order; issues ' +
    'already linked are updated, never duplicated. Follow it with getTrackerStatus. 409 while one runs.',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  body: importSchema.meta({
    title: 'TrackerImport',
    description: '`{ "jql": "project = ABC" }` or `{ "boardId": 7 }`',
  }),
  success: {
    status: 202,
    description: 'Started',
    schema: z.object({ id: z.uuid() }).meta({ title: 'TrackerJob' }),
  },
  errors: [403, 404, 409],
  async handler({ request, services, user, params, body }) {
    const trackers = trackersOf(services);
    const job = await requestImport(trackers.deps, params.productId, user.id, body);
    trackers.kick();
    void ensureWebhook(trackers.deps, params.productId, new URL(request.url).origin);
    return job;
  },
});

export const syncTrackerOperation = defineOperation({
  operationId: 'syncTrackerNow',
  method: 'POST',
  path: '/products/{productId}/tracker/sync',
  summary: 'Pull what changed in Jira now and retry failed pushes (product owner)',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  success: { status: 202, description: 'Started (or already running)', schema: z.object({ id: z.uuid() }) },
  errors: [403, 404, 409],
  async handler({ services, user, params }) {
    const trackers = trackersOf(services);
    const job = await requestSync(trackers.deps, params.productId, user.id);
    trackers.kick();
    return job;
  },
});

export const trackerStatusOperation = defineOperation({
  operationId: 'getTrackerStatus',
  method: 'GET',
  path: '/products/{productId}/tracker',
  summary: 'The sync’s status: connection, last sync, counts, recent jobs with their errors (members)',
  description: 'Never contains the token or the webhook secret.',
  tag: 'Jira sync',
  auth: 'token',
  params: { productId: productIdParam },
  success: { status: 200, description: 'Status', schema: z.looseObject({ connected: z.boolean() }) },
  errors: [404],
  async handler({ services, user, params }) {
    return trackerStatus(trackersOf(services).deps, params.productId, user.id);
  },
});

export const trackerOperations = [
  trackerStatusOperation,
  testTrackerConnectionOperation,
  connectTrackerOperation,
  trackerSettingsOperation,
  trackerFieldsOperation,
  disconnectTrackerOperation,
  importFromTrackerOperation,
  syncTrackerOperation,
];
