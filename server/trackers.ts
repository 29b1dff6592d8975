import type { AppServices } from '../app/context';
import { defaultConnectorFor, type TrackerDeps } from '../app/services/trackers/deps.server';
import { resealTrackerSecrets, secretBoxFromConfig } from '../app/services/trackers/secret-box.server';
import { startTrackerWorker } from '../app/services/trackers/worker.server';

/** The tracker sync of this copy: the secret box from configuration and the background worker (decision 0038). */
export function startTrackers(services: AppServices, connectorFor?: TrackerDeps['connectorFor']) {
  const { config, log } = services;
  const deps: TrackerDeps = {
    db: services.db,
    log,
    live: services.live,
    box: secretBoxFromConfig(config),
    allowPrivateUrls: config.TRACKER_ALLOW_PRIVATE_URLS,
    connectorFor: connectorFor ?? defaultConnectorFor(log),
    publicUrl: config.PUBLIC_URL ?? null,
  };
  if (deps.box) {
    const box = deps.box;
    // A rotated key: what older keys sealed is sealed again with the first one (decision 0038).
    void resealTrackerSecrets(services.db, box)
      .then((n) => n > 0 && log.info({ event: 'tracker_secrets_resealed', connections: n }))
      .catch((error) => log.error({ event: 'tracker_secrets_reseal_failed', err: error }));
  }
  const worker = startTrackerWorker(deps, { pollSeconds: config.TRACKER_POLL_SECONDS });
  return { deps, worker };
}
