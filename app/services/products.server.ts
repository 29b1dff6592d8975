import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import { can, type InvitableRole, invitableRoles, type Permission, type Role } from '~/domain/roles';
import type { Db, Tx } from '../../db/client';
import { memberships, products, users } from '../../db/schema';

export const productInputSchema = z.object({
  name: z
    .string({ message: 'Name is required' })
    .trim()
    .min(1, 'Name is required')
    .max(120, 'Name must be at most 120 characters'),
  description: z.string().trim().max(2000, 'Description must be at most 2000 characters').default(''),
});
export type ProductInput = z.input<typeof productInputSchema>;

export interface ProductSummary {
  id: string;
  name: string;
  description: string;
  role: Role;
  createdAt: Date;
}

export async function createProduct(
  db: Db,
  userId: string,
  input: z.output<typeof productInputSchema>,
): Promise<ProductSummary> {
  return db.transaction(async (tx) => {
    const [product] = await tx
      .insert(products)
      .values({ name: input.name, description: input.description, createdBy: userId })
      .returning();
    await tx.insert(memberships).values({ productId: product.id, userId, role: 'product_owner' });
    return {
      id: product.id,
      name: product.name,
      description: product.description,
      role: 'product_owner' as const,
      createdAt: product.createdAt,
    };
  });
}

export async function listProducts(db: Db, userId: string): Promise<ProductSummary[]> {
  return db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      role: memberships.role,
      createdAt: products.createdAt,
    })
    .from(memberships)
    .innerJoin(products, eq(products.id, memberships.productId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(products.name));
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => uuid.test(value);

export async function roleIn(db: Db | Tx, productId: string, userId: string): Promise<Role | null> {
  if (!isUuid(productId)) return null;
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.productId, productId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

/** Each given user's role in a product, in one statement; non-members are absent. */
export async function rolesIn(db: Db | Tx, productId: string, userIds: readonly string[]) {
  const roles = new Map<string, Role>();
  if (!isUuid(productId) || userIds.length === 0) return roles;
  const rows = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.productId, productId), inArray(memberships.userId, [...userIds])));
  for (const row of rows) roles.set(row.userId, row.role);
  return roles;
}

/**
 * The one authorisation check for product-scoped commands. A non-member gets 404 (the product's existence
 * is not revealed); a member without the permission gets 403.
 */
export async function authorize(
  db: Db,
  productId: string,
  userId: string,
  permission: Permission,
): Promise<Role> {
  const role = await roleIn(db, productId, userId);
  if (!role) throw new AppError('not_found', 'No such product, or you are not a member of it');
  if (!can(role, permission)) {
    throw new AppError(
      'forbidden',
      `Your role (${role.replace('_', ' ')}) may not do this: it needs the product owner`,
    );
  }
  return role;
}

export async function getProduct(db: Db, productId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  const [product] = await db.select().from(products).where(eq(products.id, productId));
  const [{ members }] = await db
    .select({ members: count() })
    .from(memberships)
    .where(eq(memberships.productId, productId));
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    createdAt: product.createdAt,
    role,
    memberCount: members,
    /** percent of each sprint kept for technical debt; null when none is set */
    techDebtShare: product.techDebtShare,
  };
}

export interface Member {
  userId: string;
  displayName: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export async function listMembers(db: Db, productId: string, userId: string): Promise<Member[]> {
  await authorize(db, productId, userId, 'product.view');
  return db
    .select({
      userId: users.id,
      displayName: users.displayName,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.productId, productId))
    .orderBy(asc(memberships.role), asc(users.displayName));
}

export const changeRoleSchema = z.object({
  role: z.enum(invitableRoles, { message: 'Role must be team_member or stakeholder' }),
});

async function targetMembership(db: Db, productId: string, memberId: string) {
  if (!isUuid(memberId)) throw new AppError('not_found', 'No such member in this product');
  const [target] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.productId, productId), eq(memberships.userId, memberId)));
  if (!target) throw new AppError('not_found', 'No such member in this product');
  if (target.role === 'product_owner') {
    throw new AppError('conflict', 'The product owner cannot be changed or removed here', {
      field: 'userId',
    });
  }
  return target;
}

/** What a membership change needs: the database, and the live channel, whose open connections follow it. */
type MembershipServices = Pick<AppServices, 'db' | 'live'>;

export async function changeMemberRole(
  { db, live }: MembershipServices,
  productId: string,
  actorId: string,
  memberId: string,
  role: InvitableRole,
) {
  await authorize(db, productId, actorId, 'product.manage');
  await targetMembership(db, productId, memberId);
  const [updated] = await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.productId, productId), eq(memberships.userId, memberId)))
    .returning({ userId: memberships.userId });
  // A demotion takes effect on open live connections at once (a team member's item texts become read-only).
  if (updated) await live.accessChanged?.({ kind: 'member', productId, userId: memberId });
  const member = updated && (await listMembers(db, productId, actorId)).find((m) => m.userId === memberId);
  // Removed by someone else in between.
  if (!member) throw new AppError('not_found', 'No such member in this product');
  return member;
}

export async function removeMember(
  { db, live }: MembershipServices,
  productId: string,
  actorId: string,
  memberId: string,
): Promise<void> {
  await authorize(db, productId, actorId, 'product.manage');
  await targetMembership(db, productId, memberId);
  await db
    .delete(memberships)
    .where(and(eq(memberships.productId, productId), eq(memberships.userId, memberId)));
  // Their open live connections to the product's documents are closed at once, on every copy.
  await live.accessChanged?.({ kind: 'member', productId, userId: memberId });
}
