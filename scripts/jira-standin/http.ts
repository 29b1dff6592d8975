/**
 * The stand-in's HTTP plumbing on node:http: Jira's error body, JSON replies, body reading, and a small router.
 * Nothing here knows about issues.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Jira's error body: `{"errorMessages":[...],"errors":{...}}`. */
export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
  warningMessages?: string[];
}

/** Thrown by a handler to answer with Jira's error body. */
export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }

  get body(): JiraErrorBody {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

export const badRequest = (message: string) => new JiraError(400, [message]);
export const fieldErrors = (errors: Record<string, string>) => new JiraError(400, [], errors);
export const notFound = (message: string) => new JiraError(404, [message]);
export const forbidden = (message: string) => new JiraError(403, [message]);

/** A handler's answer. `body: undefined` sends no body (204, or a 201 without one). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json;charset=UTF-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The raw request body, at most 10 MB (more is Jira's 413). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new JiraError(413, ['The request body is too large.']);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON: an empty body is `undefined`, anything unparseable is Jira's 400. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw badRequest(`Unexpected character in the request body, it is not valid JSON: ${detail}`);
  }
}

export type Params = Record<string, string>;

export interface Route<C> {
  method: string;
  /** `/rest/api/:version/issue/:key`; a `:name` segment matches one path segment */
  pattern: string;
  handler: (ctx: C, params: Params) => Reply | Promise<Reply>;
}

export type Match<C> = { route: Route<C>; params: Params } | { methodNotAllowed: true } | null;

/** The route for a method and path; a path known under another method is a 405. */
export function matchRoute<C>(routes: Route<C>[], method: string, path: string): Match<C> {
  const segments = path.split('/');
  let knownPath = false;
  for (const route of routes) {
    const parts = route.pattern.split('/');
    if (parts.length !== segments.length) continue;
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(':')) {
        if (segments[i] === '') {
          ok = false;
          break;
        }
        params[parts[i].slice(1)] = safeDecode(segments[i]);
      } else if (parts[i] !== segments[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    knownPath = true;
  }
  return knownPath ? { methodNotAllowed: true } : null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Values of a query parameter that may be repeated and/or comma-separated (`fields=a,b&fields=c`). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** A non-negative integer query parameter; anything else is Jira's 400. */
export function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  return toInt(raw, name);
}

export function toInt(raw: unknown, name: string): number {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value))
    throw badRequest(`The value '${String(raw)}' is not a valid number for '${name}'.`);
  return value;
}
