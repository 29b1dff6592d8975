import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';

/* Test helpers: real provider clients on a test server's live channel, with what the server told them. */

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
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

export interface LiveTestClient {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** the scope the server granted (read-write or readonly), once authenticated */
  scope: string | null;
  /** why the server refused the connection, if it did */
  refused: string | null;
  /** close codes of the socket, in order */
  closes: number[];
  stateless: string[];
  /** the server's answers to this client's updates: false when it did not apply one */
  syncStatuses: boolean[];
}

/**
 * Connects a provider to `documentName` on the server at `serverUrl` (http://…) with `token`. Without `reconnect`
 * it tries once; with it, it comes back after a close (with the same token). Destroy `provider` and `socket` after.
 */
export function connectLiveClient(
  serverUrl: string,
  documentName: string,
  token: string,
  opts: { reconnect?: boolean } = {},
): LiveTestClient {
  const socket = new HocuspocusProviderWebsocket({
    url: `${serverUrl.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
    maxAttempts: opts.reconnect ? 0 : 1,
    delay: 50,
    minDelay: 50,
    maxDelay: 200,
  });
  const client: LiveTestClient = {
    provider: undefined as unknown as HocuspocusProvider,
    socket,
    scope: null,
    refused: null,
    closes: [],
    stateless: [],
    syncStatuses: [],
  };
  socket.on('close', ({ event }: { event: { code: number } }) => client.closes.push(event.code));
  client.provider = new HocuspocusProvider({
    name: documentName,
    token,
    websocketProvider: socket,
    onAuthenticated: ({ scope }) => {
      client.scope = scope;
      client.refused = null;
    },
    onAuthenticationFailed: ({ reason }) => {
      client.refused = reason;
    },
    onStateless: ({ payload }) => client.stateless.push(payload),
    onMessage: ({ event }) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      // SyncStatus: address, type 8, flag
      const nameLength = bytes[0];
      if (bytes[1 + nameLength] === 8) client.syncStatuses.push(bytes[bytes.length - 1] === 1);
    },
  });
  client.provider.attach();
  return client;
}
