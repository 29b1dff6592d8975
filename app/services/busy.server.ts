import { isDatabaseBusy } from '../../db/busy';
import { AppError, isAppError } from '~/domain/errors';

/** Long enough for a held lock to be let go of, short enough that a person retrying does not give up. */
export const busyRetryAfterSeconds = 5;

/**
 * What a caller is told when its request gave up waiting for the database (a lock held too long by someone
 * else, a statement past the statement timeout): 503 with Retry-After. A command runs in one transaction, so it
 * changed nothing.
 */
export function busyRefusal(): AppError {
  return new AppError(
    'unavailable',
    'This is busy right now: another change to the same data is taking too long. Nothing was changed; try again in a few seconds.',
    {
      retryAfterSeconds: busyRetryAfterSeconds,
    },
  );
}

/** A refusal to show the caller: the AppError itself, a busy database as busyRefusal(), anything else undefined. */
export function asRefusal(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (isDatabaseBusy(error)) return busyRefusal();
  return undefined;
}
