import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { loginFailures, sessions, users } from '../../db/schema';
import { AppError } from '~/domain/errors';
import {
  failureWindowSeconds,
  keysClearedBySuccess,
  throttleKeys,
  waitForAttempt,
} from '~/domain/login-throttle';
import { displayNameSchema, emailSchema, passwordSchema } from '~/domain/password-policy';
import { randomToken } from './secrets.server';

export const signUpSchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const logInSchema = z.object({
  email: emailSchema,
  password: z
    .string({ message: 'Password is required' })
    .min(1, 'Password is required')
    .max(200, 'Password is too long'),
});

export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
}

const publicColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
};

// OWASP's argon2id baseline (19 MiB, 2 passes): about 30 ms here, and it does not block the event loop.
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export async function signUp(db: Db, input: SignUpInput): Promise<PublicUser> {
  const passwordHash = await hash(input.password, argonOptions);
  const [user] = await db
    .insert(users)
    .values({ email: input.email, displayName: input.displayName, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning(publicColumns);
  if (!user) throw new AppError('conflict', 'An account with this email already exists', { field: 'email' });
  return user;
}

/**
 * Checks email and password, slowing down repeated failures per (account, address) pair and per address (see
 * domain/login-throttle: never per account alone, so nobody can lock an owner out by failing from elsewhere).
 * The same message for an unknown email and a wrong password, so accounts cannot be discovered.
 */
export async function verifyCredentials(
  db: Db,
  email: string,
  password: string,
  address: string,
): Promise<PublicUser> {
  const throttle = throttleKeys(email, address);
  const keys = throttle.map((k) => k.key).sort();
  // Attempts on one pair or from one address are serialised (advisory locks, held for the transaction, taken in
  // one order), so a burst of parallel guesses cannot all pass the check before the first failure is counted.
  const outcome = await db.transaction(async (tx) => {
    for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const now = new Date();
    const rows = await tx
      .select()
      .from(loginFailures)
      .where(
        sql`${loginFailures.key} in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
      );
    const wait = waitForAttempt(throttle, rows, now);
    if (wait > 0) return { kind: 'wait' as const, wait };
    const [row] = await tx.select().from(users).where(eq(users.email, email));
    const ok = row ? await verify(row.passwordHash, password).catch(() => false) : await burnTime(password);
    if (!row || !ok) {
      for (const key of keys) await recordFailure(tx, key, now);
      return { kind: 'wrong' as const };
    }
    for (const key of keysClearedBySuccess(email, address))
      await tx.delete(loginFailures).where(eq(loginFailures.key, key));
    return {
      kind: 'ok' as const,
      user: { id: row.id, email: row.email, displayName: row.displayName, createdAt: row.createdAt },
    };
  });
  if (outcome.kind === 'wait') {
    throw new AppError(
      'too_many_requests',
      `Too many failed attempts. Try again in ${outcome.wait} seconds.`,
      {
        retryAfterSeconds: outcome.wait,
      },
    );
  }
  if (outcome.kind === 'wrong') throw new AppError('unauthorized', 'Email or password is wrong');
  return outcome.user;
}

// Hash anyway for unknown emails so response time does not reveal whether an account exists.
async function burnTime(password: string): Promise<false> {
  await hash(password, argonOptions);
  return false;
}

async function recordFailure(db: Db | Tx, key: string, now: Date) {
  const windowStart = new Date(now.getTime() - failureWindowSeconds * 1000);
  await db
    .insert(loginFailures)
    .values({ key, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: loginFailures.key,
      set: {
        // postgres.js cannot bind a Date inside raw SQL: pass ISO text and cast.
        failures: sql`case when ${loginFailures.lastFailureAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${loginFailures.failures} + 1 end`,
        lastFailureAt: now,
      },
    });
}

export const sessionDays = 30;

export async function createLoginSession(db: Db, userId: string): Promise<{ id: string; expiresAt: Date }> {
  const id = randomToken();
  const expiresAt = new Date(Date.now() + sessionDays * 86_400_000);
  await db.insert(sessions).values({ id, userId, expiresAt });
  return { id, expiresAt };
}

export async function userForSession(db: Db, sessionId: string): Promise<PublicUser | null> {
  const [row] = await db
    .select(publicColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date())));
  return row ?? null;
}

export async function deleteLoginSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function getUser(db: Db, userId: string): Promise<PublicUser | null> {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, userId));
  return row ?? null;
}
