import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocumentName } from '../../app/domain/document-names';
import { verifyLiveToken } from '../../app/domain/signed-token';
import { roleIn } from '../../app/services/products.server';
import type { Db } from '../../db/client';
import type { Logger } from '../logger';

export interface CollabContext {
  userId: string;
  role: string;
}

/**
 * Refuses, before any document is loaded, a connection without a valid short-lived token or to a document of a
 * product the caller is not a member of. Product documents carry public state written by the server, so every
 * client connects to them read-only.
 */
export function authExtension({ db, secret, log }: { db: Db; secret: string; log: Logger }): Extension {
  return {
    extensionName: 'refinery-auth',
    async onAuthenticate({ token, documentName, connectionConfig }: onAuthenticatePayload): Promise<CollabContext> {
      const name = parseDocumentName(documentName);
      if (!name) {
        log.warn({ event: 'collab_refused', reason: 'unknown document' });
        throw new Error('Unknown document');
      }
      const verified = verifyLiveToken(secret, token);
      if (!verified.ok) {
        log.warn({ event: 'collab_refused', reason: verified.reason, document: documentName });
        throw new Error('Not authenticated');
      }
      if (verified.payload.kind !== 'user') throw new Error('Not allowed');
      const role = await roleIn(db, name.id, verified.payload.sub);
      if (!role) {
        log.warn({ event: 'collab_refused', reason: 'not a member', document: documentName, userId: verified.payload.sub });
        throw new Error('Not a member of this product');
      }
      connectionConfig.readOnly = true;
      return { userId: verified.payload.sub, role };
    },
  };
}
