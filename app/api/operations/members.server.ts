import { z } from 'zod';
import { changeMemberRole, changeRoleSchema, listMembers, removeMember } from '~/services/products.server';
import { defineOperation } from '~/api/operation.server';
import { memberSchema } from '~/api/schemas.server';

const productId = { description: 'The product’s id', format: 'uuid' } as const;
const userId = { description: 'The member’s user id', format: 'uuid' } as const;

export const listMembersOperation = defineOperation({
  operationId: 'listMembers',
  method: 'GET',
  path: '/products/{productId}/members',
  summary: 'The members of a product and their roles',
  tag: 'Members',
  auth: 'token',
  params: { productId },
  success: { status: 200, description: 'The members', schema: z.object({ members: z.array(memberSchema) }) },
  errors: [404],
  async handler({ services, user, params }) {
    return { members: await listMembers(services.db, params.productId, user.id) };
  },
});

export const changeMemberRoleOperation = defineOperation({
  operationId: 'changeMemberRole',
  method: 'PATCH',
  path: '/products/{productId}/members/{userId}',
  summary: 'Change a member’s role (product owner only)',
  description: 'The product owner’s own membership cannot be changed here (409).',
  tag: 'Members',
  auth: 'token',
  params: { productId, userId },
  body: changeRoleSchema,
  success: { status: 200, description: 'The member with the new role', schema: memberSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const member = await changeMemberRole(services, params.productId, user.id, params.userId, body.role);
    services.log.info({
      event: 'member_role_changed',
      productId: params.productId,
      memberId: params.userId,
      role: body.role,
      via: 'api',
    });
    return member;
  },
});

export const removeMemberOperation = defineOperation({
  operationId: 'removeMember',
  method: 'DELETE',
  path: '/products/{productId}/members/{userId}',
  summary: 'Remove a member from a product (product owner only)',
  tag: 'Members',
  auth: 'token',
  params: { productId, userId },
  success: { status: 204, description: 'Removed', schema: undefined },
  errors: [403, 404, 409],
  async handler({ services, user, params }) {
    await removeMember(services, params.productId, user.id, params.userId);
    services.log.info({
      event: 'member_removed',
      productId: params.productId,
      memberId: params.userId,
      via: 'api',
    });
  },
});
