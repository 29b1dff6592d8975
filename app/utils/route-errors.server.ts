import { data } from '@remix-run/node';
import { isAppError } from '../domain/errors';

/**
 * For loaders: runs the command and turns a refusal into an error response (the root error boundary shows a
 * clear 403/404/410 page). Anything else propagates as a real error.
 */
export async function orRespond<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.detail }, { status: error.status });
    throw error;
  }
}

/** For actions: a refusal becomes form feedback with the right status, so the page shows it next to the form. */
export async function orFormError<T>(work: Promise<T>): Promise<T | { ok: false; formError: string; field?: string; status: number }> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error)) return { ok: false, formError: error.detail, field: error.extra.field, status: error.status };
    throw error;
  }
}
