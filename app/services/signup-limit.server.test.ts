import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSignUpLimiter,
  type SignUpLimiter,
  signUpWait,
  signUpWaitMessage,
} from './signup-limit.server';

const limiters: SignUpLimiter[] = [];
const limiter = (options: Parameters<typeof createSignUpLimiter>[0]) => {
  const created = createSignUpLimiter(options);
  limiters.push(created);
  return created;
};
afterAll(async () => {
  for (const l of limiters) await l.close();
});

describe('sign-up limit', () => {
  it('allows the limit per address in an hour, then answers with the seconds to wait', async () => {
    const memory = limiter({ perHour: 2 });
    expect(await memory.attempt('10.0.0.1')).toBeNull();
    expect(await memory.attempt('10.0.0.1')).toBeNull();
    const wait = await memory.attempt('10.0.0.1');
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await memory.attempt('10.0.0.2')).toBeNull();
  });

  it('gives apps without a limiter one memory counter each, sized by SIGNUPS_PER_HOUR', async () => {
    const app = { config: { SIGNUPS_PER_HOUR: 1 } };
    expect(await signUpWait(app, 'a')).toBeNull();
    expect(await signUpWait(app, 'a')).not.toBeNull();
    expect(await signUpWait({ config: { SIGNUPS_PER_HOUR: 1 } }, 'a')).toBeNull();
  });

  it('says how long to wait in words', () => {
    expect(signUpWaitMessage(42)).toBe('Too many sign-ups from your address. Try again in 42 seconds.');
    expect(signUpWaitMessage(3599)).toBe(
      'Too many sign-ups from your address. Try again in about 60 minutes.',
    );
  });

  it('still limits, per process, while Redis cannot be reached', async () => {
    const down = limiter({ perHour: 1, redisUrl: 'redis://127.0.0.1:1', prefix: 'unreachable' });
    expect(await down.attempt('10.0.0.9')).toBeNull();
    expect(await down.attempt('10.0.0.9')).not.toBeNull();
  });
});

describe.skipIf(!process.env.REDIS_URL)('sign-up limit shared through Redis', () => {
  it('counts the attempts of every copy together', async () => {
    const prefix = `refinery-test:${randomBytes(6).toString('hex')}`;
    const copyA = limiter({ perHour: 3, redisUrl: process.env.REDIS_URL, prefix });
    const copyB = limiter({ perHour: 3, redisUrl: process.env.REDIS_URL, prefix });
    // Wait until both are connected, so the count is the shared one and not the fallback.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await copyA.attempt('10.1.1.1')).toBeNull();
    expect(await copyB.attempt('10.1.1.1')).toBeNull();
    expect(await copyA.attempt('10.1.1.1')).toBeNull();
    expect(await copyB.attempt('10.1.1.1')).toBeGreaterThan(0);
    expect(await copyA.attempt('10.1.1.1')).toBeGreaterThan(0);
  });
});
