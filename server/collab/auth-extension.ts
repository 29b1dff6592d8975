import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { and, eq, isNull } from 'drizzle-orm';
import { type DocumentName, parseDocumentName } from '../../app/domain/document-names';
import { can } from '../../app/domain/roles';
import { verifyLiveToken } from '../../app/domain/signed-token';
import { roleIn } from '../../app/services/products.server';
import type { Db } from '../../db/client';
import { backlogItems, liveSessions, sessionParticipants } from '../../db/schema';
import type { Logger } from '../logger';

export interface CollabContext {
  userId: string;
  role: string;
}

/**
 * A refusal: the client receives `reason` (onAuthenticationFailed). It carries no message on purpose:
 * Hocuspocus prints the message of every hook error to stderr, and refusals are logged here as JSON instead.
 */
class Refused extends Error {
  constructor(readonly reason: 'unknown-document' | 'invalid-token' | 'token-expired' | 'forbidden') {
    super();
  }
}

/** The product a live document belongs to, or null when it does not exist. */
async function productOf(db: Db, name: DocumentName): Promise<string | null> {
  switch (name.kind) {
    case 'product':
      return name.id;
    case 'session': {
      const [row] = await db.select({ productId: liveSessions.productId }).from(liveSessions).where(eq(liveSessions.id, name.id));
      return row?.productId ?? null;
    }
    case 'item': {
      const [row] = await db.select({ productId: backlogItems.productId }).from(backlogItems).where(eq(backlogItems.id, name.id));
      return row?.productId ?? null;
    }
  }
}

/**
 * Refuses, before any document is loaded, a connection without a valid short-lived token or to a document of a
 * product the caller is not a member of. Product documents carry public state written by the server, so every
 * client connects to them read-only. Session documents too: every change to them is a command over HTTP.
 * Item documents hold collaborative text: writable for the roles that may edit items, read-only for the rest.
 */
export function authExtension({ db, secret, log }: { db: Db; secret: string; log: Logger }): Extension {
  return {
    extensionName: 'refinery-auth',
    async onAuthenticate({ token, documentName, connectionConfig }: onAuthenticatePayload): Promise<CollabContext> {
      const name = parseDocumentName(documentName);
      if (!name) {
        log.warn({ event: 'collab_refused', reason: 'unknown document' });
        throw new Refused('unknown-document');
      }
      const verified = verifyLiveToken(secret, token);
      if (!verified.ok) {
        log.warn({ event: 'collab_refused', reason: verified.reason, document: documentName });
        throw new Refused(verified.reason === 'expired' ? 'token-expired' : 'invalid-token');
      }
      const userId = verified.payload.sub;
      if (verified.payload.kind === 'guest') {
        // A guest sees the public state of their one session, read-only, and nothing else.
        const [guest] =
          name.kind === 'session'
            ? await db
                .select({ id: sessionParticipants.id })
                .from(sessionParticipants)
                .where(and(eq(sessionParticipants.id, userId), eq(sessionParticipants.sessionId, name.id), isNull(sessionParticipants.removedAt)))
            : [];
        if (!guest) {
          log.warn({ event: 'collab_refused', reason: 'guest outside their session', document: documentName, participantId: userId });
          throw new Refused('forbidden');
        }
        connectionConfig.readOnly = true;
        return { userId: `guest:${userId}`, role: 'guest' };
      }
      const productId = await productOf(db, name);
      const role = verified.payload.kind === 'user' && productId ? await roleIn(db, productId, userId) : null;
      if (!role) {
        log.warn({ event: 'collab_refused', reason: 'not a member', document: documentName, userId, kind: verified.payload.kind });
        throw new Refused('forbidden');
      }
      connectionConfig.readOnly = !(name.kind === 'item' && can(role, 'backlog.edit'));
      return { userId, role };
    },
  };
}
