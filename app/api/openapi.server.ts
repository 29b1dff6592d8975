import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { Operation } from './operation.server';

export const apiBasePath = '/api/v1';

const problemSchema = {
  type: 'object',
  description:
    'An RFC 9457 problem. `detail` is a sentence meant for people; `field` names the input at fault.',
  properties: {
    type: { type: 'string', description: 'always about:blank: the status says what kind of problem it is' },
    title: { type: 'string', description: 'the HTTP status phrase' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    field: { type: 'string', description: 'the request field at fault, when one is' },
    errors: {
      type: 'array',
      description: 'every invalid field, for a 400',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, detail: { type: 'string' } },
        required: ['field', 'detail'],
      },
    },
    rows: {
      type: 'array',
      description: 'every refused line of an uploaded file (a CSV import), with why',
      items: {
        type: 'object',
        properties: { line: { type: 'integer' }, reason: { type: 'string' } },
        required: ['line', 'reason'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail'],
};

const problemDescriptions: Record<number, string> = {
  400: 'The body is malformed, or a field or query parameter is invalid; `detail` and `field` name it',
  401: 'No API token, or an unknown or revoked one (or, for createToken, a wrong email or password)',
  403: 'Your role in this product does not allow this',
  404: 'No such resource, or you are not a member of its product',
  409: 'The request conflicts with the current state',
  410: 'The resource existed but is no longer usable (an expired or revoked invite)',
  413: 'The body is larger than the server accepts',
  415: 'The body is not sent as application/json',
  429: 'Too many failed attempts; wait for the seconds in Retry-After',
  503: 'Busy: the request waited too long for the database (another change to the same data holds it up); a command changed nothing. Retry after the seconds in Retry-After',
};

const problemName = (status: number) => (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z]/g, '');

/** The wire form of a zod schema: for responses that is the codec's input side too (dates as strings). */
function jsonSchema(schema: z.ZodType) {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    // zod spells formats (uuid, email, date-time) out as long regular expressions as well: the format is enough.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format) delete jsonSchema.pattern;
    },
  });
  return rest;
}

/** One `in: query` parameter per field of the query schema; a field's description moves up to the parameter. */
function queryParameters(schema: z.ZodObject) {
  const json = jsonSchema(schema) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...fieldSchema }]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(typeof description === 'string' ? { description } : {}),
    schema: fieldSchema,
  }));
}

function successResponse(success: Operation['success']) {
  const content: Record<string, unknown> = {};
  if (success.schema) content['application/json'] = { schema: jsonSchema(success.schema) };
  for (const file of success.files ?? []) {
    content[file.mediaType] = { schema: { type: 'string', description: file.description } };
  }
  if (Object.keys(content).length === 0) return { description: success.description };
  return {
    description: success.description,
    ...(success.files?.length
      ? {
          headers: {
            'Content-Disposition': {
              description: `With ${success.files.map((f) => f.mediaType).join(' or ')}: attachment and the file's name`,
              schema: { type: 'string' },
            },
          },
        }
      : {}),
    content,
  };
}

function operationObject(op: Operation) {
  const statuses = new Set<number>(op.errors);
  if (op.body) for (const s of [400, 413, 415]) statuses.add(s);
  if (op.query) statuses.add(400);
  if (op.auth !== 'none') statuses.add(401);
  // Any operation may wait on the database, and gives up after the lock or statement timeout.
  statuses.add(503);
  const responses: Record<string, unknown> = { [op.success.status]: successResponse(op.success) };
  for (const status of [...statuses].sort((a, b) => a - b))
    responses[status] = { $ref: `#/components/responses/${problemName(status)}` };
  const parameters = [
    ...Object.entries(op.params).map(([name, param]) => ({
      name,
      in: 'path',
      required: true,
      description: param.description,
      schema: param.format ? { type: 'string', format: param.format } : { type: 'string' },
    })),
    ...(op.query ? queryParameters(op.query) : []),
  ];
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: op.auth !== 'none' ? [{ bearerAuth: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, generated from the same operations the router dispatches. */
export function buildOpenApiDocument(operations: readonly Operation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path][op.method.toLowerCase()] = operationObject(op);
  }
  const responses = Object.fromEntries(
    Object.entries(problemDescriptions).map(([status, description]) => [
      problemName(Number(status)),
      {
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
  return {
    openapi: '3.1.1',
    info: {
      title: 'Refinery API',
      version: '1.0.0',
      description:
        'For integrations and scripts. Create a personal token (createToken, or the settings page) and send it as ' +
        '`Authorization: Bearer <token>`. Errors are application/problem+json.',
    },
    servers: [{ url: apiBasePath }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: problemSchema },
      responses,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (rfy_…)' },
      },
    },
  };
}
