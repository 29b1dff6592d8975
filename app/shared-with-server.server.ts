/**
 * The app's and the database's modules that the Node server (server/) uses too. In production the server is a
 * bundle of its own (scripts/build-server.mjs) that takes every one of them from here, through the Remix build
 * (app/entry.server.tsx re-exports this module), so the process holds one copy of each module and of its state
 * (decision record 0033). A server import of a value from app/ or db/ that is missing here fails the server build.
 */

export { parseDocumentName } from '~/domain/document-names';
export { emptyFieldsBlockUpdate, itemTextSeed, neverEdited, readItemText } from '~/domain/item-text';
export { mayEditText } from '~/domain/policies';
export { maxPresenceBytes, vouchPresence } from '~/domain/presence';
export { verifyLiveToken } from '~/domain/signed-token';
export { projectItemText } from '~/services/backlog/item-text.server';
export { publishBacklogChange } from '~/services/backlog/live.server';
export { roleIn } from '~/services/products.server';
export { startAsyncVotingWorker } from '~/services/sessions/async-worker.server';
export { createSignUpLimiter } from '~/services/signup-limit.server';
export { startGoalRiskWorker } from '~/services/sprints/goal-risk-worker.server';
export { publishCriteriaChange } from '~/services/sprints/live.server';
export { defaultConnectorFor } from '~/services/trackers/deps.server';
export { resealTrackerSecrets, secretBoxFromConfig } from '~/services/trackers/secret-box.server';
export { startTrackerWorker } from '~/services/trackers/worker.server';
export { webhookDepsFrom } from '~/services/webhooks/deps.server';
export { resealWebhookSecrets } from '~/services/webhooks/webhooks.server';
export { startWebhookWorker } from '~/services/webhooks/worker.server';
export { DatabaseUnreachable, openDatabase, rowsOf } from '../db/client';
export * from '../db/schema';
export { seedDemo } from '../db/seed/demo';
