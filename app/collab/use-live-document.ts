import { HocuspocusProvider } from '@hocuspocus/provider';
import { useFetchers, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { recordServerTime } from './server-clock';

/** connecting: first connection; live: synced; reconnecting: was live, lost the connection; offline: refused */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** A live token for the connection; its answer carries the server's time, which sets the room's clock offset. */
export async function liveToken(url = '/live-token'): Promise<string> {
  const sentAt = Date.now();
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  const receivedAt = Date.now();
  if (!response.ok) throw new Error(`live token: ${response.status}`);
  const body = (await response.json()) as { token?: string; serverNow?: number };
  recordServerTime(sentAt, body.serverNow, receivedAt);
  if (!body.token) throw new Error('live token: none in the answer');
  return body.token;
}

/**
 * Reloads the page's data when it is older than the latest change the server announced. `loadedAt` is the server
 * time at which the data on screen was read (taken before the reads); `announce(at)` passes the server time of a
 * change. Reloads are coalesced: nothing reloads while a navigation, a reload or a fetcher is under way (a
 * command's own reload follows it); once all is quiet, one reload covers every change announced meanwhile, and
 * none happens when data read after the change has arrived in between. So the author of a command loads once.
 */
export function useReloadWhenStale(loadedAt: number): (at: number | undefined) => void {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy =
    revalidator.state !== 'idle' || navigation.state !== 'idle' || fetchers.some((f) => f.state !== 'idle');
  const [wanted, setWanted] = useState(0);
  // The change a reload was last started for: a reload that failed is not retried until a newer change comes.
  const attempted = useRef(0);
  const { revalidate } = revalidator;
  useEffect(() => {
    if (busy || wanted <= loadedAt || attempted.current >= wanted) return;
    attempted.current = wanted;
    revalidate();
  }, [busy, wanted, loadedAt, revalidate]);
  const loadedAtRef = useRef(loadedAt);
  loadedAtRef.current = loadedAt;
  // A change without a time always counts as newer than the data on screen.
  const announce = useRef((at: number | undefined) =>
    setWanted((w) => Math.max(w, typeof at === 'number' ? at : loadedAtRef.current + 1)),
  );
  return announce.current;
}

/**
 * Follows a live document the server writes (read-only for this client) and reloads the page's data whenever
 * the map `mapName` announces a change (`version` bumped, `change.at` its server time) newer than that data.
 * The page's data comes from Postgres over HTTP; a room may draw the public fields the document carries before
 * its reload lands (decision 0029). A change announced before the connection was up, or while it was lost, is
 * caught at the next sync.
 *
 * Returns the connection status and the provider (null until connected), for awareness.
 */
export function useLiveDocument(
  documentName: string,
  mapName: string,
  loadedAt: number,
  /** where this browser gets its live token (a session guest's room has its own) */
  tokenUrl = '/live-token',
  /**
   * Whether an announced change can alter what this page shows (by default every change does). Asked only for
   * changes seen live: after a (re)connection the page reloads for the latest change whatever it was, since
   * others may have been missed meanwhile.
   */
  relevant?: (change: unknown, doc: Y.Doc) => boolean,
) {
  const announce = useReloadWhenStale(loadedAt);
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);

  useEffect(() => {
    let synced = false;
    let wasLive = false;
    setStatus('connecting');
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const live = new HocuspocusProvider({
      url: `${scheme}://${window.location.host}/collab`,
      name: documentName,
      // A function, so every reconnect fetches a fresh short-lived token.
      token: () => liveToken(tokenUrl),
      onStatus: ({ status: socket }) => {
        if (socket !== 'connected') {
          synced = false;
          setStatus((s) => (s === 'offline' ? s : wasLive ? 'reconnecting' : 'connecting'));
        }
      },
      onSynced: ({ state }) => {
        if (!state) return;
        const change = live.document.getMap(mapName).get('change') as { at?: number } | undefined;
        synced = true;
        wasLive = true;
        setStatus('live');
        // First sync, or back after a lost connection: a change after our data was read shows up now.
        if (change) announce(change.at);
      },
      onAuthenticationFailed: () => setStatus('offline'),
    });
    const map = live.document.getMap(mapName);
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (!synced || !event.keysChanged.has('version')) return;
      const change = map.get('change') as { at?: number } | undefined;
      if (relevantRef.current && !relevantRef.current(change, live.document)) return;
      announce(change?.at);
    };
    map.observe(onChange);
    setProvider(live);
    return () => {
      map.unobserve(onChange);
      setProvider(null);
      live.destroy();
    };
  }, [documentName, mapName, announce, tokenUrl]);

  return { status, provider };
}
