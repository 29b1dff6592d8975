import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import { isAppError } from '../domain/errors';
import type { Logger } from '../../server/logger';

/** One field that failed validation, as it appears in a problem's `errors` list. */
export interface FieldError {
  field: string;
  detail: string;
}

/** An RFC 9457 problem: what every refusal of the API looks like on the wire. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  errors?: FieldError[];
}

/** A refusal decided by the API layer itself (routing, auth, body parsing); services throw AppError instead. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { field?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export const bearerChallenge = 'Bearer realm="refinery"';

export function problemResponse(problem: ApiProblem): Response {
  const body: ProblemBody = {
    type: 'about:blank',
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
  };
  if (problem.extra.field) body.field = problem.extra.field;
  if (problem.extra.errors) body.errors = problem.extra.errors;
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...problem.extra.headers,
    },
  });
}

/** Turns anything a handler threw into a problem. Only a bug gets a 500, and it is logged; input never should. */
export function toProblem(
  error: unknown,
  log: Logger,
  context: { method: string; path: string },
): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.extra.retryAfterSeconds !== undefined)
      headers['Retry-After'] = String(error.extra.retryAfterSeconds);
    if (error.status === 401) headers['WWW-Authenticate'] = bearerChallenge;
    return new ApiProblem(error.status, error.detail, { field: error.extra.field, headers });
  }
  log.error({ event: 'api_error', err: error, ...context }, 'unexpected error in an API operation');
  return new ApiProblem(500, 'Something went wrong on our side. It has been logged; please try again later.');
}

/** A 400 naming the first failing field ("email: Email must be a valid address") and listing all of them. */
export function validationProblem(error: z.ZodError): ApiProblem {
  const errors = error.issues.map((issue) => ({ field: fieldName(issue.path), detail: issue.message }));
  const first = errors[0];
  if (!first.field) return new ApiProblem(400, 'The request body must be a JSON object');
  return new ApiProblem(400, `${first.field}: ${first.detail}`, { field: first.field, errors });
}

function fieldName(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}
