/**
 * Slowing down repeated failed logins. Each key (an account, an address) may fail a few times freely; after
 * that every further attempt must wait, doubling each time, up to a ceiling. A success clears the account key.
 */
export const freeFailures = 5;
export const maxDelaySeconds = 15 * 60;
/** Failures older than this are forgotten. */
export const failureWindowSeconds = 60 * 60;

export function delayAfterFailures(failures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(2 ** (failures - freeFailures + 1), maxDelaySeconds);
}

/** Seconds the caller must still wait before the next attempt is even checked (0 = may try now). */
export function secondsToWait(failures: number, lastFailureAt: Date, now: Date): number {
  const elapsed = (now.getTime() - lastFailureAt.getTime()) / 1000;
  if (elapsed > failureWindowSeconds) return 0;
  return Math.max(0, Math.ceil(delayAfterFailures(failures) - elapsed));
}
