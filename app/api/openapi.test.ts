import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiBasePath, buildOpenApiDocument } from './openapi.server';
import { operations } from './registry.server';
import { apiClient, testServices } from './test-harness.server';

// Serving the document needs no database.
const call = apiClient(testServices({ db: undefined as never }));
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const required = [
  'signUp',
  'createToken',
  'revokeToken',
  'getMe',
  'listProducts',
  'createProduct',
  'getProduct',
  'createInvite',
  'acceptInvite',
  'listMembers',
  'changeMemberRole',
  'removeMember',
  // the backlog (issue 3, item 11)
  'listBacklogItems',
  'createBacklogItem',
  'getBacklogItem',
  'updateBacklogItem',
  'moveBacklogItem',
  'archiveBacklogItem',
  'restoreBacklogItem',
  'addDependency',
  'removeDependency',
  'listDecisions',
  'importBacklogCsv',
  'exportBacklog',
  'getFeatureFile',
];

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document.
let document: any;

beforeAll(async () => {
  const answer = await call('GET', '/openapi.json');
  expect(answer.status).toBe(200);
  document = answer.json;
});

describe('the OpenAPI document', () => {
  it('is served without a token and validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists exactly the operations of the registry the router dispatches from', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => methods.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = operations.map((op) => `${op.method} ${op.path}`);
    expect(documented.sort()).toEqual([...registered].sort());
    expect(new Set(registered).size).toBe(registered.length);
    expect(document.servers).toEqual([{ url: apiBasePath }]);
    expect(document).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(operations))));
  });

  it('gives every operation a unique operationId, including every one the issue names', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document.
    const ids = Object.values(document.paths).flatMap((item: any) =>
      methods.filter((m) => item[m]).map((m) => item[m].operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(required));
  });

  it('documents bodies, success schemas, bearer security and problem+json errors', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const signUp = document.paths['/users'].post;
    expect(signUp.security).toEqual([]);
    expect(signUp.requestBody.content['application/json'].schema.required).toEqual([
      'email',
      'displayName',
      'password',
    ]);
    expect(signUp.responses['201'].content['application/json'].schema.properties.createdAt).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(signUp.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    expect(document.components.responses.BadRequest.content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    const change = document.paths['/products/{productId}/members/{userId}'].patch;
    expect(change.security).toEqual([{ bearerAuth: [] }]);
    expect(change.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:productId',
      'path:userId',
    ]);
    expect(Object.keys(change.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
    expect(document.paths['/tokens'].post.responses['429']).toBeDefined();
  });

  it('documents query parameters with their schemas, and downloads with their media types', () => {
    const list = document.paths['/products/{productId}/items'].get;
    // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document.
    const byName = Object.fromEntries(list.parameters.map((p: any) => [`${p.in}:${p.name}`, p]));
    expect(Object.keys(byName)).toEqual([
      'path:productId',
      'query:type',
      'query:status',
      'query:label',
      'query:epicId',
      'query:q',
      'query:offset',
      'query:limit',
    ]);
    expect(byName['query:limit']).toMatchObject({
      required: false,
      description: expect.any(String),
      schema: { type: 'integer', minimum: 1, maximum: 10000, default: 10000 },
    });
    expect(byName['query:type'].schema.enum).toContain('epic');
    expect(list.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    const exported = document.paths['/products/{productId}/export'].get.responses['200'].content;
    expect(Object.keys(exported)).toEqual(['application/json', 'text/csv']);
    const feature = document.paths['/items/{itemId}/feature'].get.responses['200'].content;
    expect(Object.keys(feature)).toEqual(['text/plain']);
    expect(document.components.schemas.Problem.properties.rows.type).toBe('array');
  });
});
