import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('rate limiter', () => {
  it('allows the limit per window and key, then says how long to wait', () => {
    const limiter = new RateLimiter(2, 60_000);
    expect(limiter.hit('a', 0)).toBeNull();
    expect(limiter.hit('a', 1000)).toBeNull();
    expect(limiter.hit('a', 2000)).toBe(58);
    expect(limiter.hit('b', 2000)).toBeNull();
    expect(limiter.hit('a', 60_000)).toBeNull();
  });
});
