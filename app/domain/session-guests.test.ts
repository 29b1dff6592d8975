import { describe, expect, it } from 'vitest';
import { checkGuestQuestion, guestJoinsWatching, guestQuestionLimits, mayVoteIn } from './session-guests';

describe('who votes in a session', () => {
  it('in refinement: the product owner and the team estimate; stakeholders never; guests only when let', () => {
    for (const guestsEstimate of [false, true]) {
      expect(mayVoteIn('product_owner', 'refinement', { guestsEstimate })).toBe(true);
      expect(mayVoteIn('team_member', 'refinement', { guestsEstimate })).toBe(true);
      expect(mayVoteIn('stakeholder', 'refinement', { guestsEstimate })).toBe(false);
      expect(mayVoteIn(null, 'refinement', { guestsEstimate })).toBe(false);
    }
    expect(mayVoteIn('guest', 'refinement', { guestsEstimate: false })).toBe(false);
    expect(mayVoteIn('guest', 'refinement', { guestsEstimate: true })).toBe(true);
  });

  it('in prioritisation and review: everyone with a part votes, guests included, whatever the refinement switch', () => {
    for (const kind of ['prioritisation', 'review'] as const) {
      for (const guestsEstimate of [false, true]) {
        expect(mayVoteIn('guest', kind, { guestsEstimate })).toBe(true);
        expect(mayVoteIn('stakeholder', kind, { guestsEstimate })).toBe(true);
      }
    }
  });

  it('a guest joins watching exactly when they may not vote', () => {
    expect(guestJoinsWatching('refinement', { guestsEstimate: false })).toBe(true);
    expect(guestJoinsWatching('refinement', { guestsEstimate: true })).toBe(false);
    expect(guestJoinsWatching('prioritisation', { guestsEstimate: false })).toBe(false);
    expect(guestJoinsWatching('review', { guestsEstimate: false })).toBe(false);
  });
});

describe('a guest’s question', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

  it('is accepted when short, plain and not too soon', () => {
    expect(checkGuestQuestion('Does this work on a phone?', [], now)).toEqual({ ok: true });
    expect(checkGuestQuestion('Line one\nline two\twith a tab', [secondsAgo(5)], now)).toEqual({ ok: true });
    expect(checkGuestQuestion('x'.repeat(guestQuestionLimits.maxLength), [], now).ok).toBe(true);
  });

  it('refuses one over the length limit', () => {
    const verdict = checkGuestQuestion('x'.repeat(guestQuestionLimits.maxLength + 1), [], now);
    expect(verdict).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/500/) });
  });

  it('refuses control characters other than line breaks and tabs', () => {
    for (const text of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f']) {
      expect(checkGuestQuestion(text, [], now)).toMatchObject({ ok: false, code: 'invalid' });
    }
  });

  it('keeps HTML as the text it is: the rule neither refuses nor changes it (rooms render text)', () => {
    expect(checkGuestQuestion('<img src=x onerror=alert(1)>', [], now)).toEqual({ ok: true });
  });

  it('allows a few a minute, then says how long to wait (sliding over the last minute)', () => {
    const three = [secondsAgo(50), secondsAgo(20), secondsAgo(10)];
    const verdict = checkGuestQuestion('Another one?', three, now);
    // The oldest of the three leaves the minute in 10 seconds.
    expect(verdict).toEqual({
      ok: false,
      code: 'too_many_requests',
      message: 'You asked 3 questions in the last minute; try again in 10 seconds',
      retryAfterSeconds: 10,
    });
    // Older questions do not count towards the minute.
    expect(
      checkGuestQuestion('Again', [secondsAgo(120), secondsAgo(61), secondsAgo(10), secondsAgo(5)], now),
    ).toEqual({ ok: true });
    // Exactly a minute old has left the window.
    expect(checkGuestQuestion('Edge', [secondsAgo(60), secondsAgo(2), secondsAgo(1)], now)).toEqual({
      ok: true,
    });
  });

  it('caps the questions of one guest in a session', () => {
    const many = Array.from({ length: guestQuestionLimits.perSession }, (_, i) => secondsAgo(3600 + i * 60));
    expect(checkGuestQuestion('One more', many, now)).toMatchObject({
      ok: false,
      code: 'too_many_requests',
      message: expect.stringMatching(/at most 30 questions/),
    });
    expect(checkGuestQuestion('One more', many.slice(1), now)).toEqual({ ok: true });
  });
});
