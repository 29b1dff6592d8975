import { data } from '@remix-run/node';
import { asRefusal } from '~/services/busy.server';

/**
 * For loaders: runs the command and turns a refusal into an error response (the root error boundary shows a
 * clear 403/404/410 page). Anything else propagates as a real error.
 */
export async function orRespond<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const refusal = asRefusal(error);
    if (refusal) {
      const headers: Record<string, string> =
        refusal.extra.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(refusal.extra.retryAfterSeconds) };
      throw data({ message: refusal.detail }, { status: refusal.status, headers });
    }
    throw error;
  }
}

/** For actions: a refusal becomes form feedback with the right status, so the page shows it next to the form. */
export async function orFormError<T>(
  work: Promise<T>,
): Promise<T | { ok: false; formError: string; field?: string; status: number }> {
  try {
    return await work;
  } catch (error) {
    const refusal = asRefusal(error);
    if (refusal)
      return { ok: false, formError: refusal.detail, field: refusal.extra.field, status: refusal.status };
    throw error;
  }
}
