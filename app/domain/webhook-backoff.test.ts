import { describe, expect, it } from 'vitest';
import { defaultMaxAttempts, isDelivered, retryDelayMs } from './webhook-backoff';
import { eventFilterPattern, eventMatches } from './webhook-events';

describe('webhook retries', () => {
  it('waits 10 s, 30 s, 2 min, 10 min, 1 h, then gives up after the sixth attempt', () => {
    expect(defaultMaxAttempts).toBe(6);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n))).toEqual([
      10_000,
      30_000,
      120_000,
      600_000,
      3_600_000,
      null,
    ]);
  });

  it('scales the schedule from its first delay and honours a configured number of attempts', () => {
    expect(retryDelayMs(1, { firstSeconds: 0.01 })).toBe(10);
    expect(retryDelayMs(2, { firstSeconds: 0.01 })).toBe(30);
    expect(retryDelayMs(2, { maxAttempts: 2 })).toBeNull();
    expect(retryDelayMs(7, { maxAttempts: 9 })).toBe(3_600_000);
    expect(retryDelayMs(0)).toBeNull();
  });

  it('counts only 2xx as delivered', () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([199, 301, 404, 500].some(isDelivered)).toBe(false);
  });
});

describe('webhook event filters', () => {
  it('sends everything with no filter, exact types and prefixes otherwise, and pings always', () => {
    expect(eventMatches([], 'decision.created')).toBe(true);
    expect(eventMatches(['decision.*'], 'decision.sprint_item_accepted')).toBe(true);
    expect(eventMatches(['votes.opened'], 'decision.created')).toBe(false);
    expect(eventMatches(['votes.opened'], 'votes.opened')).toBe(true);
    expect(eventMatches(['votes.opened'], 'ping')).toBe(true);
    expect(eventMatches(['decision.*'], 'decisionx.created')).toBe(false);
  });

  it('accepts only plain type names', () => {
    for (const ok of ['decision.*', 'votes.opened', 'ping', 'decision.sprint_item_accepted'])
      expect(eventFilterPattern.test(ok), ok).toBe(true);
    for (const bad of ['*', 'Decision.created', 'a.b.c', '<script>', 'decision.', ''])
      expect(eventFilterPattern.test(bad), bad).toBe(false);
  });
});
