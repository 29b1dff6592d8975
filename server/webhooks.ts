import type { AppServices } from '../app/context';
import { webhookDepsFrom } from '../app/services/webhooks/deps.server';
import { resealWebhookSecrets } from '../app/services/webhooks/webhooks.server';
import { startWebhookWorker } from '../app/services/webhooks/worker.server';

/**
 * The outgoing webhooks of this copy (decision 0041): their settings from configuration, their secrets sealed by
 * the tracker secrets' key (re-sealed after a key rotation), and the sender.
 */
export function startWebhooks(services: AppServices) {
  const deps = webhookDepsFrom(services);
  if (deps.box) {
    void resealWebhookSecrets(services.db, deps.box)
      .then((n) => n > 0 && services.log.info({ event: 'webhook_secrets_resealed', webhooks: n }))
      .catch((error) => services.log.error({ event: 'webhook_secrets_reseal_failed', err: error }));
  }
  const worker = startWebhookWorker(deps);
  return { deps, worker };
}
