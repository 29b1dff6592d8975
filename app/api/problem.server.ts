import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import { asRefusal } from '~/services/busy.server';
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
  /** the lines of an uploaded file that were refused, with why (a CSV import) */
  rows?: RowError[];
}

/** One refused line of an uploaded file. */
export interface RowError {
  line: number;
  reason: string;
}

/** A refusal decided by the API layer itself (routing, auth, body parsing); services throw AppError instead. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: {
      field?: string;
      errors?: FieldError[];
      rows?: RowError[];
      headers?: Record<string, string>;
    } = {},
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
  if (problem.extra.rows) body.rows = problem.extra.rows;
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
  const refusal = asRefusal(error);
  if (refusal) {
    const headers: Record<string, string> = {};
    if (refusal.extra.retryAfterSeconds !== undefined)
      headers['Retry-After'] = String(refusal.extra.retryAfterSeconds);
    if (refusal.status === 401) headers['WWW-Authenticate'] = bearerChallenge;
    return new ApiProblem(refusal.status, refusal.detail, {
      field: refusal.extra.field,
      rows: refusal.extra.rows,
      headers,
    });
  }
  log.error({ event: 'api_error', err: error, ...context }, 'unexpected error in an API operation');
  return new ApiProblem(500, 'Something went wrong on our side. It has been logged; please try again later.');
}

/**
 * A 400 naming the first failing field ("email: Email must be a valid address") and listing all of them. An
 * unknown field (strict schemas) is named too: each unknown key is an error of its own.
 */
export function validationProblem(error: z.ZodError, source: 'body' | 'query' = 'body'): ApiProblem {
  const unknown = source === 'body' ? 'Unknown field' : 'Unknown query parameter';
  const errors = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key.slice(0, 100)]), detail: unknown }))
      : [{ field: fieldName(issue.path), detail: issue.message }],
  );
  const first = errors[0];
  if (!first.field) {
    return new ApiProblem(
      400,
      source === 'body' ? 'The request body must be a JSON object' : `The query is invalid: ${first.detail}`,
    );
  }
  return new ApiProblem(400, `${first.field}: ${first.detail}`, { field: first.field, errors });
}

function fieldName(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}
