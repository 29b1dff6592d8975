import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { invites } from '../../db/schema';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { type ApiAnswer, type CallOptions, apiClient, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('API refusals on %s', (kind) => {
  let database: Database;
  let raw: ReturnType<typeof apiClient>;
  const answers: Array<{ request: string; answer: ApiAnswer }> = [];
  let owner: string;
  let stakeholder: { id: string; token: string };
  let productId: string;

  // Every answer in this file is recorded: none of this input may produce a 5xx.
  const call = async (method: string, path: string, options?: CallOptions) => {
    const answer = await raw(method, path, options);
    answers.push({ request: `${method} ${path}`, answer });
    return answer;
  };
  const expectProblem = (answer: ApiAnswer, status: number, detail?: string | RegExp) => {
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.json).toMatchObject({
      type: 'about:blank',
      status,
      title: expect.any(String),
      detail: expect.any(String),
    });
    if (typeof detail === 'string') expect(answer.json.detail).toBe(detail);
    else if (detail) expect(answer.json.detail).toMatch(detail);
  };
  const tokenFor = async (email: string) =>
    (await call('POST', '/tokens', { body: { email, password } })).json.token as string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    raw = apiClient(testServices(database));
    for (const [email, displayName] of [
      ['po@example.com', 'Pat'],
      ['sh@example.com', 'Sam'],
    ]) {
      expect((await call('POST', '/users', { body: { email, displayName, password } })).status).toBe(201);
    }
    owner = await tokenFor('po@example.com');
    const shToken = await tokenFor('sh@example.com');
    productId = (await call('POST', '/products', { token: owner, body: { name: 'Lighthouse' } })).json.id;
    const invite = await call('POST', `/products/${productId}/invites`, {
      token: owner,
      body: { role: 'stakeholder' },
    });
    await call('POST', `/invites/${invite.json.token}/accept`, { token: shToken });
    stakeholder = { id: (await call('GET', '/me', { token: shToken })).json.id, token: shToken };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('refuses a second account with the same email with 409 naming the field', async () => {
    const answer = await call('POST', '/users', {
      body: { email: 'PO@example.com', displayName: 'Other', password },
    });
    expectProblem(answer, 409, 'An account with this email already exists');
    expect(answer.json.field).toBe('email');
  });

  it('refuses a weak password with 400 naming password', async () => {
    const answer = await call('POST', '/users', {
      body: { email: 'weak@example.com', displayName: 'W', password: 'aaaaaaaaaaaa' },
    });
    expectProblem(answer, 400, /^password: Password is too repetitive/);
    expect(answer.json.field).toBe('password');
  });

  it('names the missing or invalid field for operations behind a token', async () => {
    expectProblem(await call('POST', '/products', { token: owner, body: {} }), 400, 'name: Name is required');
    expectProblem(
      await call('POST', '/products', { token: owner, body: { name: 'x', description: 5 } }),
      400,
      /^description: /,
    );
    const invite = (body: unknown) => call('POST', `/products/${productId}/invites`, { token: owner, body });
    expectProblem(await invite({}), 400, 'role: Role must be team_member or stakeholder');
    expectProblem(
      await invite({ role: 'product_owner' }),
      400,
      'role: Role must be team_member or stakeholder',
    );
    expectProblem(
      await invite({ role: 'stakeholder', expiresInDays: 'soon' }),
      400,
      'expiresInDays: Expiry must be a number of days',
    );
    expectProblem(
      await invite({ role: 'stakeholder', expiresInDays: 90 }),
      400,
      'expiresInDays: Expiry must be 1 to 30 days',
    );
    const patch = await call('PATCH', `/products/${productId}/members/${stakeholder.id}`, {
      token: owner,
      body: { role: 'boss' },
    });
    expectProblem(patch, 400, 'role: Role must be team_member or stakeholder');
    expectProblem(
      await call('POST', '/products', { token: owner, body: '{"name": ' }),
      400,
      'Malformed JSON body',
    );
  });

  it('answers 404 for unknown product ids, uuid or not, and for products the caller is not in', async () => {
    const outsider = await call('POST', '/users', {
      body: { email: 'out@example.com', displayName: 'Out', password },
    });
    expect(outsider.status).toBe(201);
    const outsiderToken = await tokenFor('out@example.com');
    for (const id of [randomUUID(), 'not-a-uuid', "1' or '1'='1", 'x'.repeat(500)]) {
      const encoded = encodeURIComponent(id);
      expectProblem(await call('GET', `/products/${encoded}`, { token: owner }), 404);
      expectProblem(await call('GET', `/products/${encoded}/members`, { token: owner }), 404);
      expectProblem(
        await call('POST', `/products/${encoded}/invites`, { token: owner, body: { role: 'stakeholder' } }),
        404,
      );
      expectProblem(
        await call('DELETE', `/products/${encoded}/members/${stakeholder.id}`, { token: owner }),
        404,
      );
    }
    expectProblem(
      await call('GET', `/products/${productId}`, { token: outsiderToken }),
      404,
      /No such product/,
    );
  });

  it('answers 404 for unknown members, invites and tokens', async () => {
    for (const id of [randomUUID(), 'bogus']) {
      const member = `/products/${productId}/members/${id}`;
      expectProblem(
        await call('PATCH', member, { token: owner, body: { role: 'team_member' } }),
        404,
        'No such member in this product',
      );
      expectProblem(await call('DELETE', member, { token: owner }), 404, 'No such member in this product');
      expectProblem(
        await call('DELETE', `/products/${productId}/invites/${id}`, { token: owner }),
        404,
        'No such invite',
      );
      expectProblem(await call('DELETE', `/tokens/${id}`, { token: owner }), 404, 'No such token');
    }
    expectProblem(await call('POST', '/invites/inv_nope/accept', { token: owner }), 404, /not valid/);
    // Another user's token id is not yours to revoke.
    const theirs = await call('POST', '/tokens', { body: { email: 'sh@example.com', password } });
    expectProblem(await call('DELETE', `/tokens/${theirs.json.id}`, { token: owner }), 404);
    expect((await call('GET', '/me', { token: theirs.json.token })).status).toBe(200);
  });

  it('answers 410 for an expired invite and for a revoked one', async () => {
    const joiner = await call('POST', '/users', {
      body: { email: 'late@example.com', displayName: 'Late', password },
    });
    expect(joiner.status).toBe(201);
    const joinerToken = await tokenFor('late@example.com');
    const expired = await call('POST', `/products/${productId}/invites`, {
      token: owner,
      body: { role: 'team_member' },
    });
    await database.db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invites.id, expired.json.id));
    expectProblem(
      await call('POST', `/invites/${expired.json.token}/accept`, { token: joinerToken }),
      410,
      /expired/,
    );
    const revoked = await call('POST', `/products/${productId}/invites`, {
      token: owner,
      body: { role: 'team_member' },
    });
    expect(
      (await call('DELETE', `/products/${productId}/invites/${revoked.json.id}`, { token: owner })).status,
    ).toBe(204);
    expectProblem(
      await call('POST', `/invites/${revoked.json.token}/accept`, { token: joinerToken }),
      410,
      /revoked/,
    );
    expect((await call('GET', '/products', { token: joinerToken })).json.products).toEqual([]);
  });

  it('answers 403 when a stakeholder calls an owner-only operation, and changes nothing', async () => {
    const as = { token: stakeholder.token };
    expectProblem(
      await call('POST', `/products/${productId}/invites`, { ...as, body: { role: 'team_member' } }),
      403,
      /stakeholder/,
    );
    expectProblem(
      await call('PATCH', `/products/${productId}/members/${stakeholder.id}`, {
        ...as,
        body: { role: 'team_member' },
      }),
      403,
    );
    expectProblem(await call('DELETE', `/products/${productId}/members/${stakeholder.id}`, as), 403);
    expectProblem(await call('DELETE', `/products/${productId}/invites/${randomUUID()}`, as), 403);
    // Reading is allowed, and the role is unchanged.
    expect((await call('GET', `/products/${productId}`, as)).json).toMatchObject({ role: 'stakeholder' });
  });

  it('answers 409 when the owner tries to change or remove the product owner', async () => {
    const ownerId = (await call('GET', '/me', { token: owner })).json.id;
    const patch = await call('PATCH', `/products/${productId}/members/${ownerId}`, {
      token: owner,
      body: { role: 'stakeholder' },
    });
    expectProblem(patch, 409, /product owner cannot be changed/);
    expectProblem(await call('DELETE', `/products/${productId}/members/${ownerId}`, { token: owner }), 409);
  });

  it('refuses a wrong password with 401 and, after repeated failures, 429 with Retry-After', async () => {
    const attempt = (pw: string) =>
      call('POST', '/tokens', {
        body: { email: 'po@example.com', password: pw },
        headers: { 'x-refinery-client-address': '198.51.100.7' },
      });
    const wrong = await attempt('not the password');
    expectProblem(wrong, 401, 'Email or password is wrong');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    for (let i = 0; i < 4; i++) expectProblem(await attempt(`wrong ${i}`), 401);
    const throttled = await attempt(password);
    expectProblem(throttled, 429, /Too many failed attempts/);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // The existing tokens keep working: throttling guards the password, not the API.
    expect((await call('GET', '/me', { token: owner })).status).toBe(200);
  });

  it('answered none of the above with a 5xx', () => {
    expect(answers.length).toBeGreaterThan(50);
    expect(
      answers.filter((a) => a.answer.status >= 500).map((a) => `${a.request} → ${a.answer.status}`),
    ).toEqual([]);
  });
});
