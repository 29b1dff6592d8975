import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { Hocuspocus } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  AuthMessageType,
  interceptSends,
  lightenPresenceFrames,
  localStorePayload,
  MessageType,
  outgoingType,
  sendFlushesTogether,
  storeNow,
  storeUnderWay,
  syncStatusApplied,
} from './hocuspocus-internals';
import { waitFor } from './live-test-client';

// Each use of Hocuspocus beyond its documented API, checked against the installed version: an upgrade that changes
// one fails here, by name, before the durability suites fail in more puzzling ways.

const cleanUps: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanUps.splice(0).reverse()) await clean();
});

describe('message types', () => {
  it('numbers messages as the frame guard, the durable log and the y-websocket bridge read them', () => {
    // y-protocols numbers sync 0, awareness 1, auth 2, query awareness 3: the bridge relies on Hocuspocus agreeing.
    expect([MessageType.Sync, MessageType.Awareness, MessageType.Auth, MessageType.QueryAwareness]).toEqual([
      0, 1, 2, 3,
    ]);
    expect(MessageType.SyncStatus).toBe(8);
    expect([AuthMessageType.Token, AuthMessageType.PermissionDenied]).toEqual([0, 1]);
  });

  it('reads the type of an outgoing message after its address, and a SyncStatus flag', () => {
    const message = (address: string, type: number, flag: number) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, address);
      encoding.writeVarUint(encoder, type);
      encoding.writeVarUint(encoder, flag);
      return encoding.toUint8Array(encoder);
    };
    const long = 'item:'.padEnd(300, 'x');
    expect(outgoingType(message(long, MessageType.SyncStatus, 1))).toBe(MessageType.SyncStatus);
    expect(syncStatusApplied(message('a', MessageType.SyncStatus, 1))).toBe(true);
    expect(syncStatusApplied(message('a', MessageType.SyncStatus, 0))).toBe(false);
    expect(outgoingType(new Uint8Array([]))).toBe(-1);
    expect(outgoingType(new Uint8Array([0x80]))).toBe(-1);
  });
});

/**
 * A Hocuspocus whose store hook waits for `release` (so a store can be seen under way) and counts stores; once the
 * test is over, stores pass straight through.
 */
async function startHocuspocus() {
  let release: () => void = () => {};
  let stores = 0;
  let holding = true;
  const hocuspocus = new Hocuspocus({
    debounce: 60_000,
    maxDebounce: 120_000,
    quiet: true,
    async onStoreDocument() {
      stores++;
      if (!holding) return;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  });
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  server.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Hocuspocus 4 leaves reading the socket to its host.
      const connection = hocuspocus.handleConnection(ws, new Request(`http://localhost${request.url}`), {});
      ws.on('message', (data: Buffer) => connection.handleMessage(new Uint8Array(data)));
      ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Runs first (clean-ups run newest first, and each test adds its own after this one): no store waits any more.
  const stopHolding = () => {
    holding = false;
    release();
  };
  cleanUps.push(
    () =>
      new Promise<void>((resolve) => {
        wss.close();
        server.close(() => resolve());
      }),
  );
  return {
    stopHolding,
    hocuspocus,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release: () => release(),
    stores: () => stores,
  };
}

describe('stores', () => {
  it('says when a store is waiting or running, starts one now, and builds a local store payload', async () => {
    const { hocuspocus, release, stores, stopHolding } = await startHocuspocus();
    const direct = await hocuspocus.openDirectConnection('doc-a', {});
    cleanUps.push(() => direct.disconnect());
    cleanUps.push(stopHolding);
    const document = hocuspocus.documents.get('doc-a')!;
    expect(storeUnderWay(hocuspocus, document)).toBe(false);

    await direct.transact((doc) => doc.getText('t').insert(0, 'hello'));
    // Debounced: waiting for its minute.
    expect(storeUnderWay(hocuspocus, document)).toBe(true);
    expect(stores()).toBe(0);

    // The public flush starts it; it stays under way while the hook runs.
    hocuspocus.flushPendingStores();
    await waitFor('the store hook to run', () => stores() === 1);
    expect(storeUnderWay(hocuspocus, document)).toBe(true);
    release();
    await waitFor('the store to finish', () => !storeUnderWay(hocuspocus, document));

    // storeNow runs the hooks at once, without a change.
    const stored = storeNow(hocuspocus, document);
    await waitFor('the second store', () => stores() === 2);
    expect(storeUnderWay(hocuspocus, document)).toBe(true);
    release();
    await stored;
    expect(storeUnderWay(hocuspocus, document)).toBe(false);

    const payload = localStorePayload(hocuspocus, document);
    expect(payload.documentName).toBe('doc-a');
    expect(payload.lastTransactionOrigin).toEqual({ source: 'local' });
  });
});

describe('intercepting what a connection sends', () => {
  it('sees the SyncStatus answer to a client update, and can hold it', async () => {
    const { hocuspocus, url } = await startHocuspocus();
    const seen: number[] = [];
    let heldAnswers: Array<() => void> = [];
    // Answers pass until the first sync is over (the provider counts the answer to its own sync too).
    let hold = false;
    hocuspocus.configure({
      async connected({ connection }) {
        interceptSends(connection, (message, send) => {
          const type = outgoingType(message);
          seen.push(type);
          if (hold && type === MessageType.SyncStatus) heldAnswers.push(() => send(message));
          else send(message);
        });
      },
    });
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: 'doc-b', token: 'any' });
    provider.attach();
    cleanUps.push(() => {
      provider.destroy();
      socket.destroy();
    });
    await waitFor('the sync', () => provider.isSynced && !provider.hasUnsyncedChanges);
    hold = true;
    seen.length = 0;

    provider.document.getText('t').insert(0, 'typed');
    await waitFor('the answer to the update', () => seen.includes(MessageType.SyncStatus));
    // Held: the provider still counts the update as unsent to the server.
    expect(provider.hasUnsyncedChanges).toBe(true);
    for (const answer of heldAnswers) answer();
    heldAnswers = [];
    await waitFor('the provider to count it stored', () => !provider.hasUnsyncedChanges);
  });
});

describe('sending what one flush has for a connection together', () => {
  /** A reader of `doc-f` whose server-side socket counts its system writes; the document, once loaded. */
  async function reader(together: boolean) {
    const { hocuspocus, url, stopHolding } = await startHocuspocus();
    cleanUps.push(stopHolding);
    let writes = 0;
    hocuspocus.configure({
      async afterLoadDocument({ document }) {
        if (together) sendFlushesTogether(document);
      },
      async connected({ connection }) {
        const socket = (connection.webSocket as unknown as { _socket: Record<string, unknown> })._socket;
        for (const method of ['_write', '_writev']) {
          const original = socket[method] as (...args: unknown[]) => void;
          socket[method] = (...args: unknown[]) => {
            writes += 1;
            original.apply(socket, args);
          };
        }
      },
    });
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: 'doc-f', token: 'any' });
    provider.attach();
    cleanUps.push(() => {
      provider.destroy();
      socket.destroy();
    });
    await waitFor('the sync', () => provider.isSynced && !provider.hasUnsyncedChanges);
    const document = hocuspocus.documents.get('doc-f');
    if (!document) throw new Error('not loaded');
    return { provider, document, writes: () => writes };
  }

  /** In one turn, as when a character and its caret arrive together: a document update and a presence change. */
  async function typeWithCaret(link: Awaited<ReturnType<typeof reader>>) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = link.writes();
    link.document.getText('t').insert(0, 'x');
    link.document.awareness.setLocalState({ cursor: { at: 1 } });
    await waitFor('the character and the caret at the reader', () => {
      const caret = [...(link.provider.awareness?.getStates().values() ?? [])].some(
        (state) => state.cursor?.at === 1,
      );
      return link.provider.document.getText('t').toString() === 'x' && caret;
    });
    return link.writes() - before;
  }

  it('writes the update and the caret of one turn to a socket at once, and both arrive', async () => {
    expect(await typeWithCaret(await reader(true))).toBe(1);
  });

  it('without it, Hocuspocus writes them one broadcast after the other (what it saves)', async () => {
    expect(await typeWithCaret(await reader(false))).toBe(2);
  });
});

describe('reading presence frames without a scratch Y.Doc', () => {
  it('hands the hooks only the states the client sent, applies what they keep, and passes it on', async () => {
    lightenPresenceFrames();
    lightenPresenceFrames();
    const { hocuspocus, url, stopHolding } = await startHocuspocus();
    cleanUps.push(stopHolding);
    const frames: Array<{ clients: number[]; source: unknown }> = [];
    hocuspocus.configure({
      async beforeHandleAwareness({ states, transactionOrigin }) {
        frames.push({
          clients: [...states.keys()],
          source: (transactionOrigin as { source?: unknown }).source,
        });
        // A rule of the kind the presence extension applies: a state it refuses never reaches anyone.
        for (const [client, state] of states)
          if ((state as { secret?: boolean }).secret) states.delete(client);
      },
    });
    const open = (name: string) => {
      const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
      const provider = new HocuspocusProvider({ websocketProvider: socket, name, token: 'any' });
      provider.attach();
      cleanUps.push(() => {
        provider.destroy();
        socket.destroy();
      });
      return provider;
    };
    const writer = open('doc-p');
    const reader = open('doc-p');
    await waitFor('both synced', () => writer.isSynced && reader.isSynced);
    const writerId = writer.document.clientID;
    const seenByReader = () => reader.awareness?.getStates().get(writerId);

    writer.awareness?.setLocalState({ user: 'Ada', caret: 1 });
    await waitFor('the caret at the reader', () => seenByReader()?.caret === 1);
    expect(hocuspocus.documents.get('doc-p')?.awareness.getStates().get(writerId)).toEqual({
      user: 'Ada',
      caret: 1,
    });
    // Each frame's hook saw the one client that spoke, from its connection: no scratch presence of the server's own.
    const fromWriter = frames.filter((frame) => frame.clients.includes(writerId));
    expect(fromWriter.length).toBeGreaterThan(0);
    for (const frame of fromWriter) expect(frame).toEqual({ clients: [writerId], source: 'connection' });

    // A refused state is applied nowhere; the next allowed one (a later clock) is.
    writer.awareness?.setLocalState({ user: 'Ada', caret: 2, secret: true });
    writer.awareness?.setLocalState({ user: 'Ada', caret: 3 });
    await waitFor('the third caret at the reader', () => seenByReader()?.caret === 3);
    expect(hocuspocus.documents.get('doc-p')?.awareness.getStates().get(writerId)).toEqual({
      user: 'Ada',
      caret: 3,
    });
  });
});
