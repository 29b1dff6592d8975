import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Logger } from '../../server/logger';

/**
 * Sign-up attempts per client address (each one costs an argon2 hash), counted by rate-limiter-flexible. With
 * REDIS_URL the count lives in Redis, so several copies share it; while Redis is unreachable each copy falls back
 * to counting in its own memory (the limit then holds per copy). Without Redis one process counts in memory.
 */
export interface SignUpLimiter {
  /** Counts one attempt from `address`: null when allowed, else the whole seconds to wait. */
  attempt(address: string): Promise<number | null>;
  close(): Promise<void>;
}

const windowSeconds = 60 * 60;

export function createSignUpLimiter(options: {
  perHour: number;
  redisUrl?: string;
  prefix?: string;
  log?: Logger;
}): SignUpLimiter {
  const memory = new RateLimiterMemory({
    points: options.perHour,
    duration: windowSeconds,
    keyPrefix: 'signup',
  });
  if (!options.redisUrl) return wrap(memory, async () => {});
  // No offline queue and one retry: a sign-up never waits on a Redis that is down, it uses the memory count instead.
  const client = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'refinery_signup_limit',
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    options.log?.warn(
      { event: 'signup_limit_redis', err: error.message },
      'Redis unreachable: sign-ups are counted per process meanwhile',
    );
  });
  client.on('ready', () => {
    reported = false;
  });
  const redis = new RateLimiterRedis({
    storeClient: client,
    points: options.perHour,
    duration: windowSeconds,
    keyPrefix: `${options.prefix ?? 'refinery'}:signup`,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return wrap(redis, async () => {
    client.disconnect();
  });
}

function wrap(limiter: RateLimiterAbstract, close: () => Promise<void>): SignUpLimiter {
  return {
    async attempt(address) {
      try {
        await limiter.consume(address);
        return null;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
    close,
  };
}

// Apps built without a limiter (tests that assemble services by hand) count in memory, one counter per app object.
const fallbacks = new WeakMap<object, SignUpLimiter>();

/** Counts one sign-up attempt for the running app: null when allowed, else the seconds to wait. */
export function signUpWait(
  app: { signUpLimiter?: SignUpLimiter; config: { SIGNUPS_PER_HOUR: number } },
  address: string,
): Promise<number | null> {
  let limiter = app.signUpLimiter ?? fallbacks.get(app);
  if (!limiter) {
    limiter = createSignUpLimiter({ perHour: app.config.SIGNUPS_PER_HOUR });
    fallbacks.set(app, limiter);
  }
  return limiter.attempt(address);
}

/** "in 42 seconds", "in about 17 minutes": for the sign-up page and the API's problem detail. */
export function signUpWaitMessage(seconds: number): string {
  const when = seconds < 90 ? `in ${seconds} seconds` : `in about ${Math.ceil(seconds / 60)} minutes`;
  return `Too many sign-ups from your address. Try again ${when}.`;
}
