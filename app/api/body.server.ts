import type { z } from 'zod';
import { ApiProblem, validationProblem } from './problem.server';

const jsonMediaType = /^application\/([a-z0-9.+-]*\+)?json$/;

/**
 * Reads and validates a JSON body. Every way a body can be wrong ends here as a 4xx naming the cause:
 * wrong media type 415, too large 413, not UTF-8 or not JSON 400, a bad field 400 naming the field.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number,
): Promise<z.output<S>> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!jsonMediaType.test(mediaType)) {
    const got = mediaType ? `got ${mediaType.slice(0, 100)}` : 'no Content-Type was sent';
    throw new ApiProblem(415, `Send the body as JSON with Content-Type: application/json (${got})`);
  }
  const bytes = await readLimited(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiProblem(400, 'The body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiProblem(400, text.trim() ? 'Malformed JSON body' : 'Malformed JSON body: the body is empty');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiProblem(400, 'The request body must be a JSON object');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, 'body');
  refuseNul(parsed.data);
  return parsed.data;
}

/**
 * Validates the query string with an operation's query schema. Every value arrives as a string and a repeated key
 * gives its last value; a bad or unknown parameter is a 400 naming it, like a body field.
 */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationProblem(parsed.error, 'query');
  refuseNul(parsed.data);
  return parsed.data;
}

/** Postgres text cannot hold U+0000: refuse it here rather than fail in the database with a 500. */
function refuseNul(data: unknown) {
  const nul = findNul(data, '');
  if (nul !== null) throw new ApiProblem(400, `${nul}: must not contain the NUL character`, { field: nul });
}

function tooLarge(maxBytes: number) {
  return new ApiProblem(413, `The request body is larger than the limit of ${maxBytes} bytes`);
}

/** Reads at most maxBytes, stopping as soon as the body is known to be larger (the HTTP layer checks too). */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The first field (in parsed, schema-shaped data) holding a string, or a key (of a record), with U+0000, or null. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (typeof value !== 'object' || value === null || value instanceof Date) return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return path || 'body';
    const found = findNul(inner, at);
    if (found !== null) return found;
  }
  return null;
}
