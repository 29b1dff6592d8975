import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { apiClient } from '../../app/api/test-harness.server';
import { itemDocument } from '../../app/domain/document-names';
import { readItemText } from '../../app/domain/item-text';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { createTestDatabaseUrl } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';

/**
 * Two servers on one Postgres and one Redis: live access follows membership on every copy, and a y-websocket
 * client on one copy edits with a Hocuspocus client on the other.
 */
const redisUrl = process.env.REDIS_URL;
const skipped = !redisUrl || !process.env.DATABASE_URL;
const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(skipped)('live access across copies (needs DATABASE_URL and REDIS_URL)', () => {
  const servers: RunningServer[] = [];
  const sockets: HocuspocusProviderWebsocket[] = [];
  const providers: HocuspocusProvider[] = [];
  let created: { url: string; drop(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    created = await createTestDatabaseUrl();
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-access-'));
    for (let copy = 0; copy < 2; copy++) {
      const parsed = parseConfig({
        NODE_ENV: 'test',
        PORT: '0',
        DATA_DIR: dataDir,
        DATABASE_URL: created.url,
        REDIS_URL: redisUrl,
        SESSION_SECRET: 'access-test-secret-0123456789abcdef0123',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'silent',
      });
      if (!parsed.ok) throw new Error(parsed.message);
      servers.push(await startServer(parsed.config, createLogger('silent'), { root }));
    }
  });

  afterEach(() => {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a removal made on one copy closes the removed member on the other at once', async () => {
    const [a, b] = servers;
    const db = a.database.db;
    const team = await seedTeam(db, 'Two copies');
    const item = await createItem(db, team.productId, team.po, {
      title: 'Shared',
      description: 'Start',
      criteria: '',
    });
    const name = itemDocument(item.id);
    const closes: number[] = [];
    let refused: string | null = null;
    let scope: string | null = null;
    const socket = new HocuspocusProviderWebsocket({
      url: `${b.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      delay: 50,
      minDelay: 50,
      maxDelay: 200,
    });
    socket.on('close', ({ event }: { event: { code: number } }) => closes.push(event.code));
    sockets.push(socket);
    const member = new HocuspocusProvider({
      name,
      token: issueLiveToken(b.services.secret, team.dev, 'user'),
      websocketProvider: socket,
      onAuthenticated: ({ scope: given }) => {
        scope = given;
      },
      onAuthenticationFailed: ({ reason }) => {
        refused = reason;
      },
    });
    member.attach();
    providers.push(member);
    await waitFor('synced on copy B', () => member.isSynced);
    expect(scope).toBe('read-write');

    const { token } = await createApiToken(db, team.po, 'remove');
    const removed = await apiClient(a.services)('DELETE', `/products/${team.productId}/members/${team.dev}`, {
      token,
    });
    expect(removed.status).toBe(204);
    await waitFor('copy B closed the member', () => closes.includes(4403));
    await waitFor('refused on reconnect', () => refused !== null);

    member.document.getXmlFragment('description').insert(0, [new Y.XmlText('after removal')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const onB = b.collab.hocuspocus.documents.get(name);
    expect(JSON.stringify(onB?.getXmlFragment('description').toJSON() ?? '')).not.toContain('after removal');
  });

  it('relays edits between a y-websocket client on one copy and a Hocuspocus client on the other', async () => {
    const [a, b] = servers;
    const db = a.database.db;
    const team = await seedTeam(db, 'Mixed clients');
    const item = await createItem(db, team.productId, team.po, {
      title: 'Mixed',
      description: 'Start',
      criteria: '',
    });
    const name = itemDocument(item.id);
    const doc = new Y.Doc();
    const y = new WebsocketProvider(`${b.url.replace(/^http/, 'ws')}/yjs`, name, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: issueLiveToken(b.services.secret, team.dev, 'user') },
      disableBc: true,
    });
    try {
      const socket = new HocuspocusProviderWebsocket({
        url: `${a.url.replace(/^http/, 'ws')}/collab`,
        WebSocketPolyfill: WebSocket,
      });
      sockets.push(socket);
      const hocus = new HocuspocusProvider({
        name,
        token: issueLiveToken(a.services.secret, team.po, 'user'),
        websocketProvider: socket,
      });
      hocus.attach();
      providers.push(hocus);
      await waitFor('both synced', () => y.synced && hocus.isSynced);
      const append = (target: Y.Doc, text: string) => {
        const run = (target.getXmlFragment('description').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        run.insert(run.length, text);
      };
      append(doc, ' from B');
      await waitFor('B to A', () => readItemText(hocus.document).description === 'Start from B');
      append(hocus.document, ' and A');
      await waitFor('A to B', () => readItemText(doc).description === 'Start from B and A');
    } finally {
      y.destroy();
    }
  });
});
