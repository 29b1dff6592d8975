import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { itemDocument } from '../../app/domain/document-names';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { createTestDatabaseUrl, testBackends } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';

// Issue 14: a long-lived server must not carry anything of a meeting into the next. Meetings of many participants
// (presence as the item editor sets it, one write each, then everyone leaves) on one document that someone keeps
// open throughout, so it stays loaded: after each meeting, what the server holds for that document is back to
// where it was before the first.
const root = path.resolve(import.meta.dirname, '../..');
const participants = 24;

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Client {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
}

const listenerCounts = (observable: unknown) =>
  Object.fromEntries(
    [...((observable as { _observers: Map<string, Set<unknown>> })._observers ?? new Map()).entries()].map(
      ([name, set]) => [name, set.size],
    ),
  );

describe.each(testBackends)('meetings on one long-lived server (%s)', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const clients: Client[] = [];

  function connect(name: string, userId: string): Client {
    const socket = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      maxAttempts: 1,
    });
    const provider = new HocuspocusProvider({
      name,
      token: issueLiveToken(server.services.secret, userId, 'user'),
      websocketProvider: socket,
    });
    provider.attach();
    const client = { provider, socket };
    clients.push(client);
    return client;
  }

  function leave(client: Client) {
    client.provider.destroy();
    client.socket.destroy();
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-meetings-'));
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const created = await createTestDatabaseUrl();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
    team = await seedTeam(server.database.db);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) leave(client);
  });

  afterAll(async () => {
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps no trace of a meeting once its participants have left: presence, connections and listeners back to before', async () => {
    const item = await createItem(server.database.db, team.productId, team.po, {
      title: 'Meeting after meeting',
    });
    const name = itemDocument(item.id);
    const { hocuspocus } = server.collab;
    // The product owner keeps the item open all along: the document stays loaded between meetings.
    const observer = connect(name, team.po);
    await waitFor('the observer sync', () => observer.provider.isSynced);
    observer.provider.setAwarenessField('user', { name: 'PO' });
    const document = () => {
      const loaded = hocuspocus.documents.get(name);
      if (!loaded) throw new Error('the document was unloaded');
      return loaded;
    };
    await waitFor('the observer presence', () => document().awareness.getStates().size === 1);
    const baseline = () => ({
      presenceStates: document().awareness.getStates().size,
      presenceClients: document().awareness.meta.size,
      connections: document().getConnectionsCount(),
      awarenessListeners: listenerCounts(document().awareness),
      documentListeners: listenerCounts(document()),
      serverConnections: hocuspocus.getConnectionsCount(),
    });
    const before = baseline();

    for (let meeting = 1; meeting <= 3; meeting++) {
      const room = Array.from({ length: participants }, (_, i) =>
        connect(name, i % 2 === 0 ? team.dev : team.po),
      );
      await waitFor(`meeting ${meeting}: everyone synced`, () => room.every((c) => c.provider.isSynced));
      for (const [i, { provider }] of room.entries()) {
        // What the item editor announces (app/collab/use-item-text.ts), then a keystroke with its caret.
        provider.setAwarenessField('user', { name: `P${i}` });
        provider.setAwarenessField('field', 'description');
        provider.setAwarenessField('typing', true);
        const fragment = provider.document.getXmlFragment('description');
        provider.document.transact(() => fragment.insert(0, [new Y.XmlText(`m${meeting}p${i} `)]));
        provider.setAwarenessField('cursor', { anchor: i, head: i });
      }
      await waitFor(
        `meeting ${meeting}: everyone present`,
        () => document().awareness.getStates().size === participants + 1,
      );
      await waitFor(
        `meeting ${meeting}: every write everywhere`,
        () => observer.provider.document.getXmlFragment('description').length >= meeting * participants,
      );
      for (const client of room) leave(client);
      await waitFor(
        `meeting ${meeting}: everyone gone`,
        () => document().getConnectionsCount() === before.connections,
      );
      await waitFor(
        `meeting ${meeting}: presence back`,
        () => document().awareness.getStates().size === before.presenceStates,
      );
      // Everything else is checked below; the clients that left are forgotten a moment after they left.
      await waitFor(
        `meeting ${meeting}: departed presence clients forgotten`,
        () => document().awareness.meta.size === before.presenceClients,
        5000,
      );
      expect(baseline(), `after meeting ${meeting}`).toEqual(before);
    }
  }, 90_000);
});
