import { describe, expect, it } from 'vitest';
import { formatCountdown, phasesOf, secondsLeft, sessionState } from './session-rules';

describe('session rules', () => {
  it('derives the state from start and end', () => {
    expect(sessionState({ startedAt: null, endedAt: null })).toBe('planned');
    expect(sessionState({ startedAt: new Date(), endedAt: null })).toBe('running');
    expect(sessionState({ startedAt: new Date(), endedAt: new Date() })).toBe('ended');
  });
  it('counts a time-box down in whole seconds and stops at zero', () => {
    const now = 1_000_000;
    expect(secondsLeft(null, now)).toBeNull();
    expect(secondsLeft(now + 4_500, now)).toBe(5);
    expect(secondsLeft(new Date(now - 10), now)).toBe(0);
    expect(formatCountdown(245)).toBe('4:05');
    expect(formatCountdown(0)).toBe('0:00');
  });
  it('starts every kind in the lobby', () => {
    for (const phases of Object.values(phasesOf)) expect(phases[0]).toBe('lobby');
  });
});
