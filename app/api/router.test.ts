import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { operations } from './registry.server';
import { handleApiRequest } from './router.server';
import { apiClient, testServices } from './test-harness.server';

// None of these requests reach the database: routing, auth and body checks answer first.
const services = testServices({ db: undefined as never }, { MAX_BODY_BYTES: 1000 });
const call = apiClient(services);
const signUpBody = { email: 'ada@example.com', displayName: 'Ada', password: 'correct horse battery staple' };

describe('routing', () => {
  it('serves every registered operation: each path and method reaches its operation, not a 404 or 405', async () => {
    for (const op of operations) {
      const path = op.path.replace(/\{[^}]+\}/g, 'some-id');
      const answer = await call(op.method, path, {
        headers: { 'content-type': 'text/plain' },
        body: op.body ? 'x' : undefined,
      });
      const expected = op.auth !== 'none' ? 401 : op.body ? 415 : 200;
      expect(answer.status, `${op.method} ${op.path}`).toBe(expected);
    }
  });

  it('answers an unknown path with a 404 problem pointing at the document', async () => {
    for (const path of ['/nope', '/products/a/b/c', '/../users', '']) {
      const answer = await call('GET', path);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.json).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
      expect(answer.json.detail).toContain('/api/v1/openapi.json');
    }
  });

  it('answers a path parameter that is not valid percent-encoding with 404', async () => {
    const answer = await call('GET', '/products/%E0%A4%A/members', { token: 'rfy_x' });
    expect(answer.status).toBe(404);
    expect(answer.json.detail).toContain('productId');
  });

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const answer = await call('PUT', '/products');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, POST, HEAD');
    expect(answer.json).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    expect((await call('GET', '/users')).headers.get('allow')).toBe('POST');
  });

  it('answers HEAD like GET', async () => {
    expect((await call('HEAD', '/openapi.json')).status).toBe(200);
  });

  it('answers a missing or malformed Authorization header with 401 and a Bearer challenge', async () => {
    for (const headers of [{}, { authorization: 'Basic YTpi' }, { authorization: 'Bearer' }] as Record<
      string,
      string
    >[]) {
      const answer = await call('GET', '/me', { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="refinery"');
      expect(answer.json.detail).toContain('Authorization');
    }
  });
});

describe('request bodies', () => {
  it('refuses a body that is not sent as JSON with 415 and says what to send', async () => {
    const plain = await call('POST', '/users', {
      body: JSON.stringify(signUpBody),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(plain.json.detail).toBe(
      'Send the body as JSON with Content-Type: application/json (got text/plain)',
    );
    const form = await call('POST', '/users', {
      body: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const none = await handleApiRequest(
      new Request('http://refinery.test/api/v1/users', { method: 'POST' }),
      services,
    );
    expect(none.status).toBe(415);
    expect((await none.json()).detail).toContain('no Content-Type was sent');
  });

  it('accepts application/json with parameters and +json types (and then checks the body)', async () => {
    for (const type of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
    ]) {
      const answer = await call('POST', '/users', {
        body: { email: 'nope' },
        headers: { 'content-type': type },
      });
      expect(answer.status, type).toBe(400);
      expect(answer.json.field).toBe('email');
    }
  });

  it('refuses a body over MAX_BODY_BYTES with 413, by its declared length or by what arrives', async () => {
    const big = await call('POST', '/users', { body: { ...signUpBody, displayName: 'x'.repeat(2000) } });
    expect(big.status).toBe(413);
    expect(big.json.detail).toBe('The request body is larger than the limit of 1000 bytes');
    const declared = await call('POST', '/users', { body: '{}', headers: { 'content-length': '5000' } });
    expect(declared.status).toBe(413);
    // A stream of unknown length is cut off once it passes the limit.
    const chunk = new TextEncoder().encode(' '.repeat(600));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request('http://refinery.test/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const streamed = await handleApiRequest(request, services);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(10);
  });

  it('refuses malformed JSON with 400 "Malformed JSON body"', async () => {
    for (const body of ['{"email": "ada@example.com",', "{'a': 1}", 'undefined']) {
      const answer = await call('POST', '/users', { body });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ status: 400, title: 'Bad Request', detail: 'Malformed JSON body' });
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    const empty = await call('POST', '/users', { body: '' });
    expect(empty.status).toBe(400);
    expect(empty.json.detail).toBe('Malformed JSON body: the body is empty');
  });

  it('refuses JSON that is not an object, and bytes that are not UTF-8, with 400', async () => {
    for (const body of ['[]', 'null', '"ada"', '42']) {
      const answer = await call('POST', '/users', { body });
      expect(answer.status).toBe(400);
      expect(answer.json.detail).toBe('The request body must be a JSON object');
    }
    const latin1 = new Request('http://refinery.test/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]),
    });
    const answer = await handleApiRequest(latin1, services);
    expect(answer.status).toBe(400);
    expect((await answer.json()).detail).toBe('The body is not valid UTF-8');
  });

  it('names the field in a 400 for missing or invalid fields, and lists every one', async () => {
    const missing = await call('POST', '/users', {
      body: { email: 'ada@example.com', password: 'correct horse battery staple' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ detail: 'displayName: Name is required', field: 'displayName' });
    const weak = await call('POST', '/users', { body: { ...signUpBody, password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.json).toMatchObject({
      detail: 'password: Password must be at least 10 characters',
      field: 'password',
    });
    const common = await call('POST', '/users', { body: { ...signUpBody, password: 'password123' } });
    expect(common.json).toMatchObject({ detail: 'password: Password is too common', field: 'password' });
    const several = await call('POST', '/users', { body: { email: 'not-an-email' } });
    expect(several.json.detail).toBe('email: Email must be a valid address');
    expect(several.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'email',
      'displayName',
      'password',
    ]);
    const token = await call('POST', '/tokens', { body: { email: 'ada@example.com' } });
    expect(token.json).toMatchObject({ status: 400, detail: 'password: Password is required' });
  });

  it('refuses a NUL character in a text field with 400 rather than failing in the database', async () => {
    const answer = await call('POST', '/users', { body: { ...signUpBody, displayName: 'Ada\u0000' } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      detail: 'displayName: must not contain the NUL character',
      field: 'displayName',
    });
  });
});

describe('unexpected errors', () => {
  it('answer 500 with a generic detail, and are logged', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const broken = testServices({
      db: new Proxy(
        {},
        {
          get: () => {
            throw new Error('connection reset');
          },
        },
      ) as never,
    });
    const answer = await apiClient({ ...broken, log: createLogger('error', sink) })('GET', '/me', {
      token: 'rfy_abc',
    });
    expect(answer.status).toBe(500);
    expect(answer.json.detail).not.toContain('connection reset');
    expect(answer.json.detail).toMatch(/on our side/);
    expect(lines.join('')).toContain('connection reset');
    expect(lines.join('')).toContain('"event":"api_error"');
  });
});
