import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { apiClient } from '../../app/api/test-harness.server';
import { itemDocument } from '../../app/domain/document-names';
import { readItemText } from '../../app/domain/item-text';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { backlogItems } from '../../db/schema';
import { testBackends } from '../../db/test-database';
import type { RunningServer } from '../app-server';
import { startTestServer } from '../test-server';

// Standard y-websocket clients on /yjs/<documentName>: the real `WebsocketProvider`, beside Hocuspocus clients.

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Appends `text` to the first paragraph of the description, as an editor would. */
function typeInto(doc: Y.Doc, text: string) {
  const paragraph = doc.getXmlFragment('description').get(0) as Y.XmlElement;
  const run = paragraph.get(0) as Y.XmlText;
  run.insert(run.length, text);
}

describe.each(testBackends)('y-websocket clients on %s', (kind) => {
  let running: Awaited<ReturnType<typeof startTestServer>>;
  let server: RunningServer;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const cleanups: Array<() => void> = [];

  /** A live token as an API client gets one: POST /api/v1/live-tokens with a personal API token. */
  async function liveTokenFor(userId: string): Promise<string> {
    const { token } = await createApiToken(server.database.db, userId, 'live');
    const answer = await apiClient(server.services)('POST', '/live-tokens', { token });
    expect(answer.status).toBe(201);
    expect(answer.json.yjsPath).toBe('/yjs/{documentName}');
    return answer.json.token as string;
  }

  function yClient(documentName: string, token: string) {
    const doc = new Y.Doc();
    const closes: number[] = [];
    const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/yjs`, documentName, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    cleanups.push(() => provider.destroy());
    return { doc, provider, closes };
  }

  function hocuspocusClient(documentName: string, token: string) {
    const socket = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({ name: documentName, token, websocketProvider: socket });
    provider.attach();
    cleanups.push(() => {
      provider.destroy();
      socket.destroy();
    });
    return provider;
  }

  beforeAll(async () => {
    running = await startTestServer(kind);
    server = running.server;
    team = await seedTeam(server.database.db);
  });

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('follows and edits an item text with a team member’s token, both ways with Hocuspocus clients, stored', async () => {
    const item = await createItem(server.database.db, team.productId, team.po, {
      title: 'Y',
      description: 'Start',
      criteria: '',
    });
    const name = itemDocument(item.id);
    const y = yClient(name, await liveTokenFor(team.dev));
    await waitFor('the y-websocket sync', () => y.provider.synced);
    expect(readItemText(y.doc).description).toBe('Start');

    const hocus = hocuspocusClient(name, await liveTokenFor(team.po));
    await waitFor('the Hocuspocus sync', () => hocus.isSynced);
    typeInto(hocus.document, ' from Hocuspocus');
    await waitFor(
      'the edit at the y-websocket client',
      () => readItemText(y.doc).description === 'Start from Hocuspocus',
    );

    typeInto(y.doc, ' and y-websocket');
    await waitFor(
      'the edit at the Hocuspocus client',
      () => readItemText(hocus.document).description === 'Start from Hocuspocus and y-websocket',
    );
    // In Postgres too: the text reaches the item's row.
    await waitFor('the projection', async () => {
      const [row] = await server.database.db
        .select({ d: backlogItems.description })
        .from(backlogItems)
        .where(eq(backlogItems.id, item.id));
      return row.d === 'Start from Hocuspocus and y-websocket';
    });
  });

  it('keeps a stakeholder read-only: their edit reaches nobody', async () => {
    const item = await createItem(server.database.db, team.productId, team.po, {
      title: 'Read only',
      description: 'Fixed',
      criteria: '',
    });
    const name = itemDocument(item.id);
    const y = yClient(name, await liveTokenFor(team.stakeholder));
    await waitFor('the sync', () => y.provider.synced);
    const hocus = hocuspocusClient(name, await liveTokenFor(team.po));
    await waitFor('the Hocuspocus sync', () => hocus.isSynced);
    typeInto(y.doc, ' changed by a stakeholder');
    typeInto(hocus.document, '.');
    await waitFor('the owner’s edit back at the stakeholder', () =>
      readItemText(y.doc).description.includes('.'),
    );
    expect(readItemText(hocus.document).description).toBe('Fixed.');
    expect(readItemText(server.collab.hocuspocus.documents.get(name) as Y.Doc).description).toBe('Fixed.');
  });

  it('refuses a bad token, another product’s member and a malformed frame, closing the socket', async () => {
    const item = await createItem(server.database.db, team.productId, team.po, {
      title: 'Closed',
      description: 'x',
      criteria: '',
    });
    const name = itemDocument(item.id);
    const bad = yClient(name, 'not-a-token');
    await waitFor('the refusal', () => bad.closes.includes(4403));
    expect(bad.provider.synced).toBe(false);
    bad.provider.destroy();

    const outsiderTeam = await seedTeam(server.database.db, 'Elsewhere');
    const outsider = yClient(name, await liveTokenFor(outsiderTeam.dev));
    await waitFor('the refusal', () => outsider.closes.includes(4403));
    expect(outsider.provider.synced).toBe(false);
    expect(readItemText(outsider.doc).description).toBe('');
    outsider.provider.destroy();

    const member = yClient(name, await liveTokenFor(team.dev));
    await waitFor('the sync', () => member.provider.synced);
    // sync, update, then a length field far beyond the frame
    member.provider.ws?.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    await waitFor('the malformed frame refused', () => member.closes.includes(1007));
  });
});
