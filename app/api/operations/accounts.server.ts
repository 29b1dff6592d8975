import { z } from 'zod';
import { logInSchema, signUp, signUpSchema, verifyCredentials } from '~/services/accounts.server';
import { createApiToken, revokeApiToken, tokenNameSchema } from '~/services/api-tokens.server';
import { clientAddress } from '~/services/auth.server';
import { signUpWait, signUpWaitMessage } from '~/services/signup-limit.server';
import { AppError } from '~/domain/errors';
import { defineOperation } from '~/api/operation.server';
import { id, isoDateTime, userSchema } from '~/api/schemas.server';

export const signUpOperation = defineOperation({
  operationId: 'signUp',
  method: 'POST',
  path: '/users',
  summary: 'Create an account',
  description: 'Attempts are limited per client address (SIGNUPS_PER_HOUR): above it, 429 with Retry-After.',
  tag: 'Accounts',
  auth: 'none',
  params: {},
  body: signUpSchema,
  success: { status: 201, description: 'The new account', schema: userSchema },
  errors: [409, 429],
  async handler({ request, services, body }) {
    const wait = await signUpWait(services, clientAddress(request));
    if (wait !== null)
      throw new AppError('too_many_requests', signUpWaitMessage(wait), { retryAfterSeconds: wait });
    const user = await signUp(services.db, body);
    services.log.info({ event: 'signed_up', userId: user.id, via: 'api' });
    return user;
  },
});

const createTokenSchema = logInSchema.extend({
  name: tokenNameSchema
    .optional()
    .meta({ description: 'A label to recognise the token by; defaults to "API token"' }),
});

export const createTokenOperation = defineOperation({
  operationId: 'createToken',
  method: 'POST',
  path: '/tokens',
  summary: 'Create a personal API token from email and password',
  description:
    'The token is shown only in this response; only its hash is stored. Repeated failed attempts are slowed down ' +
    'per account-and-address pair and per address (429 with Retry-After), never per account alone.',
  tag: 'Tokens',
  auth: 'none',
  params: {},
  body: createTokenSchema,
  success: {
    status: 201,
    description: 'The new token; send it as Authorization: Bearer <token>',
    schema: z
      .object({ id, name: z.string(), token: z.string(), createdAt: isoDateTime })
      .meta({ title: 'CreatedToken' }),
  },
  errors: [401, 429],
  async handler({ request, services, body }) {
    const user = await verifyCredentials(services.db, body.email, body.password, clientAddress(request));
    const created = await createApiToken(services.db, user.id, body.name ?? 'API token');
    services.log.info({ event: 'api_token_created', userId: user.id, tokenId: created.id, via: 'api' });
    return created;
  },
});

export const revokeTokenOperation = defineOperation({
  operationId: 'revokeToken',
  method: 'DELETE',
  path: '/tokens/{tokenId}',
  summary: 'Revoke one of your API tokens (it may be the one making this call)',
  tag: 'Tokens',
  auth: 'token',
  params: { tokenId: { description: 'The token’s id, as returned by createToken', format: 'uuid' } },
  success: { status: 204, description: 'Revoked', schema: undefined },
  errors: [404],
  async handler({ services, user, params }) {
    await revokeApiToken(services.db, user.id, params.tokenId);
    services.log.info({ event: 'api_token_revoked', userId: user.id, via: 'api' });
  },
});

export const getMeOperation = defineOperation({
  operationId: 'getMe',
  method: 'GET',
  path: '/me',
  summary: 'The account the token belongs to',
  tag: 'Accounts',
  auth: 'token',
  params: {},
  success: { status: 200, description: 'The caller', schema: userSchema },
  errors: [],
  async handler({ user }) {
    return user;
  },
});
