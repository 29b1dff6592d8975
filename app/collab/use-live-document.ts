import { HocuspocusProvider } from '@hocuspocus/provider';
import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';

/** connecting: first connection; live: synced; reconnecting: was live, lost the connection; offline: refused */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export async function liveToken(): Promise<string> {
  const response = await fetch('/live-token', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`live token: ${response.status}`);
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error('live token: none in the answer');
  return body.token;
}

/**
 * Reloads the page's data on request, coalesced: requests that arrive while a reload runs cause exactly one more
 * reload after it, however many there were.
 */
export function useCoalescedRevalidate(): () => void {
  const revalidator = useRevalidator();
  const reload = useRef({ revalidate: revalidator.revalidate, busy: false, again: false });
  reload.current.revalidate = revalidator.revalidate;
  reload.current.busy = revalidator.state !== 'idle';
  useEffect(() => {
    if (revalidator.state === 'idle' && reload.current.again) {
      reload.current.again = false;
      reload.current.revalidate();
    }
  }, [revalidator.state]);
  const request = useRef(() => {
    if (reload.current.busy) reload.current.again = true;
    else reload.current.revalidate();
  });
  return request.current;
}

/**
 * Follows a live document the server writes (read-only for this client) and reloads the page's data whenever
 * the server announces a new `version` in the map `mapName`. What the page shows always comes from Postgres over
 * HTTP; the document only says "something changed". `loadedAt` is the server time of the data on screen: a change
 * announced after it but before the connection was up still triggers a reload, and so does a change missed
 * while the connection was lost.
 *
 * Returns the connection status and the provider (null until connected the first time), for awareness.
 */
export function useLiveDocument(documentName: string, mapName: string, loadedAt: number) {
  const request = useCoalescedRevalidate();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const loadedAtRef = useRef(loadedAt);
  loadedAtRef.current = loadedAt;

  useEffect(() => {
    let synced = false;
    let wasLive = false;
    let seenVersion: unknown;
    setStatus('connecting');
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const live = new HocuspocusProvider({
      url: `${scheme}://${window.location.host}/collab`,
      name: documentName,
      // A function, so every reconnect fetches a fresh short-lived token.
      token: liveToken,
      onStatus: ({ status: socket }) => {
        if (socket !== 'connected') {
          synced = false;
          setStatus((s) => (s === 'offline' ? s : wasLive ? 'reconnecting' : 'connecting'));
        }
      },
      onSynced: ({ state }) => {
        if (!state) return;
        const map = live.document.getMap(mapName);
        const version = map.get('version');
        const change = map.get('change') as { at?: number } | undefined;
        // First sync: reload only if something changed after our data was read. Later syncs (after a lost
        // connection): reload if the version moved while we were away.
        const missed = wasLive ? version !== seenVersion : (change?.at ?? 0) > loadedAtRef.current;
        seenVersion = version;
        synced = true;
        wasLive = true;
        setStatus('live');
        if (missed) request();
      },
      onAuthenticationFailed: () => setStatus('offline'),
    });
    const map = live.document.getMap(mapName);
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (!synced || !event.keysChanged.has('version')) return;
      const version = map.get('version');
      if (version === seenVersion) return;
      seenVersion = version;
      request();
    };
    map.observe(onChange);
    setProvider(live);
    return () => {
      map.unobserve(onChange);
      setProvider(null);
      live.destroy();
    };
  }, [documentName, mapName, request]);

  return { status, provider };
}
