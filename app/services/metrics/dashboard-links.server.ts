import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { backlogItems, dashboardLinks, products } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { authorize, isUuid } from '~/services/products.server';
import { hashToken, randomToken } from '~/services/secrets.server';

export const dashboardLinkSchema = z.strictObject({
  label: z
    .string({ message: 'Say who the link is for' })
    .trim()
    .min(1, 'Say who the link is for')
    .max(120, 'At most 120 characters'),
  expiresInDays: z
    .union([z.number(), z.string().regex(/^\d{1,3}$/, 'Expiry must be a number of days')], {
      message: 'Expiry must be a number of days',
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .int('Expiry must be a whole number of days')
        .min(1, 'Expiry must be 1 to 90 days')
        .max(90, 'Expiry must be 1 to 90 days'),
    )
    .default(30),
  /** items whose forecast the dashboard shows; empty: the top of the order */
  itemIds: z
    .array(z.uuid({ message: 'itemIds must be item ids' }))
    .max(50, 'At most 50 items')
    .default([]),
});

/** Creates a share link (product owner). The token is returned once; only its hash is kept. */
export async function createDashboardLink(
  db: Db,
  productId: string,
  actorId: string,
  input: z.output<typeof dashboardLinkSchema>,
) {
  await authorize(db, productId, actorId, 'product.manage');
  const itemIds = [...new Set(input.itemIds)];
  if (itemIds.length > 0) {
    const found = await db
      .select({ id: backlogItems.id })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), inArray(backlogItems.id, itemIds)));
    if (found.length !== itemIds.length)
      throw new AppError('invalid', 'Every chosen item must be an item of this product', {
        field: 'itemIds',
      });
  }
  const token = randomToken('dash_');
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const [row] = await db
    .insert(dashboardLinks)
    .values({
      productId,
      label: input.label,
      tokenHash: hashToken(token),
      itemIds,
      createdBy: actorId,
      expiresAt,
    })
    .returning({ id: dashboardLinks.id });
  return { id: row.id, label: input.label, token, expiresAt, itemIds };
}

export async function listDashboardLinks(db: Db, productId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  return db
    .select({
      id: dashboardLinks.id,
      label: dashboardLinks.label,
      itemIds: dashboardLinks.itemIds,
      createdAt: dashboardLinks.createdAt,
      expiresAt: dashboardLinks.expiresAt,
      revokedAt: dashboardLinks.revokedAt,
      lastUsedAt: dashboardLinks.lastUsedAt,
    })
    .from(dashboardLinks)
    .where(eq(dashboardLinks.productId, productId))
    .orderBy(desc(dashboardLinks.createdAt));
}

/** Revokes a link at once (product owner): the next request with it gets a clear page, not data. */
export async function revokeDashboardLink(db: Db, productId: string, actorId: string, linkId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  if (!isUuid(linkId)) throw new AppError('not_found', 'No such dashboard link');
  const [row] = await db
    .update(dashboardLinks)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(dashboardLinks.id, linkId),
        eq(dashboardLinks.productId, productId),
        isNull(dashboardLinks.revokedAt),
      ),
    )
    .returning({ id: dashboardLinks.id });
  if (!row) throw new AppError('not_found', 'No such dashboard link, or it is already revoked');
}

/** The product a share link opens; unknown, revoked and expired links are refused with a reason. */
export async function resolveDashboardLink(db: Db, token: string) {
  const [row] = await db
    .select({
      id: dashboardLinks.id,
      productId: dashboardLinks.productId,
      productName: products.name,
      label: dashboardLinks.label,
      itemIds: dashboardLinks.itemIds,
      expiresAt: dashboardLinks.expiresAt,
      revokedAt: dashboardLinks.revokedAt,
    })
    .from(dashboardLinks)
    .innerJoin(products, eq(products.id, dashboardLinks.productId))
    .where(eq(dashboardLinks.tokenHash, hashToken(token)));
  if (!row)
    throw new AppError('not_found', 'This dashboard link is not valid. Ask the product owner for a new one.');
  if (row.revokedAt)
    throw new AppError('gone', 'This dashboard link was revoked. Ask the product owner for a new one.');
  if (row.expiresAt <= new Date())
    throw new AppError('gone', 'This dashboard link has expired. Ask the product owner for a new one.');
  await db.update(dashboardLinks).set({ lastUsedAt: new Date() }).where(eq(dashboardLinks.id, row.id));
  return row;
}
