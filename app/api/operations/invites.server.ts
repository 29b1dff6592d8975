import { z } from 'zod';
import {
  acceptInvite,
  createInvite,
  inviteInputSchema,
  inviteUrl,
  revokeInvite,
} from '~/services/invites.server';
import { defineOperation } from '~/api/operation.server';
import { id, invitableRoleSchema, isoDateTime, roleSchema } from '~/api/schemas.server';

const productId = { description: 'The product’s id', format: 'uuid' } as const;

export const createInviteOperation = defineOperation({
  operationId: 'createInvite',
  method: 'POST',
  path: '/products/{productId}/invites',
  summary: 'Create an invite link for a role (product owner only)',
  description: 'The token and link are shown only in this response; only the token’s hash is stored.',
  tag: 'Invites',
  auth: 'token',
  params: { productId },
  body: inviteInputSchema,
  success: {
    status: 201,
    description: 'The invite, with the link to share',
    schema: z
      .object({ id, role: invitableRoleSchema, token: z.string(), url: z.url(), expiresAt: isoDateTime })
      .meta({ title: 'CreatedInvite' }),
  },
  errors: [403, 404],
  async handler({ request, services, user, params, body }) {
    const invite = await createInvite(services.db, params.productId, user.id, body);
    services.log.info({
      event: 'invite_created',
      productId: params.productId,
      inviteId: invite.id,
      role: invite.role,
      via: 'api',
    });
    return { ...invite, url: inviteUrl(request, services.config.PUBLIC_URL, invite.token) };
  },
});

export const revokeInviteOperation = defineOperation({
  operationId: 'revokeInvite',
  method: 'DELETE',
  path: '/products/{productId}/invites/{inviteId}',
  summary: 'Revoke an invite link (product owner only)',
  tag: 'Invites',
  auth: 'token',
  params: {
    productId,
    inviteId: { description: 'The invite’s id, as returned by createInvite', format: 'uuid' },
  },
  success: { status: 204, description: 'Revoked: the link now answers 410', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await revokeInvite(services.db, params.productId, user.id, params.inviteId);
    services.log.info({
      event: 'invite_revoked',
      productId: params.productId,
      inviteId: params.inviteId,
      via: 'api',
    });
  },
});

export const acceptInviteOperation = defineOperation({
  operationId: 'acceptInvite',
  method: 'POST',
  path: '/invites/{token}/accept',
  summary: 'Join a product with an invite token',
  description: 'A member who already belongs keeps their role. An expired or revoked invite answers 410.',
  tag: 'Invites',
  auth: 'token',
  params: { token: { description: 'The invite token (the last part of the invite link)' } },
  success: {
    status: 200,
    description: 'The product joined and your role in it',
    schema: z
      .object({ productId: id, productName: z.string(), role: roleSchema, alreadyMember: z.boolean() })
      .meta({ title: 'AcceptedInvite' }),
  },
  errors: [404, 410],
  async handler({ services, user, params }) {
    const joined = await acceptInvite(services.db, params.token, user.id);
    services.log.info({
      event: 'invite_accepted',
      productId: joined.productId,
      userId: user.id,
      role: joined.role,
      via: 'api',
    });
    return joined;
  },
});
