import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { and, eq, isNull } from 'drizzle-orm';
import { type DocumentName, parseDocumentName } from '../../app/domain/document-names';
import { verifyLiveToken } from '../../app/domain/signed-token';
import { roleIn } from '../../app/services/products.server';
import type { Db } from '../../db/client';
import { backlogItems, liveSessions, sessionParticipants } from '../../db/schema';
import type { Logger } from '../logger';
import { mayEditText } from '../../app/domain/policies';

export interface CollabContext {
  userId: string;
  role: string;
  /** what the access was decided on, so it can be decided again when membership changes (live-access.ts) */
  tokenKind: 'user' | 'guest';
  productId: string | null;
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
      const [row] = await db
        .select({ productId: liveSessions.productId })
        .from(liveSessions)
        .where(eq(liveSessions.id, name.id));
      return row?.productId ?? null;
    }
    case 'item': {
      const [row] = await db
        .select({ productId: backlogItems.productId })
        .from(backlogItems)
        .where(eq(backlogItems.id, name.id));
      return row?.productId ?? null;
    }
  }
}

/**
 * A guest follows an item's text only while it is the current item of their refinement session, that session has
 * not ended, and they were not removed: what their room shows, nothing more. Always read-only (decideAccess).
 */
async function guestMayFollowItem(db: Db, participantId: string, itemId: string) {
  return db
    .select({ id: sessionParticipants.id })
    .from(sessionParticipants)
    .innerJoin(liveSessions, eq(liveSessions.id, sessionParticipants.sessionId))
    .where(
      and(
        eq(sessionParticipants.id, participantId),
        isNull(sessionParticipants.userId),
        isNull(sessionParticipants.removedAt),
        eq(liveSessions.kind, 'refinement'),
        eq(liveSessions.currentItemId, itemId),
        isNull(liveSessions.endedAt),
      ),
    );
}

export type AccessDecision =
  | { ok: true; context: CollabContext; readOnly: boolean }
  | { ok: false; reason: 'forbidden'; why: string };

/**
 * Who may open a live document, and whether they may write it. Product documents carry public state written by
 * the server, so every client connects to them read-only. Session documents too: every change to them is a
 * command over HTTP. Item documents hold collaborative text: writable for the roles that may edit items,
 * read-only for the rest. A guest sees the public state of their one session, read-only, and in a refinement the
 * text of its current item, read-only (guestMayFollowItem), and nothing else. Decided at connection and again
 * whenever the person's membership changes (and every sweep, so a guest stops following an item that is no longer
 * current within the sweep's bound).
 */
export async function decideAccess(
  db: Db,
  name: DocumentName,
  who: { kind: CollabContext['tokenKind']; id: string },
): Promise<AccessDecision> {
  if (who.kind === 'guest') {
    const [guest] =
      name.kind === 'session'
        ? await db
            .select({ id: sessionParticipants.id })
            .from(sessionParticipants)
            .where(
              and(
                eq(sessionParticipants.id, who.id),
                eq(sessionParticipants.sessionId, name.id),
                isNull(sessionParticipants.removedAt),
              ),
            )
        : name.kind === 'item'
          ? await guestMayFollowItem(db, who.id, name.id)
          : [];
    if (!guest) return { ok: false, reason: 'forbidden', why: 'guest outside their session' };
    return {
      ok: true,
      readOnly: true,
      context: { userId: `guest:${who.id}`, role: 'guest', tokenKind: 'guest', productId: null },
    };
  }
  const productId = await productOf(db, name);
  const role = productId ? await roleIn(db, productId, who.id) : null;
  if (!role) return { ok: false, reason: 'forbidden', why: 'not a member' };
  return {
    ok: true,
    readOnly: !(name.kind === 'item' && mayEditText(role)),
    context: { userId: who.id, role, tokenKind: who.kind, productId },
  };
}

/** Refuses, before any document is loaded, a connection without a valid short-lived token or without access. */
export function authExtension({ db, secret, log }: { db: Db; secret: string; log: Logger }): Extension {
  return {
    extensionName: 'refinery-auth',
    async onAuthenticate({
      token,
      documentName,
      connectionConfig,
    }: onAuthenticatePayload): Promise<CollabContext> {
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
      const decision = await decideAccess(db, name, {
        kind: verified.payload.kind,
        id: verified.payload.sub,
      });
      if (!decision.ok) {
        log.warn({
          event: 'collab_refused',
          reason: decision.why,
          document: documentName,
          userId: verified.payload.sub,
          kind: verified.payload.kind,
        });
        throw new Refused('forbidden');
      }
      connectionConfig.readOnly = decision.readOnly;
      return decision.context;
    },
  };
}
