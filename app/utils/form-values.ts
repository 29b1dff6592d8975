import type { z } from 'zod';

/** The named string fields of a form; absent and file fields are left out, so strict schemas see only these. */
export function pickFields(form: FormData, keys: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of keys) {
    const value = form.get(key);
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

/** The first message per top-level field of a failed zod parse ("form" for issues without a path). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return errors;
}
