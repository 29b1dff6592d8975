import { describe, expect, it } from 'vitest';
import { delayAfterFailures, maxDelaySeconds, secondsToWait } from './login-throttle';

describe('login throttle', () => {
  it('lets the first few failures through without delay', () => {
    expect([0, 1, 2, 3, 4].map(delayAfterFailures)).toEqual([0, 0, 0, 0, 0]);
  });
  it('doubles the delay after that, up to a ceiling', () => {
    expect([5, 6, 7, 8].map(delayAfterFailures)).toEqual([2, 4, 8, 16]);
    expect(delayAfterFailures(40)).toBe(maxDelaySeconds);
  });
  it('counts down from the last failure and forgets old failures', () => {
    const last = new Date('2026-01-01T00:00:00Z');
    expect(secondsToWait(7, last, new Date('2026-01-01T00:00:03Z'))).toBe(5);
    expect(secondsToWait(7, last, new Date('2026-01-01T00:00:09Z'))).toBe(0);
    expect(secondsToWait(30, last, new Date('2026-01-01T02:00:00Z'))).toBe(0);
  });
});
