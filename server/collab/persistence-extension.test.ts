import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { Hocuspocus } from '@hocuspocus/server';
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { itemDocument } from '../../app/domain/document-names';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import type { Database } from '../../db/client';
import { liveDocuments, liveUpdates } from '../../db/schema';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { authExtension } from './auth-extension';
import { PersistenceExtension } from './persistence-extension';
import { capturedLogger, flakyDatabase } from './update-log-testing';

const secret = 'persistence-test-secret-0123456789abcdef';

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The flag of a SyncStatus message (the server's answer to an update: applied or not), or null for others. */
function syncStatusOf(data: ArrayBuffer): boolean | null {
  const decoder = { bytes: new Uint8Array(data), pos: 0 };
  const readVarUint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = decoder.bytes[decoder.pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const nameLength = readVarUint();
  decoder.pos += nameLength;
  const syncStatus = 8;
  return readVarUint() === syncStatus ? decoder.bytes[decoder.pos] === 1 : null;
}

describe.each(testBackends)('durable collaborative text on %s', (kind) => {
  let database: Database;
  let flaky: ReturnType<typeof flakyDatabase>;
  let captured: ReturnType<typeof capturedLogger>;
  let hocuspocus: Hocuspocus;
  let persistence: PersistenceExtension;
  let http: Server;
  let url: string;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  /** while set, every write of the update log waits for it: an insert the database is slow to commit */
  let heldWrites: Promise<void> | null = null;
  const providers: HocuspocusProvider[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    flaky = flakyDatabase(database.db);
    const watched = new Proxy(flaky.db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'execute') return value;
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>)(...args);
          await heldWrites;
          return result;
        };
      },
    });
    captured = capturedLogger();
    persistence = new PersistenceExtension({
      db: watched,
      log: captured.log,
      retryDelayMs: 50,
      appendTimeoutMs: 300,
    });
    hocuspocus = new Hocuspocus({
      quiet: true,
      // Stores only when a document's last connection leaves, so each test sees exactly the writes it causes.
      debounce: 60_000,
      maxDebounce: 60_000,
      extensions: [authExtension({ db: database.db, secret, log: captured.log }), persistence],
    });
    // The same bridge as server/collab/index.ts: ws sockets handed to Hocuspocus.
    const wss = new WebSocketServer({ noServer: true });
    http = createServer();
    http.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => {
        const connection = hocuspocus.handleConnection(ws, new Request(`http://localhost${request.url}`), {});
        ws.on('message', (data: Buffer) => connection.handleMessage(new Uint8Array(data)));
        ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    heldWrites = null;
    flaky.state.down = false;
    for (const provider of providers.splice(0)) {
      provider.configuration.websocketProvider.destroy();
      provider.destroy();
    }
  });

  afterAll(async () => {
    hocuspocus?.closeConnections();
    persistence?.stop();
    http?.closeAllConnections();
    await new Promise((resolve) => http?.close(resolve));
    await database?.close();
  });

  async function newItemDocument() {
    const item = await createItem(database.db, team.productId, team.po, { title: 'Booking reminder' });
    return itemDocument(item.id);
  }

  function connect(name: string, userId: string) {
    const answers: boolean[] = [];
    const provider = new HocuspocusProvider({
      name,
      token: issueLiveToken(secret, userId, 'user'),
      websocketProvider: new HocuspocusProviderWebsocket({
        url,
        WebSocketPolyfill: WebSocket,
        // Reconnects after a refusal: long enough for the test to bring the database back first.
        delay: 300,
        minDelay: 300,
        jitter: false,
      }),
      onMessage: ({ event }) => {
        const applied = syncStatusOf(event.data as ArrayBuffer);
        if (applied !== null) answers.push(applied);
      },
    });
    provider.attach();
    providers.push(provider);
    return { provider, answers, body: provider.document.getText('body') };
  }

  const logOf = async (name: string) =>
    database.db
      .select()
      .from(liveUpdates)
      .where(eq(liveUpdates.documentName, name))
      .orderBy(asc(liveUpdates.id));
  const textOfUpdates = (updates: Uint8Array[], state?: Uint8Array) => {
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    for (const update of updates) Y.applyUpdate(doc, update);
    return doc.getText('body').toString();
  };
  const synced = (client: { provider: HocuspocusProvider }) =>
    client.provider.isSynced && client.provider.unsyncedChanges === 0;

  it("logs a writer's every update, acknowledges it only once logged, and folds the log when the last client leaves", async () => {
    const name = await newItemDocument();
    const writer = connect(name, team.po);
    await waitFor('the sync', () => synced(writer));

    for (const character of 'abc') {
      writer.body.insert(writer.body.length, character);
      await waitFor('the acknowledgement', () => synced(writer));
    }
    const rows = await logOf(name);
    expect(rows).toHaveLength(3);
    expect(textOfUpdates(rows.map((row) => row.update))).toBe('abc');

    writer.provider.configuration.websocketProvider.destroy();
    await waitFor('the unload', () => !hocuspocus.documents.has(name));
    expect(await logOf(name)).toEqual([]);
    const [snapshot] = await database.db.select().from(liveDocuments).where(eq(liveDocuments.name, name));
    expect(snapshot.throughUpdateId).toBe(rows[2].id);
    expect(textOfUpdates([], snapshot.state)).toBe('abc');
  });

  it('shows an update to the others at once, and tells its writer it is applied only once the log holds it', async () => {
    const name = await newItemDocument();
    const writer = connect(name, team.po);
    const reader = connect(name, team.stakeholder);
    await waitFor('the syncs', () => synced(writer) && reader.provider.isSynced);
    let release = () => {};
    heldWrites = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answered = writer.answers.length;
    writer.body.insert(0, 'slow to commit');

    await waitFor('the update at the reader', () => reader.body.toString() === 'slow to commit');
    // The insert is done but not answered yet: no acknowledgement, whatever else the writer received meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(writer.answers.length).toBe(answered);
    expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);

    release();
    await waitFor('the acknowledgement', () => synced(writer));
    expect(writer.answers.slice(answered)).toEqual([true]);
    expect(textOfUpdates((await logOf(name)).map((row) => row.update))).toBe('slow to commit');
  });

  it('loads a document from its snapshot and the log rows after it', async () => {
    const name = await newItemDocument();
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    author.getText('body').insert(0, 'Given ');
    await persistence.updates.append(name, updates[0]);
    await persistence.updates.compact(name);
    author.getText('body').insert(6, 'a patient');
    await persistence.updates.append(name, updates[1]);

    const reader = connect(name, team.stakeholder);
    await waitFor('the sync', () => reader.provider.isSynced);
    expect(reader.body.toString()).toBe('Given a patient');
  });

  it("does not log a read-only client's update, which Hocuspocus drops", async () => {
    const name = await newItemDocument();
    const reader = connect(name, team.stakeholder);
    const writer = connect(name, team.dev);
    await waitFor('the syncs', () => synced(writer) && reader.provider.isSynced);
    const answered = reader.answers.length;
    reader.body.insert(0, 'forged');
    await waitFor('the refusal of the edit', () => reader.answers.slice(answered).includes(false));
    writer.body.insert(0, 'real');
    await waitFor('the acknowledgement', () => synced(writer));

    const rows = await logOf(name);
    expect(textOfUpdates(rows.map((row) => row.update))).toBe('real');
    expect(hocuspocus.documents.get(name)?.getText('body').toString()).toBe('real');
  });

  it('keeps an update it cannot log yet unacknowledged, and logs and acknowledges it once the database is back', async () => {
    const name = await newItemDocument();
    const writer = connect(name, team.po);
    await waitFor('the sync', () => synced(writer));
    writer.body.insert(0, 'kept ');
    await waitFor('the acknowledgement', () => synced(writer));

    flaky.state.down = true;
    const answered = writer.answers.length;
    writer.body.insert(writer.body.length, 'typed while the database was away');
    await waitFor('a failed write', () => captured.events().includes('collab_log_append_failed'));
    // Longer than a store's wait for the log (appendTimeoutMs): still not acknowledged, and the document stays.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(writer.answers.length).toBe(answered);
    expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);
    expect(hocuspocus.documents.get(name)?.getText('body').toString()).toBe(
      'kept typed while the database was away',
    );
    flaky.state.down = false;

    await waitFor('the acknowledgement', () => synced(writer), 10_000);
    expect(writer.answers.slice(answered)).toEqual([true]);
    const rows = await logOf(name);
    const [snapshot] = await database.db.select().from(liveDocuments).where(eq(liveDocuments.name, name));
    expect(
      textOfUpdates(
        rows.map((row) => row.update),
        snapshot?.state,
      ),
    ).toBe('kept typed while the database was away');
    expect(captured.events()).not.toContain('collab_update_not_acknowledged');
  });

  it("keeps a document loaded while the server's own change is not logged, and logs and folds it once the database is back", async () => {
    const name = await newItemDocument();
    const direct = await hocuspocus.openDirectConnection(name, {});
    flaky.state.down = true;
    await direct.transact((doc) => doc.getText('body').insert(0, 'seeded by the server'));
    await direct.disconnect();
    await waitFor('a failed store', () => captured.events().includes('collab_store_failed'));
    expect(hocuspocus.documents.has(name)).toBe(true);
    expect(persistence.isDirty(name)).toBe(true);

    flaky.state.down = false;
    await waitFor('the retried store and the unload', () => !hocuspocus.documents.has(name), 10_000);
    expect(await logOf(name)).toEqual([]);
    const [snapshot] = await database.db.select().from(liveDocuments).where(eq(liveDocuments.name, name));
    expect(textOfUpdates([], snapshot.state)).toBe('seeded by the server');
  });
});
