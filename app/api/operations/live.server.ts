import { z } from 'zod';
import { issueLiveToken } from '~/domain/signed-token';
import { defineOperation } from '~/api/operation.server';
import { isoDateTime } from '~/api/schemas.server';

/** How long a live token is good for: enough to connect (and reconnect a little later), no more. */
const liveTokenSeconds = 300;

export const createLiveTokenOperation = defineOperation({
  operationId: 'createLiveToken',
  method: 'POST',
  path: '/live-tokens',
  summary: 'A short-lived token for the live channel',
  description: [
    'Live documents are followed over a websocket, with a token that is good for five minutes (fetch a new one for',
    'each reconnect). Two ways in, on the same documents and rules (membership, read-only roles, size and presence',
    'limits): `/collab` speaks the Hocuspocus protocol (`HocuspocusProvider` with `token`), and',
    '`/yjs/<documentName>?token=<token>` speaks the standard y-websocket protocol (`WebsocketProvider` from',
    '`y-websocket` with `params: { token }`). Document names: `item:<itemId>` (the collaborative text of an item:',
    'fragments `description` and `criteria`; writable by the product owner and the team), `product:<productId>`',
    'and `session:<sessionId>` (public state written by the server; read-only). A removed member is disconnected at',
    'once.',
  ].join(' '),
  tag: 'Accounts',
  auth: 'token',
  params: {},
  success: {
    status: 201,
    description: 'The token and where to use it',
    schema: z.object({
      token: z.string(),
      expiresAt: isoDateTime,
      collabPath: z.string(),
      yjsPath: z.string(),
    }),
  },
  errors: [],
  async handler({ services, user }) {
    const token = issueLiveToken(services.secret, user.id, 'user', liveTokenSeconds);
    return {
      token,
      expiresAt: new Date(Date.now() + liveTokenSeconds * 1000),
      collabPath: '/collab',
      yjsPath: '/yjs/{documentName}',
    };
  },
});
