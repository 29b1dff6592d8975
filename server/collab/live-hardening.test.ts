import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { apiClient } from '../../app/api/test-harness.server';
import { itemDocument, sessionDocument } from '../../app/domain/document-names';
import { readItemText } from '../../app/domain/item-text';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { backlogItems, liveUpdates, liveUpdatesRefused, memberships } from '../../db/schema';
import { testBackends } from '../../db/test-database';
import type { RunningServer } from '../app-server';
import { createLogger } from '../logger';
import { startTestServer } from '../test-server';
import { connectLiveClient, type LiveTestClient as Client, waitFor } from './live-test-client';

// The live channel driven from outside, as an attacker would: real providers and raw frames on their sockets
// (issue 12: malformed updates, live access after removal or demotion, presence, document size, stale rows).
const maxDocumentBytes = 65_536;

/** A Hocuspocus sync frame carrying an update (or anything posing as one). */
function updateFrame(
  documentName: string,
  payload: Uint8Array,
  opts: { lengthField?: number } = {},
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, 0); // sync
  encoding.writeVarUint(encoder, 2); // update
  if (opts.lengthField !== undefined) {
    encoding.writeVarUint(encoder, opts.lengthField);
    encoding.writeUint8Array(encoder, payload);
  } else {
    encoding.writeVarUint8Array(encoder, payload);
  }
  return encoding.toUint8Array(encoder);
}

/** A Hocuspocus awareness frame: one client's state (the awareness update encoding of y-protocols). */
function awarenessFrame(documentName: string, clientId: number, state: unknown, clock = 1): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, 1); // awareness
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

describe.each(testBackends)('live channel hardening on %s', (kind) => {
  let running: Awaited<ReturnType<typeof startTestServer>>;
  let server: RunningServer;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const lines: Array<Record<string, unknown>> = [];
  const clients: Client[] = [];

  const db = () => server.database.db;
  const token = (userId: string) => issueLiveToken(server.services.secret, userId, 'user');

  function connect(name: string, liveToken: string, opts: { reconnect?: boolean } = {}): Client {
    const client = connectLiveClient(server.url, name, liveToken, opts);
    clients.push(client);
    return client;
  }

  const rawSocket = (client: Client) => (client.socket as unknown as { webSocket: WebSocket }).webSocket;

  const logged = (event: string) => lines.filter((line) => line.event === event);

  async function newItem(title: string, description = 'As a patient I want to book online.') {
    return createItem(db(), team.productId, team.po, { title, description, criteria: '' });
  }

  async function logRows(name: string) {
    return db().select({ id: liveUpdates.id }).from(liveUpdates).where(eq(liveUpdates.documentName, name));
  }

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    running = await startTestServer(
      kind,
      { LOG_LEVEL: 'info', MAX_LIVE_DOCUMENT_BYTES: String(maxDocumentBytes) },
      createLogger('info', sink),
    );
    server = running.server;
    team = await seedTeam(server.database.db);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.provider.destroy();
      client.socket.destroy();
    }
  });

  afterAll(async () => {
    await running?.stop();
  });

  describe('malformed updates', () => {
    const noise = new Uint8Array(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256));
    it.each([
      ['random bytes', (name: string) => updateFrame(name, noise)],
      ['a truncated update', (name: string) => updateFrame(name, truncatedUpdate())],
      [
        'a huge length field',
        (name: string) => updateFrame(name, new Uint8Array([1, 2, 3]), { lengthField: 2 ** 40 }),
      ],
    ])(
      'refuses %s before it is logged, closes the sender with 1007, and the document keeps loading',
      async (what, frameOf) => {
        const item = await newItem(`Malformed: ${what}`);
        const name = itemDocument(item.id);
        const writer = connect(name, token(team.dev));
        await waitFor('the sync', () => writer.provider.isSynced);
        expect(writer.scope).toBe('read-write');
        const frame = frameOf(name);
        rawSocket(writer).send(frame);
        await waitFor('the close', () => writer.closes.length > 0);
        expect(writer.closes[0]).toBe(1007);
        expect(logged('collab_frame_refused').some((line) => line.document === name)).toBe(true);

        // Everyone else still loads the document, now and after it is unloaded.
        writer.provider.destroy();
        writer.socket.destroy();
        await waitFor('the unload', () => !server.collab.hocuspocus.documents.has(name));
        const reader = connect(name, token(team.stakeholder));
        await waitFor('the reader sync', () => reader.provider.isSynced);
        expect(readItemText(reader.provider.document).description).toBe(
          'As a patient I want to book online.',
        );
        // Never logged: nothing had to be moved aside at the load, and no stored row holds the frame's bytes.
        expect(
          await db().select().from(liveUpdatesRefused).where(eq(liveUpdatesRefused.documentName, name)),
        ).toEqual([]);
        const rows = await db()
          .select({ update: liveUpdates.update })
          .from(liveUpdates)
          .where(eq(liveUpdates.documentName, name));
        expect(
          rows.some((row) => Buffer.from(frame).includes(Buffer.from(row.update)) && row.update.length > 2),
        ).toBe(false);
      },
    );

    it('loads a document whose log already holds a row that cannot be applied, moving that row aside', async () => {
      const item = await newItem('Poisoned log', 'Kept text');
      const name = itemDocument(item.id);
      const writer = connect(name, token(team.dev));
      await waitFor('the sync', () => writer.provider.isSynced);
      writer.provider.destroy();
      writer.socket.destroy();
      await waitFor('the unload', () => !server.collab.hocuspocus.documents.has(name));
      // A row written before updates were checked (an older version logged before applying).
      const poison = truncatedUpdate();
      await db().insert(liveUpdates).values({ documentName: name, update: poison });

      const reader = connect(name, token(team.stakeholder));
      await waitFor('the sync', () => reader.provider.isSynced);
      expect(readItemText(reader.provider.document).description).toBe('Kept text');
      const aside = await db()
        .select()
        .from(liveUpdatesRefused)
        .where(eq(liveUpdatesRefused.documentName, name));
      expect(aside).toHaveLength(1);
      expect(Buffer.from(aside[0].update).equals(Buffer.from(poison))).toBe(true);
      expect(logged('collab_update_moved_aside').some((line) => line.document === name)).toBe(true);
      // The bad row is out of the log: the next load does not meet it again.
      const rows = await db()
        .select({ update: liveUpdates.update })
        .from(liveUpdates)
        .where(eq(liveUpdates.documentName, name));
      expect(rows.some((row) => Buffer.from(row.update).equals(Buffer.from(poison)))).toBe(false);
    });
  });

  describe('live access follows membership', () => {
    it('closes a removed member at once: nothing more they send is stored, and they cannot come back', async () => {
      const local = await seedTeam(db(), 'Removal');
      const item = await createItem(db(), local.productId, local.po, {
        title: 'Shared text',
        description: 'Start',
        criteria: '',
      });
      const name = itemDocument(item.id);
      const member = connect(name, issueLiveToken(server.services.secret, local.dev, 'user'), {
        reconnect: true,
      });
      const watcher = connect(name, issueLiveToken(server.services.secret, local.po, 'user'));
      await waitFor('both synced', () => member.provider.isSynced && watcher.provider.isSynced);
      expect(member.scope).toBe('read-write');

      const api = apiClient(server.services);
      const { token: poToken } = await createApiToken(db(), local.po, 'test');
      const removed = await api('DELETE', `/products/${local.productId}/members/${local.dev}`, {
        token: poToken,
      });
      expect(removed.status).toBe(204);
      await waitFor('the member closed', () => member.closes.includes(4403));
      await waitFor('the member refused on reconnect', () => member.refused !== null);
      expect(
        logged('collab_access_revoked').some(
          (line) => line.userId === local.dev && line.outcome === 'removed',
        ),
      ).toBe(true);

      // Typing on after the removal reaches neither the server nor the others.
      const fragment = member.provider.document.getXmlFragment('description');
      fragment.insert(0, [new Y.XmlText('after removal')]);
      const doc = server.collab.hocuspocus.documents.get(name);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(JSON.stringify(doc?.getXmlFragment('description').toJSON())).not.toContain('after removal');
      expect(JSON.stringify(watcher.provider.document.getXmlFragment('description').toJSON())).not.toContain(
        'after removal',
      );
    });

    it('makes a demoted member read-only at once, and a new connection read-only too', async () => {
      const local = await seedTeam(db(), 'Demotion');
      const item = await createItem(db(), local.productId, local.po, {
        title: 'Demoted text',
        description: 'Start',
        criteria: '',
      });
      const name = itemDocument(item.id);
      const member = connect(name, issueLiveToken(server.services.secret, local.dev, 'user'), {
        reconnect: true,
      });
      await waitFor('synced', () => member.provider.isSynced);
      expect(member.scope).toBe('read-write');

      const api = apiClient(server.services);
      const { token: poToken } = await createApiToken(db(), local.po, 'test');
      const changed = await api('PATCH', `/products/${local.productId}/members/${local.dev}`, {
        token: poToken,
        body: { role: 'stakeholder' },
      });
      expect(changed.status).toBe(200);
      await waitFor('the member closed', () => member.closes.includes(4403));
      await waitFor('back, read-only', () => member.scope === 'readonly' && member.provider.isSynced);

      const fresh = connect(name, issueLiveToken(server.services.secret, local.dev, 'user'));
      await waitFor('fresh synced', () => fresh.provider.isSynced);
      expect(fresh.scope).toBe('readonly');
      const rowsBefore = (await logRows(name)).length;
      fresh.provider.document.getXmlFragment('description').insert(0, [new Y.XmlText('demoted typing')]);
      await waitFor('the refusal', () => fresh.syncStatuses.includes(false));
      expect((await logRows(name)).length).toBe(rowsBefore);
      const doc = server.collab.hocuspocus.documents.get(name);
      expect(JSON.stringify(doc?.getXmlFragment('description').toJSON())).not.toContain('demoted typing');
    });
  });

  it('the periodic check closes a member removed where no notice reached this copy', async () => {
    const local = await seedTeam(db(), 'Missed notice');
    const item = await createItem(db(), local.productId, local.po, {
      title: 'Swept',
      description: 'Start',
      criteria: '',
    });
    const member = connect(itemDocument(item.id), issueLiveToken(server.services.secret, local.dev, 'user'));
    await waitFor('synced', () => member.provider.isSynced);
    // Removed by another copy whose notice was lost (Redis away): only the database knows.
    await db()
      .delete(memberships)
      .where(and(eq(memberships.productId, local.productId), eq(memberships.userId, local.dev)));
    await server.collab.access.sweep();
    await waitFor('the member closed', () => member.closes.includes(4403));
  });

  describe('presence', () => {
    it('is vouched for by the server and capped: no one speaks for another client or under another name', async () => {
      const item = await newItem('Presence');
      const name = itemDocument(item.id);
      const honest = connect(name, token(team.po));
      const liar = connect(name, token(team.dev));
      await waitFor('both synced', () => honest.provider.isSynced && liar.provider.isSynced);
      honest.provider.setAwarenessField('user', { id: team.po, name: 'Olivia PO', color: '#1d4ed8' });
      liar.provider.setAwarenessField('user', { id: team.po, name: 'Olivia PO (really)', color: '#000000' });
      const liarId = liar.provider.document.clientID;
      await waitFor('the liar seen', () => honest.provider.awareness?.getStates().has(liarId) === true);
      const seen = honest.provider.awareness?.getStates().get(liarId) as {
        user: { id: string; name: string };
      };
      expect(seen.user.id).toBe(team.dev);
      expect(seen.user.name).toBe('Tom Dev');

      // Claiming the honest client's id, and a state of 1.9 MB, reach nobody.
      const honestId = honest.provider.document.clientID;
      rawSocket(liar).send(awarenessFrame(name, honestId, { user: { id: team.po, name: 'Hijacked' } }, 99));
      const huge = { user: { name: 'x' }, blob: 'x'.repeat(1_900_000) };
      rawSocket(liar).send(awarenessFrame(name, liarId, huge, 100));
      await waitFor('the oversized frame closed', () => liar.closes.includes(1009));
      expect(logged('collab_presence_refused').some((line) => line.reason === 'not its own client')).toBe(
        true,
      );
      const mine = honest.provider.awareness?.getStates().get(honestId) as { user: { name: string } };
      expect(mine.user.name).toBe('Olivia PO');
      const serverDoc = server.collab.hocuspocus.documents.get(name);
      const relayed = serverDoc?.awareness.getStates().get(honestId) as
        | { user?: { name: string } }
        | undefined;
      expect(relayed?.user?.name).not.toBe('Hijacked');
    });

    it('in a session room, a read-only guest cannot claim another participant or push a large state', async () => {
      const api = apiClient(server.services);
      const { token: poToken } = await createApiToken(db(), team.po, 'presence');
      const created = await api('POST', `/products/${team.productId}/sessions`, {
        token: poToken,
        body: {
          kind: 'prioritisation',
          title: 'Presence room',
          agenda: [(await newItem('Ranked')).id],
          methods: ['dots'],
        },
      });
      expect(created.status).toBe(201);
      const sessionId = created.json.id as string;
      const name = sessionDocument(sessionId);
      const guestId = '00000000-0000-4000-8000-000000000001';
      // A token for a participant id that is not in the session is refused outright.
      const stranger = connect(name, issueLiveToken(server.services.secret, guestId, 'guest'));
      await waitFor('the refusal', () => stranger.refused !== null);

      const watcher = connect(name, token(team.stakeholder));
      await waitFor('synced', () => watcher.provider.isSynced);
      expect(watcher.scope).toBe('readonly');
      watcher.provider.setAwarenessField('user', {
        participantId: 'someone-else',
        name: 'The product owner',
      });
      const watcherId = watcher.provider.document.clientID;
      const serverDoc = () => server.collab.hocuspocus.documents.get(name);
      await waitFor('the state arrived', () => serverDoc()?.awareness.getStates().has(watcherId) === true);
      // The stakeholder has not joined the session: they are nobody in its presence.
      expect(
        (serverDoc()?.awareness.getStates().get(watcherId) as { user?: unknown } | undefined)?.user,
      ).toBeNull();
      rawSocket(watcher).send(awarenessFrame(name, watcherId, { user: { name: 'x'.repeat(10_000) } }, 50));
      await waitFor('the capped state dropped', () =>
        logged('collab_presence_refused').some((line) => line.reason === 'too-large'),
      );
      expect(JSON.stringify(serverDoc()?.awareness.getStates().get(watcherId) ?? null)).not.toContain(
        'xxxxxxxxxx',
      );
    });
  });

  describe('document size', () => {
    it('refuses an update that grows an item text past the cap, with a notice, and keeps what was accepted', async () => {
      const item = await newItem('Big text', 'Accepted text');
      const name = itemDocument(item.id);
      const writer = connect(name, token(team.dev));
      await waitFor('synced', () => writer.provider.isSynced);
      const fragment = writer.provider.document.getXmlFragment('description');
      const paragraph = fragment.get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insert(0, 'x'.repeat(maxDocumentBytes));
      await waitFor('the notice', () => writer.stateless.length > 0);
      expect(JSON.parse(writer.stateless[0])).toEqual({
        type: 'document-too-large',
        limitBytes: maxDocumentBytes,
      });
      expect(writer.syncStatuses).toContain(false);
      expect(logged('collab_update_refused').some((line) => line.document === name)).toBe(true);
      const doc = server.collab.hocuspocus.documents.get(name);
      expect(readItemText(doc as Y.Doc).description).toBe('Accepted text');
      // Still connected: a small edit from a fresh editor goes through.
      const other = connect(name, token(team.po));
      await waitFor('synced', () => other.provider.isSynced);
      const run = (other.provider.document.getXmlFragment('description').get(0) as Y.XmlElement).get(
        0,
      ) as Y.XmlText;
      run.insert(run.length, ' and more');
      await waitFor(
        'the small edit applied',
        () => readItemText(doc as Y.Doc).description === 'Accepted text and more',
      );
    });
  });

  describe('after a crash', () => {
    it('projects a loaded text that differs from the item row at once, without waiting for an edit', async () => {
      const item = await newItem('Stale row', 'Old text');
      const name = itemDocument(item.id);
      const writer = connect(name, token(team.dev));
      await waitFor('synced', () => writer.provider.isSynced);
      const run = (writer.provider.document.getXmlFragment('description').get(0) as Y.XmlElement).get(
        0,
      ) as Y.XmlText;
      run.insert(run.length, ' and new text');
      await waitFor('projected', async () => {
        const [row] = await db()
          .select({ d: backlogItems.description })
          .from(backlogItems)
          .where(eq(backlogItems.id, item.id));
        return row.d === 'Old text and new text';
      });
      writer.provider.destroy();
      writer.socket.destroy();
      await waitFor('the unload', () => !server.collab.hocuspocus.documents.has(name));
      // As after kill -9: the log holds the edit, the row has the old text.
      await db().update(backlogItems).set({ description: 'Old text' }).where(eq(backlogItems.id, item.id));

      const reader = connect(name, token(team.stakeholder));
      await waitFor('synced', () => reader.provider.isSynced);
      await waitFor('projected on load', async () => {
        const [row] = await db()
          .select({ d: backlogItems.description })
          .from(backlogItems)
          .where(eq(backlogItems.id, item.id));
        return row.d === 'Old text and new text';
      });
    });
  });
});

/** A real update cut short: it does not decode. */
function truncatedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'a text long enough to cut in the middle');
  const update = Y.encodeStateAsUpdate(doc);
  return update.slice(0, Math.floor(update.length / 2));
}
