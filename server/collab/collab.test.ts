import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { productDocument } from '../../app/domain/document-names';
import { issueLiveToken } from '../../app/domain/signed-token';
import { signUp } from '../../app/services/accounts.server';
import { createProduct } from '../../app/services/products.server';
import { openDatabase } from '../../db/client';
import { liveDocuments } from '../../db/schema';
import { createTestDatabaseUrl, testBackends } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { PersistenceExtension } from './persistence-extension';

const root = path.resolve(import.meta.dirname, '../..');
const maxMessageBytes = 64 * 1024;

/** Polls until `check` holds; fails with `what` after the timeout instead of hanging the suite. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads the flag of a SyncStatus message (the server's answer to a document update), or null for other messages. */
function syncStatusOf(data: ArrayBuffer): boolean | null {
  const bytes = new Uint8Array(data);
  let pos = 0;
  const readVarUint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const nameLength = readVarUint();
  pos += nameLength;
  const syncStatusType = 8;
  if (readVarUint() !== syncStatusType) return null;
  return bytes[pos] === 1;
}

interface Client {
  provider: HocuspocusProvider;
  /** why the server refused, once it has */
  refused: string | null;
  scope: string | null;
  /** the server's answers to this client's document updates: true applied, false dropped */
  syncStatuses: boolean[];
}

describe.each(testBackends)('live channel on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  let owner: { id: string };
  let outsider: { id: string };
  let product: { id: string };
  let otherProduct: { id: string };
  /** a product of the owner's that no test syncs, so refusals can show it was never loaded */
  let quietProduct: { id: string };
  let failingProduct: { id: string };
  const clients: Client[] = [];
  let loadDocument: MockInstance<PersistenceExtension['onLoadDocument']>;

  const loaded = (name: string) => loadDocument.mock.calls.some(([payload]) => payload.documentName === name);

  function connect(name: string, token: string | null): Client {
    const client: Client = {
      provider: undefined as unknown as HocuspocusProvider,
      refused: null,
      scope: null,
      syncStatuses: [],
    };
    const websocketProvider = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      maxAttempts: 1,
    });
    client.provider = new HocuspocusProvider({
      name,
      token,
      websocketProvider,
      onAuthenticated: ({ scope }) => {
        client.scope = scope;
      },
      onAuthenticationFailed: ({ reason }) => {
        client.refused = reason;
      },
      onMessage: ({ event }) => {
        const status = syncStatusOf(event.data as ArrayBuffer);
        if (status !== null) client.syncStatuses.push(status);
      },
    });
    client.provider.attach();
    clients.push(client);
    return client;
  }

  function close(client: Client) {
    const socket = client.provider.configuration.websocketProvider;
    client.provider.destroy();
    socket.destroy();
  }

  async function expectRefused(name: string, token: string | null, reason: string) {
    const client = connect(name, token);
    await waitFor('the refusal', () => client.refused !== null);
    expect(client.refused).toBe(reason);
    expect(client.provider.isSynced).toBe(false);
    expect(client.scope).toBeNull();
    expect(server.collab.hocuspocus.documents.has(name)).toBe(false);
    expect(loaded(name)).toBe(false);
    close(client);
  }

  beforeAll(async () => {
    loadDocument = vi.spyOn(PersistenceExtension.prototype, 'onLoadDocument');
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-collab-'));
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
      MAX_WS_MESSAGE_BYTES: String(maxMessageBytes),
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
    const db = server.database.db;
    owner = await signUp(db, {
      email: 'owner@example.com',
      displayName: 'Owner',
      password: 'correct horse battery',
    });
    outsider = await signUp(db, {
      email: 'outsider@example.com',
      displayName: 'Outsider',
      password: 'correct horse battery',
    });
    product = await createProduct(db, owner.id, { name: 'Harbor', description: '' });
    otherProduct = await createProduct(db, outsider.id, { name: 'Elsewhere', description: '' });
    quietProduct = await createProduct(db, owner.id, { name: 'Quiet', description: '' });
    failingProduct = await createProduct(db, owner.id, { name: 'Failing', description: '' });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) close(client);
  });

  afterAll(async () => {
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
    loadDocument.mockRestore();
  });

  const token = (userId: string) => issueLiveToken(server.services.secret, userId, 'user');

  it('lets a member with a valid token connect read-only and sync', async () => {
    const name = productDocument(product.id);
    const client = connect(name, token(owner.id));
    await waitFor('the sync', () => client.provider.isSynced);
    expect(client.refused).toBeNull();
    expect(client.scope).toBe('readonly');
    expect(server.collab.hocuspocus.documents.has(name)).toBe(true);
    // The same checks that show refused documents were never loaded.
    expect(loaded(name)).toBe(true);
  });

  it('refuses a connection without a token', async () => {
    await expectRefused(productDocument(quietProduct.id), null, 'invalid-token');
  });

  it('refuses a token signed with another secret', async () => {
    await expectRefused(
      productDocument(quietProduct.id),
      issueLiveToken('another secret of at least 32 chars!!', owner.id, 'user'),
      'invalid-token',
    );
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [, signature] = token(outsider.id).split('.');
    const [body] = token(owner.id).split('.');
    const outsidersSignatureOnOwnersBody = `${body}.${signature}`;
    await expectRefused(productDocument(quietProduct.id), outsidersSignatureOnOwnersBody, 'invalid-token');
    await expectRefused(productDocument(quietProduct.id), 'not-a-token', 'invalid-token');
  });

  it('refuses an expired token', async () => {
    const anHourAgo = Date.now() - 3600_000;
    await expectRefused(
      productDocument(quietProduct.id),
      issueLiveToken(server.services.secret, owner.id, 'user', 300, anHourAgo),
      'token-expired',
    );
  });

  it('refuses a guest token on a product document', async () => {
    await expectRefused(
      productDocument(quietProduct.id),
      issueLiveToken(server.services.secret, owner.id, 'guest'),
      'forbidden',
    );
  });

  it('refuses a valid token of a user who is not a member, before the document is loaded', async () => {
    await expectRefused(productDocument(otherProduct.id), token(owner.id), 'forbidden');
    await expectRefused(
      productDocument('00000000-0000-4000-8000-000000000000'),
      token(owner.id),
      'forbidden',
    );
  });

  it('refuses unknown document names before any document is loaded', async () => {
    for (const name of [
      `secret:${product.id}`,
      'product:not-a-uuid',
      `product:${product.id}:extra`,
      product.id,
    ]) {
      await expectRefused(name, token(owner.id), 'unknown-document');
    }
  });

  it("drops a client's edit to the read-only product document", async () => {
    const name = productDocument(product.id);
    const client = connect(name, token(owner.id));
    await waitFor('the sync', () => client.provider.isSynced);
    const answered = client.syncStatuses.length;
    client.provider.document.getMap('state').set('forged', true);
    // A late answer to the initial sync (true) may arrive first under load; the edit's answer is "not applied".
    await waitFor("the server's answer to the edit", () =>
      client.syncStatuses.slice(answered).includes(false),
    );
    expect(client.syncStatuses.slice(answered).filter((applied) => applied === false)).toEqual([false]);
    expect(server.collab.hocuspocus.documents.get(name)?.getMap('state').has('forged')).toBe(false);

    const later = connect(name, token(owner.id));
    await waitFor('the second sync', () => later.provider.isSynced);
    expect(later.provider.document.getMap('state').has('forged')).toBe(false);
  });

  it("delivers the server's published state to connected clients", async () => {
    const name = productDocument(product.id);
    const client = connect(name, token(owner.id));
    await waitFor('the sync', () => client.provider.isSynced);
    await server.services.live.update(name, (doc) => doc.getMap('state').set('phase', 'voting'));
    await waitFor(
      'the published state',
      () => client.provider.document.getMap('state').get('phase') === 'voting',
    );
  });

  it('closes a socket that sends a message over the limit with 1009, and keeps serving others', async () => {
    const name = productDocument(product.id);
    const client = connect(name, token(owner.id));
    await waitFor('the sync', () => client.provider.isSynced);

    const raw = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab`);
    await new Promise((resolve, reject) => {
      raw.once('open', resolve);
      raw.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
    raw.on('error', () => {});
    raw.send(Buffer.alloc(maxMessageBytes + 1));
    expect(await closed).toBe(1009);

    await server.services.live.update(name, (doc) => doc.getMap('state').set('after', 'oversize'));
    await waitFor(
      'the state published after',
      () => client.provider.document.getMap('state').get('after') === 'oversize',
    );
    expect(client.provider.isSynced).toBe(true);
  });

  // Last: it stops the server.
  it('writes every pending document store before stop() resolves, and never drops a document with unsaved changes', async () => {
    const debouncedName = productDocument(product.id);
    const racingName = productDocument(otherProduct.id);
    const failingName = productDocument(failingProduct.id);
    // A change whose store is still debounced (as after a client's typing), on a document a client holds open.
    const client = connect(debouncedName, token(owner.id));
    await waitFor('the sync', () => client.provider.isSynced);
    const direct = await server.collab.hocuspocus.openDirectConnection(debouncedName, {});
    await direct.transact((doc) => doc.getMap('state').set('pending', 'debounced'));
    expect(server.collab.hocuspocus.debouncer.isDebounced(`onStoreDocument-${debouncedName}`)).toBe(true);

    // A store that fails (database briefly away): the document stays in memory although no one holds it.
    const store = vi.spyOn(
      PersistenceExtension.prototype as unknown as { storeWithRetry: () => Promise<void> },
      'storeWithRetry',
    );
    store.mockRejectedValue(new Error('database unavailable (simulated by the test)'));
    await server.services.live.update(failingName, (doc) => doc.getMap('state').set('kept', 'in memory'));
    // The server's own connection stores on Hocuspocus's debounce, and once more when it closes after a quiet
    // moment: the stores fail, and the document stays in memory although no one holds it any more.
    const failing = () => server.collab.hocuspocus.documents.get(failingName);
    await waitFor(
      'the failed stores and the server letting go of the document',
      () => store.mock.calls.length >= 1 && failing()?.getConnectionsCount() === 0,
      15_000,
    );
    expect(failing()).toBeDefined();
    store.mockRestore(); // the database is back

    const stopping = server.stop();
    // A publisher update that starts while the server is stopping (an HTTP action still in flight).
    const racing = server.services.live.update(racingName, (doc) =>
      doc.getMap('state').set('racing', 'published'),
    );
    await stopping;
    await racing;
    store.mockRestore();

    const reopened = databaseUrl
      ? await openDatabase({ url: databaseUrl, max: 2 })
      : await openDatabase({ dataDir });
    try {
      const stateOf = async (name: string) => {
        const [row] = await reopened.db.select().from(liveDocuments).where(eq(liveDocuments.name, name));
        const doc = new Y.Doc();
        if (row) Y.applyUpdate(doc, row.state);
        return doc.getMap('state').toJSON();
      };
      expect(await stateOf(debouncedName)).toMatchObject({ pending: 'debounced' });
      expect(await stateOf(racingName)).toMatchObject({ racing: 'published' });
      expect(await stateOf(failingName)).toMatchObject({ kept: 'in memory' });
    } finally {
      await reopened.close();
    }
  });
});
