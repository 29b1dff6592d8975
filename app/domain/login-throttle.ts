/**
 * Slowing down repeated failed logins without letting anyone lock an owner out.
 *
 * Failures are counted per (account, address) pair and per address, never per account alone: counting per
 * account let anyone rotating addresses make the owner's correct password answer 429 from everywhere. So a
 * guesser is slowed on the pair they attack, an address that sprays many accounts is slowed as a whole, and the
 * owner on an address of their own is never refused because of failures elsewhere. A key may fail a few times
 * freely; after that each further attempt must wait, doubling each time, up to a ceiling.
 */
export type ThrottleScope = 'pair' | 'address';

export interface ThrottleKey {
  scope: ThrottleScope;
  key: string;
}

/** Failures each key may have before waits begin. An address is shared by whole offices (NAT), so it gets more. */
export const freeFailures: Record<ThrottleScope, number> = { pair: 5, address: 20 };
export const maxDelaySeconds = 15 * 60;
/** Failures older than this are forgotten. */
export const failureWindowSeconds = 60 * 60;

/** The counters one login attempt is checked against and, when it fails, adds to. */
export function throttleKeys(email: string, address: string): ThrottleKey[] {
  const account = email.trim().toLowerCase();
  return [
    { scope: 'pair', key: `pair:${address}|${account}` },
    { scope: 'address', key: `address:${address}` },
  ];
}

/** The counters a correct password clears: only its own pair, so a success cannot wash out an address's failures. */
export function keysClearedBySuccess(email: string, address: string): string[] {
  return throttleKeys(email, address)
    .filter((k) => k.scope === 'pair')
    .map((k) => k.key);
}

export function delayAfterFailures(failures: number, scope: ThrottleScope = 'pair'): number {
  const free = freeFailures[scope];
  if (failures < free) return 0;
  return Math.min(2 ** Math.min(failures - free + 1, 30), maxDelaySeconds);
}

/** Seconds the caller must still wait before the next attempt is even checked (0 = may try now). */
export function secondsToWait(
  failures: number,
  lastFailureAt: Date,
  now: Date,
  scope: ThrottleScope = 'pair',
): number {
  const elapsed = (now.getTime() - lastFailureAt.getTime()) / 1000;
  if (elapsed > failureWindowSeconds) return 0;
  return Math.max(0, Math.ceil(delayAfterFailures(failures, scope) - elapsed));
}

/** The wait for one attempt: the longest of its keys' waits (rows of other keys are ignored). */
export function waitForAttempt(
  keys: ThrottleKey[],
  rows: Array<{ key: string; failures: number; lastFailureAt: Date }>,
  now: Date,
): number {
  let wait = 0;
  for (const { scope, key } of keys) {
    const row = rows.find((r) => r.key === key);
    if (row) wait = Math.max(wait, secondsToWait(row.failures, row.lastFailureAt, now, scope));
  }
  return wait;
}
