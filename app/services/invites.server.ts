import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { invites, memberships, products } from '../../db/schema';
import { AppError } from '~/domain/errors';
import { type InvitableRole, invitableRoles } from '~/domain/roles';
import { authorize, isUuid } from './products.server';
import { hashToken, randomToken } from './secrets.server';

export const inviteInputSchema = z.object({
  role: z.enum(invitableRoles, { message: 'Role must be team_member or stakeholder' }),
  // A number (API) or digits (form field); nothing else is read as a number of days.
  expiresInDays: z
    .union([z.number(), z.string().regex(/^\d{1,3}$/, 'Expiry must be a number of days')], {
      message: 'Expiry must be a number of days',
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .int('Expiry must be a whole number of days')
        .min(1, 'Expiry must be 1 to 30 days')
        .max(30, 'Expiry must be 1 to 30 days'),
    )
    .default(7),
});

export interface CreatedInvite {
  id: string;
  role: InvitableRole;
  token: string;
  expiresAt: Date;
}

export async function createInvite(
  db: Db,
  productId: string,
  actorId: string,
  input: z.output<typeof inviteInputSchema>,
): Promise<CreatedInvite> {
  await authorize(db, productId, actorId, 'product.manage');
  const token = randomToken('inv_');
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const [row] = await db
    .insert(invites)
    .values({ productId, role: input.role, tokenHash: hashToken(token), createdBy: actorId, expiresAt })
    .returning({ id: invites.id });
  return { id: row.id, role: input.role, token, expiresAt };
}

export async function listOpenInvites(db: Db, productId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  return db
    .select({
      id: invites.id,
      role: invites.role,
      expiresAt: invites.expiresAt,
      createdAt: invites.createdAt,
    })
    .from(invites)
    .where(
      and(eq(invites.productId, productId), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())),
    )
    .orderBy(desc(invites.createdAt));
}

export async function revokeInvite(
  db: Db,
  productId: string,
  actorId: string,
  inviteId: string,
): Promise<void> {
  await authorize(db, productId, actorId, 'product.manage');
  if (!isUuid(inviteId)) throw new AppError('not_found', 'No such invite');
  const [row] = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, inviteId), eq(invites.productId, productId)))
    .returning({ id: invites.id });
  if (!row) throw new AppError('not_found', 'No such invite');
}

/** What an invite link shows before it is accepted. Refuses unknown, revoked and expired links with a reason. */
export async function describeInvite(db: Db, token: string) {
  const [row] = await db
    .select({
      id: invites.id,
      productId: invites.productId,
      productName: products.name,
      role: invites.role,
      expiresAt: invites.expiresAt,
      revokedAt: invites.revokedAt,
    })
    .from(invites)
    .innerJoin(products, eq(products.id, invites.productId))
    .where(eq(invites.tokenHash, hashToken(token)));
  if (!row)
    throw new AppError('not_found', 'This invite link is not valid. Ask the product owner for a new one.');
  if (row.revokedAt)
    throw new AppError('gone', 'This invite link was revoked. Ask the product owner for a new one.');
  if (row.expiresAt <= new Date())
    throw new AppError('gone', 'This invite link has expired. Ask the product owner for a new one.');
  return row;
}

/** Joins the product with the invite's role. A member who already belongs keeps their role. */
export async function acceptInvite(db: Db, token: string, userId: string) {
  const invite = await describeInvite(db, token);
  const [existing] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.productId, invite.productId), eq(memberships.userId, userId)));
  if (existing)
    return {
      productId: invite.productId,
      productName: invite.productName,
      role: existing.role,
      alreadyMember: true,
    };
  await db
    .insert(memberships)
    .values({ productId: invite.productId, userId, role: invite.role })
    .onConflictDoNothing();
  return {
    productId: invite.productId,
    productName: invite.productName,
    role: invite.role,
    alreadyMember: false,
  };
}

/** The link the product owner copies: on PUBLIC_URL when set (behind a proxy), else on the request's origin. */
export function inviteUrl(request: Request, publicUrl: string | undefined, token: string) {
  return `${new URL(publicUrl ?? request.url).origin}/invites/${token}`;
}
