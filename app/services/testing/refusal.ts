import { isAppError } from '~/domain/errors';

/** What a command's refusal says: the AppError's code, null when it was not refused, 'thrown' for anything else. */
export const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error) => (isAppError(error) ? error.code : 'thrown'),
  );
