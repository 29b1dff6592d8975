/**
 * The errors a command may answer with. Routes turn them into pages or flash messages; the API turns them
 * into application/problem+json with the matching status.
 */
export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_many_requests'
  | 'unavailable';

export const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_many_requests: 429,
  /** the database is busy with the same data (a lock held too long): try again after Retry-After */
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: {
      field?: string;
      retryAfterSeconds?: number;
      rows?: Array<{ line: number; reason: string }>;
    } = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
  get status() {
    return statusOf[this.code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
