import type {
  afterLoadDocumentPayload,
  beforeHandleAwarenessPayload,
  Connection,
  Extension,
} from '@hocuspocus/server';
import { and, eq, isNull } from 'drizzle-orm';
import { parseDocumentName } from '../../app/domain/document-names';
import { type PresenceIdentity, vouchPresence } from '../../app/domain/presence';
import type { Db } from '../../db/client';
import { sessionParticipants, users } from '../../db/schema';
import type { Logger } from '../logger';
import type { CollabContext } from './auth-extension';
import { forgetDepartedClients } from './awareness-meta';

const isEmptyState = (state: unknown) =>
  typeof state === 'object' && state !== null && !Array.isArray(state) && Object.keys(state).length === 0;

/**
 * Presence in every kind of live document is vouched for by the server (app/domain/presence.ts): a connection may
 * only announce the state of its own Yjs client, in a few kilobytes, under the identity it connected with. States
 * it claims for other clients, and states over the cap, are dropped before anyone receives them.
 */
export class PresenceExtension implements Extension {
  extensionName = 'refinery-presence';

  /** the awareness client id each connection announced first: the only one it may speak for */
  private readonly owners = new WeakMap<Connection, number>();
  /** display names by user id, for a minute: awareness updates come with every caret move */
  private readonly names = new Map<string, { name: string; until: number }>();

  constructor(private readonly options: { db: Db; log: Logger }) {}

  /** A loaded document forgets the awareness clients that left, or it keeps one entry per client ever seen. */
  async afterLoadDocument({ document }: afterLoadDocumentPayload) {
    // Stops with the awareness: the listener is dropped when the document is destroyed at unload.
    forgetDepartedClients(document.awareness);
  }

  async beforeHandleAwareness({
    documentName,
    document,
    states,
    context,
    connection,
  }: beforeHandleAwarenessPayload<CollabContext>) {
    // Relayed from another copy (Redis) or the server's own: already vouched for where it came from.
    if (!connection || !context) return;
    const name = parseDocumentName(documentName);
    if (!name) {
      states.clear();
      return;
    }
    let identity: PresenceIdentity | null = null;
    for (const [clientId, state] of [...states]) {
      // An empty state says nothing. Hocuspocus 4.7 decodes each update into a scratch Awareness whose own
      // empty state comes along in `states`: dropped here, so it neither claims ownership nor reaches anyone.
      if (isEmptyState(state)) {
        states.delete(clientId);
        continue;
      }
      let owner = this.owners.get(connection);
      // The first client a connection speaks for is its own, unless another connection of the document has it.
      if (
        owner === undefined &&
        !document.getConnections().some((other) => this.owners.get(other) === clientId)
      ) {
        this.owners.set(connection, clientId);
        owner = clientId;
      }
      if (owner !== clientId) {
        states.delete(clientId);
        // A provider passes on the removal of others that timed out on its side: not worth a line.
        if (state !== null) {
          this.options.log.warn({
            event: 'collab_presence_refused',
            reason: 'not its own client',
            document: documentName,
            userId: context.userId,
          });
        }
        continue;
      }
      // Leaving (null) is always allowed for its own client.
      if (state === null) continue;
      identity ??= await this.identity(name, context, connection.readOnly);
      const verdict = vouchPresence(state, identity);
      if (!verdict.ok) {
        states.delete(clientId);
        this.options.log.warn({
          event: 'collab_presence_refused',
          reason: verdict.reason,
          document: documentName,
          userId: context.userId,
        });
        continue;
      }
      states.set(clientId, verdict.state);
    }
  }

  private async identity(
    name: NonNullable<ReturnType<typeof parseDocumentName>>,
    context: CollabContext,
    readOnly: boolean,
  ): Promise<PresenceIdentity> {
    switch (name.kind) {
      case 'item':
        return {
          kind: 'item',
          userId: context.userId,
          name: await this.displayName(context.userId),
          readOnly,
        };
      case 'session':
        return { kind: 'session', participant: await this.participant(name.id, context) };
      case 'product':
        return { kind: 'product' };
    }
  }

  /** The connection's participation in the session (a guest's token names it; an account may not have joined). */
  private async participant(
    sessionId: string,
    context: CollabContext,
  ): Promise<{ id: string; name: string } | null> {
    const guestId = context.userId.startsWith('guest:') ? context.userId.slice('guest:'.length) : null;
    const [row] = await this.options.db
      .select({
        id: sessionParticipants.id,
        guestName: sessionParticipants.guestName,
        userName: users.displayName,
      })
      .from(sessionParticipants)
      .leftJoin(users, eq(users.id, sessionParticipants.userId))
      .where(
        and(
          eq(sessionParticipants.sessionId, sessionId),
          guestId ? eq(sessionParticipants.id, guestId) : eq(sessionParticipants.userId, context.userId),
          isNull(sessionParticipants.removedAt),
        ),
      );
    return row ? { id: row.id, name: row.userName ?? row.guestName ?? 'Guest' } : null;
  }

  /** An account's display name, or a session guest's (`guest:<participant id>`, following a refinement's item). */
  private async displayName(userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached && cached.until > Date.now()) return cached.name;
    let name = cached?.name ?? 'Someone';
    const guestId = userId.startsWith('guest:') ? userId.slice('guest:'.length) : null;
    try {
      const [row] = guestId
        ? await this.options.db
            .select({ name: sessionParticipants.guestName })
            .from(sessionParticipants)
            .where(eq(sessionParticipants.id, guestId))
        : await this.options.db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
      if (row?.name) name = row.name;
    } catch (error) {
      // Presence must not fail with the database: an older name (or none) will do until the next update.
      this.options.log.warn({ event: 'item_presence_name_failed', userId, err: error });
      return name;
    }
    if (this.names.size > 10_000) this.names.clear();
    this.names.set(userId, { name, until: Date.now() + 60_000 });
    return name;
  }
}
