import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { type ApiAnswer, apiClient, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe.each(testBackends)('API happy path on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let owner: { id: string; token: string; tokenId: string };
  let second: { id: string; token: string };
  let productId: string;
  let inviteToken: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
  });
  afterAll(async () => {
    await database.close();
  });

  const created = (answer: ApiAnswer, status = 201) => {
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    return answer.json;
  };

  it('signUp creates an account and answers the public user with an ISO date', async () => {
    const user = created(
      await call('POST', '/users', { body: { email: ' Ada@Example.com ', displayName: 'Ada', password } }),
    );
    expect(user).toEqual({
      id: expect.any(String),
      email: 'ada@example.com',
      displayName: 'Ada',
      createdAt: expect.stringMatching(isoDate),
    });
    expect(JSON.stringify(user)).not.toContain('password');
    owner = { id: user.id, token: '', tokenId: '' };
  });

  it('createToken trades email and password for a personal token', async () => {
    const token = created(
      await call('POST', '/tokens', { body: { email: 'ada@example.com', password, name: 'CI script' } }),
    );
    expect(token).toEqual({
      id: expect.any(String),
      name: 'CI script',
      token: expect.stringMatching(/^rfy_/),
      createdAt: expect.stringMatching(isoDate),
    });
    owner = { ...owner, token: token.token, tokenId: token.id };
  });

  it('getMe answers the token’s owner', async () => {
    const me = await call('GET', '/me', { token: owner.token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: owner.id, email: 'ada@example.com', displayName: 'Ada' });
    expect(me.headers.get('content-type')).toBe('application/json');
  });

  it('createProduct makes the caller its product owner; listProducts and getProduct show it', async () => {
    const product = created(
      await call('POST', '/products', { token: owner.token, body: { name: 'Harbour Scheduler' } }),
    );
    expect(product).toMatchObject({
      name: 'Harbour Scheduler',
      description: '',
      role: 'product_owner',
      createdAt: expect.stringMatching(isoDate),
    });
    productId = product.id;
    const list = await call('GET', '/products', { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.json.products).toEqual([product]);
    const one = await call('GET', `/products/${productId}`, { token: owner.token });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ ...product, memberCount: 1, techDebtShare: null });
  });

  it('createInvite answers the token and a link on the request’s origin', async () => {
    const invite = created(
      await call('POST', `/products/${productId}/invites`, {
        token: owner.token,
        body: { role: 'team_member', expiresInDays: 3 },
      }),
    );
    expect(invite).toEqual({
      id: expect.any(String),
      role: 'team_member',
      token: expect.stringMatching(/^inv_/),
      url: `http://refinery.test/invites/${invite.token}`,
      expiresAt: expect.stringMatching(isoDate),
    });
    const days = (Date.parse(invite.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThanOrEqual(3);
    inviteToken = invite.token;
  });

  it('createInvite puts the link on PUBLIC_URL when it is set', async () => {
    const behindProxy = apiClient(
      testServices(database, { PUBLIC_URL: 'https://refinery.example.org/' }),
      'http://10.0.0.5:3000',
    );
    const invite = created(
      await behindProxy('POST', `/products/${productId}/invites`, {
        token: owner.token,
        body: { role: 'stakeholder' },
      }),
    );
    expect(invite.url).toBe(`https://refinery.example.org/invites/${invite.token}`);
  });

  it('a second user accepts the invite and joins with its role', async () => {
    const user = created(
      await call('POST', '/users', { body: { email: 'bo@example.com', displayName: 'Bo', password } }),
    );
    const token = created(await call('POST', '/tokens', { body: { email: 'bo@example.com', password } }));
    expect(token.name).toBe('API token');
    second = { id: user.id, token: token.token };
    const joined = await call('POST', `/invites/${inviteToken}/accept`, { token: second.token });
    expect(joined.status).toBe(200);
    expect(joined.json).toEqual({
      productId,
      productName: 'Harbour Scheduler',
      role: 'team_member',
      alreadyMember: false,
    });
    const again = await call('POST', `/invites/${inviteToken}/accept`, { token: second.token });
    expect(again.json).toMatchObject({ role: 'team_member', alreadyMember: true });
    const theirs = await call('GET', '/products', { token: second.token });
    expect(theirs.json.products).toEqual([expect.objectContaining({ id: productId, role: 'team_member' })]);
  });

  it('listMembers shows both members with their roles', async () => {
    const members = await call('GET', `/products/${productId}/members`, { token: second.token });
    expect(members.status).toBe(200);
    expect(members.json.members).toEqual([
      {
        userId: owner.id,
        displayName: 'Ada',
        email: 'ada@example.com',
        role: 'product_owner',
        joinedAt: expect.stringMatching(isoDate),
      },
      {
        userId: second.id,
        displayName: 'Bo',
        email: 'bo@example.com',
        role: 'team_member',
        joinedAt: expect.stringMatching(isoDate),
      },
    ]);
  });

  it('changeMemberRole lets the owner change a member’s role', async () => {
    const changed = await call('PATCH', `/products/${productId}/members/${second.id}`, {
      token: owner.token,
      body: { role: 'stakeholder' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ userId: second.id, role: 'stakeholder' });
    const product = await call('GET', `/products/${productId}`, { token: second.token });
    expect(product.json).toMatchObject({ role: 'stakeholder', memberCount: 2 });
  });

  it('removeMember takes the member out of the product', async () => {
    const removed = await call('DELETE', `/products/${productId}/members/${second.id}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    expect(removed.json).toBeUndefined();
    expect((await call('GET', '/products', { token: second.token })).json.products).toEqual([]);
    expect((await call('GET', `/products/${productId}`, { token: second.token })).status).toBe(404);
  });

  it('revokeToken ends a token for good: it then gets 401 with a Bearer challenge', async () => {
    const spare = created(
      await call('POST', '/tokens', { body: { email: 'ada@example.com', password, name: 'spare' } }),
    );
    expect((await call('GET', '/me', { token: spare.token })).status).toBe(200);
    const revoked = await call('DELETE', `/tokens/${spare.id}`, { token: owner.token });
    expect(revoked.status).toBe(204);
    const refused = await call('GET', '/me', { token: spare.token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json.detail).toMatch(/revoked/);
    // The other token is untouched, and a token can revoke itself.
    expect((await call('DELETE', `/tokens/${owner.tokenId}`, { token: owner.token })).status).toBe(204);
    expect((await call('GET', '/me', { token: owner.token })).status).toBe(401);
  });
});
