import { describe, expect, it } from 'vitest';
import {
  delayAfterFailures,
  freeFailures,
  keysClearedBySuccess,
  maxDelaySeconds,
  secondsToWait,
  throttleKeys,
  waitForAttempt,
} from './login-throttle';

describe('login throttle', () => {
  it('lets the first few failures through without delay', () => {
    expect([0, 1, 2, 3, 4].map((n) => delayAfterFailures(n))).toEqual([0, 0, 0, 0, 0]);
  });
  it('doubles the delay after that, up to a ceiling', () => {
    expect([5, 6, 7, 8].map((n) => delayAfterFailures(n))).toEqual([2, 4, 8, 16]);
    expect(delayAfterFailures(40)).toBe(maxDelaySeconds);
    expect(delayAfterFailures(100_000)).toBe(maxDelaySeconds);
  });
  it('gives an address (shared by an office) more free failures than one account from one address', () => {
    expect(freeFailures.address).toBeGreaterThan(freeFailures.pair);
    expect(delayAfterFailures(freeFailures.address - 1, 'address')).toBe(0);
    expect(delayAfterFailures(freeFailures.address, 'address')).toBe(2);
  });
  it('counts down from the last failure and forgets old failures', () => {
    const last = new Date('2026-01-01T00:00:00Z');
    expect(secondsToWait(7, last, new Date('2026-01-01T00:00:03Z'))).toBe(5);
    expect(secondsToWait(7, last, new Date('2026-01-01T00:00:09Z'))).toBe(0);
    expect(secondsToWait(30, last, new Date('2026-01-01T02:00:00Z'))).toBe(0);
  });

  it('never counts per account alone: only per (account, address) pair and per address', () => {
    const keys = throttleKeys('Owner@Example.com', '198.51.100.7');
    expect(keys).toEqual([
      { scope: 'pair', key: 'pair:198.51.100.7|owner@example.com' },
      { scope: 'address', key: 'address:198.51.100.7' },
    ]);
    expect(keys.some((k) => !k.key.includes('198.51.100.7'))).toBe(false);
  });

  it('does not make the owner wait on a fresh address, whatever other addresses failed', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    // Failures on the owner's account from 1,000 rotating addresses: the rows an attacker leaves behind.
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      key: throttleKeys('owner@example.com', `10.0.${i >> 8}.${i & 255}`)[0].key,
      failures: 50,
      lastFailureAt: now,
    }));
    expect(waitForAttempt(throttleKeys('owner@example.com', '203.0.113.9'), rows, now)).toBe(0);
    // The attacker's own addresses do wait.
    expect(waitForAttempt(throttleKeys('owner@example.com', '10.0.0.1'), rows, now)).toBeGreaterThan(0);
  });

  it('slows an address that sprays many accounts, even for an account it never tried', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const rows = [{ key: 'address:10.9.9.9', failures: freeFailures.address + 3, lastFailureAt: now }];
    expect(waitForAttempt(throttleKeys('new@example.com', '10.9.9.9'), rows, now)).toBe(16);
    expect(waitForAttempt(throttleKeys('new@example.com', '10.9.9.8'), rows, now)).toBe(0);
  });

  it('clears only the pair on a success, never the address counter', () => {
    expect(keysClearedBySuccess('a@example.com', '10.0.0.1')).toEqual(['pair:10.0.0.1|a@example.com']);
  });
});
