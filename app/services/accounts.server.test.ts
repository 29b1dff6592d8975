import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { loginFailures, sessions, users } from '../../db/schema';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { AppError } from '~/domain/errors';
import { freeFailures } from '~/domain/login-throttle';
import {
  createLoginSession,
  deleteLoginSession,
  signUp,
  userForSession,
  verifyCredentials,
} from './accounts.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('accounts on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await signUp(database.db, { email: 'ada@example.com', displayName: 'Ada', password });
    const [row] = await database.db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(password);
  });

  it('refuses a second account with the same email with a conflict naming the field', async () => {
    const error = await signUp(database.db, {
      email: 'ada@example.com',
      displayName: 'Ada 2',
      password,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', extra: { field: 'email' } });
  });

  it('logs in with the right password and refuses a wrong one with the same message as an unknown email', async () => {
    const user = await verifyCredentials(database.db, 'ada@example.com', password, '10.0.0.1');
    expect(user.email).toBe('ada@example.com');
    const wrong = await verifyCredentials(database.db, 'ada@example.com', 'nope', '10.0.0.1').catch((e) => e);
    const unknown = await verifyCredentials(database.db, 'nobody@example.com', 'nope', '10.0.0.1').catch(
      (e) => e,
    );
    expect(wrong).toMatchObject({ code: 'unauthorized', detail: 'Email or password is wrong' });
    expect(unknown).toMatchObject({ code: 'unauthorized', detail: 'Email or password is wrong' });
  });

  it('does not lock the owner out when their account fails from many addresses, but slows each guessing address', async () => {
    await signUp(database.db, { email: 'bob@example.com', displayName: 'Bob', password });
    for (let i = 0; i < 30; i++) {
      await expect(
        verifyCredentials(database.db, 'bob@example.com', 'wrong', `10.1.0.${i}`),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    }
    // The owner, from an address of their own, is not refused for other addresses' failures.
    await expect(
      verifyCredentials(database.db, 'bob@example.com', password, '10.1.0.99'),
    ).resolves.toMatchObject({ email: 'bob@example.com' });
    // One address guessing the same account is slowed after the free failures, even with the right password
    // (so the attacker cannot tell a hit from a miss).
    for (let i = 0; i < 4; i++)
      await verifyCredentials(database.db, 'bob@example.com', 'wrong', '10.1.0.0').catch(() => {});
    const throttled = await verifyCredentials(database.db, 'bob@example.com', password, '10.1.0.0').catch(
      (e) => e,
    );
    expect(throttled).toMatchObject({ code: 'too_many_requests' });
    expect(throttled.extra.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('slows down one address trying many accounts', async () => {
    for (let i = 0; i < freeFailures.address; i++) {
      await expect(
        verifyCredentials(database.db, `guess${i}@example.com`, 'wrong', '10.2.0.1'),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    }
    await expect(
      verifyCredentials(database.db, 'ada@example.com', password, '10.2.0.1'),
    ).rejects.toMatchObject({ code: 'too_many_requests' });
    // Another address is not affected.
    await expect(
      verifyCredentials(database.db, 'ada@example.com', password, '10.2.0.2'),
    ).resolves.toMatchObject({ email: 'ada@example.com' });
  });

  it('forgets a pair’s failures after a successful login from that address, but not the address’s', async () => {
    await signUp(database.db, { email: 'cy@example.com', displayName: 'Cy', password });
    await verifyCredentials(database.db, 'cy@example.com', 'wrong', '10.3.0.1').catch(() => {});
    await verifyCredentials(database.db, 'cy@example.com', password, '10.3.0.1');
    const pair = await database.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.key, 'pair:10.3.0.1|cy@example.com'));
    expect(pair).toHaveLength(0);
    const address = await database.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.key, 'address:10.3.0.1'));
    expect(address).toMatchObject([{ failures: 1 }]);
  });

  it('ends a session for good when it is deleted (logout)', async () => {
    const user = await verifyCredentials(database.db, 'ada@example.com', password, '10.4.0.1');
    const session = await createLoginSession(database.db, user.id);
    expect(await userForSession(database.db, session.id)).toMatchObject({ id: user.id });
    await deleteLoginSession(database.db, session.id);
    expect(await userForSession(database.db, session.id)).toBeNull();
  });

  it('does not accept an expired session', async () => {
    const [user] = await database.db.select().from(users).limit(1);
    const session = await createLoginSession(database.db, user.id);
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, session.id));
    expect(await userForSession(database.db, session.id)).toBeNull();
  });
});

describe.each(testBackends)('login throttling under a parallel burst on %s', (kind) => {
  it('counts every attempt of a burst from one address, so at most the free attempts are checked', async () => {
    const database = await openTestDatabase(kind);
    try {
      await signUp(database.db, { email: 'burst@example.com', displayName: 'Burst', password });
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          verifyCredentials(database.db, 'burst@example.com', `guess-${i}`, '10.9.0.1'),
        ),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as AppError).code : 'ok'));
      expect(codes.filter((c) => c === 'unauthorized')).toHaveLength(5);
      expect(codes.filter((c) => c === 'too_many_requests')).toHaveLength(7);
    } finally {
      await database.close();
    }
  });
});
