/**
 * What session guests (people in one session by its link, without an account) may do, as pure rules shared by the
 * services and the rooms. In refinement guests watch, raise a hand and ask questions; they estimate only when the
 * facilitator lets guests estimate. In prioritisation sessions and reviews they vote and give feedback.
 */
import { type ActorRole, can } from './roles';
import type { SessionKind } from './session-rules';

/**
 * Whether someone with this role may vote in a session of this kind: in refinement that is playing poker cards
 * (the product owner and the team; guests only while the facilitator lets them), elsewhere dots, scores and
 * review feedback.
 */
export function mayVoteIn(
  role: ActorRole | null | undefined,
  kind: SessionKind,
  settings: { guestsEstimate: boolean },
): boolean {
  if (kind !== 'refinement') return can(role, 'session.vote');
  return role === 'guest' ? settings.guestsEstimate : can(role, 'item.estimate');
}

/** A guest who joins now watches (true) or votes from the start (false). */
export function guestJoinsWatching(kind: SessionKind, settings: { guestsEstimate: boolean }): boolean {
  return !mayVoteIn('guest', kind, settings);
}

/**
 * Limits on guests' questions: short texts, a few a minute, a bounded number per session, so someone holding a
 * link cannot flood the facilitator's list (members are limited by their membership, not by these).
 */
export const guestQuestionLimits = { maxLength: 500, perMinute: 3, perSession: 30 } as const;

export type QuestionVerdict =
  | { ok: true }
  | { ok: false; code: 'invalid'; message: string }
  | { ok: false; code: 'too_many_requests'; message: string; retryAfterSeconds?: number };

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Whether a guest may ask this question now. `text` is already trimmed; `earlier` are the times of the questions
 * this guest asked before in the session. Line breaks and tabs are text; other control characters are refused
 * (a NUL cannot even be stored).
 */
export function checkGuestQuestion(
  text: string,
  earlier: readonly Date[],
  now: Date,
  limits: { maxLength: number; perMinute: number; perSession: number } = guestQuestionLimits,
): QuestionVerdict {
  if (text.length > limits.maxLength)
    return {
      ok: false,
      code: 'invalid',
      message: `A guest’s question is at most ${limits.maxLength} characters`,
    };
  if (controlCharacters.test(text))
    return { ok: false, code: 'invalid', message: 'The question holds characters that are not text' };
  if (earlier.length >= limits.perSession)
    return {
      ok: false,
      code: 'too_many_requests',
      message: `A guest asks at most ${limits.perSession} questions in a session; raise your hand instead`,
    };
  const windowStart = now.getTime() - 60_000;
  const recent = earlier
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => a - b);
  if (recent.length >= limits.perMinute) {
    // Free again once the oldest question in the window is a minute old.
    const wait = Math.max(
      1,
      Math.ceil((recent[recent.length - limits.perMinute] + 60_000 - now.getTime()) / 1000),
    );
    return {
      ok: false,
      code: 'too_many_requests',
      message: `You asked ${recent.length} questions in the last minute; try again in ${wait} seconds`,
      retryAfterSeconds: wait,
    };
  }
  return { ok: true };
}
