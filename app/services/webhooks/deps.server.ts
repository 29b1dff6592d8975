import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import { defaultMaxAttempts, retryDelaysSeconds } from '~/domain/webhook-backoff';
import type { SecretBox } from '~/services/trackers/secret-box.server';
import type { Db } from '../../../db/client';
import type { Logger } from '../../../server/logger';

/** What the webhook services and their worker need, built once by the server (and by tests with their own). */
export interface WebhookDeps {
  db: Db;
  log: Logger;
  /** seals the webhooks' secrets at rest (the tracker secrets' box); null: none configured, no webhook can be added */
  box: SecretBox | null;
  /** WEBHOOK_ALLOW_PRIVATE_URLS */
  allowPrivateUrls: boolean;
  /** the first retry's delay; the schedule scales from it (WEBHOOK_RETRY_FIRST_SECONDS) */
  retryFirstSeconds: number;
  maxAttempts: number;
  /** how long a receiver has to answer */
  timeoutMs: number;
  /** the clock deliveries are due by (tests move it on instead of sleeping) */
  now(): Date;
  /** a host's addresses, for the check before each send */
  resolveHost?: (host: string) => Promise<string[]>;
}

export function webhookDepsFrom(services: AppServices): WebhookDeps {
  return {
    db: services.db,
    log: services.log,
    box: services.trackers?.deps.box ?? null,
    allowPrivateUrls: services.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    retryFirstSeconds: services.config.WEBHOOK_RETRY_FIRST_SECONDS ?? retryDelaysSeconds[0],
    maxAttempts: services.config.WEBHOOK_MAX_ATTEMPTS ?? defaultMaxAttempts,
    timeoutMs: 10_000,
    now: () => new Date(),
  };
}

/** The running server's webhook dependencies and worker; without a worker (a test double) deliveries just wait. */
export function webhooksOf(services: AppServices): { deps: WebhookDeps; kick(): void } {
  const webhooks = services.webhooks;
  if (webhooks) return { deps: webhooks.deps, kick: () => webhooks.worker?.kick() };
  if (!services.config) throw new AppError('unavailable', 'Webhooks are not available on this server');
  return { deps: webhookDepsFrom(services), kick: () => {} };
}
