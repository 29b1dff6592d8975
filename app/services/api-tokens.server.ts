import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { apiTokens, users } from '../../db/schema';
import { AppError } from '~/domain/errors';
import type { PublicUser } from './accounts.server';
import { isUuid } from './products.server';
import { hashToken, randomToken } from './secrets.server';

export const tokenNameSchema = z
  .string({ message: 'Token name is required' })
  .trim()
  .min(1, 'Token name is required')
  .max(80, 'Token name must be at most 80 characters');

export async function createApiToken(db: Db, userId: string, name: string) {
  const token = randomToken('rfy_');
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
  return { ...row, token };
}

export async function listApiTokens(db: Db, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(db: Db, userId: string, tokenId: string) {
  if (!isUuid(tokenId)) throw new AppError('not_found', 'No such token');
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (!row) throw new AppError('not_found', 'No such token');
}

/** The user behind a bearer token, or null for an unknown or revoked one. */
export async function userForApiToken(db: Db, token: string): Promise<PublicUser | null> {
  if (!token.startsWith('rfy_') || token.length > 200) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      createdAt: users.createdAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  const { tokenId: _, ...user } = row;
  return user;
}
