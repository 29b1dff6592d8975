import type { Connection, Hocuspocus } from '@hocuspocus/server';
import { z } from 'zod';
import type { AccessChange } from '../../app/context';
import { parseDocumentName } from '../../app/domain/document-names';
import type { Db } from '../../db/client';
import type { Logger } from '../logger';
import { type CollabContext, decideAccess } from './auth-extension';

/** An access change as another copy announces it (read from Redis: checked like any input). */
export const accessChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), productId: z.string().max(64), userId: z.string().max(64) }),
  z.object({ kind: z.literal('guest'), sessionId: z.string().max(64), participantId: z.string().max(64) }),
]);

/** Close code for a connection whose access changed: the provider reconnects and is told its new access. */
export const accessChangedClose = { code: 4403, reason: 'access-changed' } as const;

/** Whether a connection is one an access change is about. */
function concerns(change: AccessChange, documentName: string, context: CollabContext): boolean {
  if (change.kind === 'member')
    return context.productId === change.productId && context.userId === change.userId;
  const name = parseDocumentName(documentName);
  // A guest's connections: their session's document, and the item text a refinement guest follows.
  if (context.userId !== `guest:${change.participantId}`) return false;
  return (name?.kind === 'session' && name.id === change.sessionId) || name?.kind === 'item';
}

/**
 * Access follows membership, live (decision record 0020). When a member is removed or their role changes (or a
 * guest is removed from a session), every open connection of that person to that product's documents is decided
 * again as at connection time: one that lost its access, or may no longer write, stops writing at once (its
 * updates are dropped from then on) and its socket is closed, so the browser reconnects and learns its new
 * access (read-only, or refused). Other copies are told through Redis; and each copy checks every open
 * connection again every `sweepMs`, which bounds the delay when a notice is lost (Redis away).
 */
export class LiveAccess {
  private sweeper: NodeJS.Timeout | undefined;
  private relay: ((change: AccessChange) => void) | undefined;

  constructor(private readonly options: { db: Db; log: Logger; hocuspocus: Hocuspocus; sweepMs?: number }) {}

  /** Publishes changes to other copies through `publish`; changes they publish come in through `changed`. */
  relayThrough(publish: (change: AccessChange) => void) {
    this.relay = publish;
  }

  start() {
    const every = this.options.sweepMs ?? 30_000;
    this.sweeper = setInterval(() => void this.sweep(), every);
    this.sweeper.unref();
  }

  stop() {
    clearInterval(this.sweeper);
  }

  /** A change made on this copy: applied here at once, and passed on to the others. */
  async changed(change: AccessChange): Promise<void> {
    this.relay?.(change);
    await this.apply(change);
  }

  /** Decides again the access of every open connection the change is about. */
  async apply(change: AccessChange): Promise<void> {
    const affected: Array<{ documentName: string; connections: Connection[] }> = [];
    for (const document of this.options.hocuspocus.documents.values()) {
      const connections = document.getConnections().filter((connection) => {
        const context = connection.context as CollabContext | undefined;
        return context !== undefined && concerns(change, document.name, context);
      });
      if (connections.length > 0) affected.push({ documentName: document.name, connections });
    }
    await Promise.all(
      affected.map(({ documentName, connections }) => this.recheck(documentName, connections)),
    );
  }

  /**
   * Every open connection decided again (a notice from another copy may have been lost): once per person and
   * document, however many connections they hold, one after the other so the database is never flooded.
   */
  async sweep(): Promise<void> {
    const groups = new Map<string, { documentName: string; connections: Connection[] }>();
    for (const document of this.options.hocuspocus.documents.values()) {
      for (const connection of document.getConnections()) {
        const context = connection.context as CollabContext | undefined;
        if (!context?.tokenKind) continue;
        const key = `${document.name}\u0000${context.userId}`;
        const group = groups.get(key) ?? { documentName: document.name, connections: [] };
        group.connections.push(connection);
        groups.set(key, group);
      }
    }
    for (const { documentName, connections } of groups.values()) {
      try {
        await this.recheck(documentName, connections);
      } catch (error) {
        this.options.log.warn({ event: 'collab_access_check_failed', document: documentName, err: error });
      }
    }
  }

  /** Decides the access of one person to one document again, and applies it to their connections. */
  private async recheck(documentName: string, connections: Connection[]) {
    const context = connections[0]?.context as CollabContext | undefined;
    const name = parseDocumentName(documentName);
    if (!context?.tokenKind || !name) return;
    const subject = context.tokenKind === 'guest' ? context.userId.slice('guest:'.length) : context.userId;
    const decision = await decideAccess(this.options.db, name, { kind: context.tokenKind, id: subject });
    for (const connection of connections) {
      const lost = !decision.ok;
      const demoted = decision.ok && decision.readOnly && !connection.readOnly;
      if (!lost && !demoted) {
        if (decision.ok) (connection.context as CollabContext).role = decision.context.role;
        continue;
      }
      // Stops its writes now, whatever the socket does next.
      connection.readOnly = true;
      this.options.log.info({
        event: 'collab_access_revoked',
        document: documentName,
        userId: context.userId,
        outcome: lost ? 'removed' : 'read-only',
      });
      try {
        connection.webSocket.close(accessChangedClose.code, accessChangedClose.reason);
      } catch {
        // Already closing.
      }
    }
  }
}
