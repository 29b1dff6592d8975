import { HocuspocusProvider } from '@hocuspocus/provider';
import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { productDocument } from '~/domain/document-names';

/** connecting: first connection; live: synced; reconnecting: was live, lost the connection; offline: refused */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

async function liveToken(): Promise<string> {
  const response = await fetch('/live-token', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`live token: ${response.status}`);
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error('live token: none in the answer');
  return body.token;
}

/**
 * Keeps a backlog view current: connects (read-only) to the product's live document and reloads the page's data
 * whenever the server announces a new backlog version. The order itself always comes from Postgres over HTTP;
 * the live document only says "something changed". `loadedAt` is the server time of the data on screen: a change
 * announced after it but before the connection was up still triggers a reload.
 */
export function useLiveBacklog(productId: string, loadedAt: number): LiveStatus {
  const revalidator = useRevalidator();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Reloads are coalesced: changes that arrive during a reload cause exactly one more reload after it.
  const reload = useRef({ revalidate: revalidator.revalidate, busy: false, again: false });
  reload.current.revalidate = revalidator.revalidate;
  reload.current.busy = revalidator.state !== 'idle';
  const loadedAtRef = useRef(loadedAt);
  loadedAtRef.current = loadedAt;

  useEffect(() => {
    if (revalidator.state === 'idle' && reload.current.again) {
      reload.current.again = false;
      reload.current.revalidate();
    }
  }, [revalidator.state]);

  useEffect(() => {
    const request = () => {
      if (reload.current.busy) reload.current.again = true;
      else reload.current.revalidate();
    };
    let synced = false;
    let wasLive = false;
    let seenVersion: unknown;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new HocuspocusProvider({
      url: `${scheme}://${window.location.host}/collab`,
      name: productDocument(productId),
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
        const backlog = provider.document.getMap('backlog');
        const version = backlog.get('version');
        const change = backlog.get('change') as { at?: number } | undefined;
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
    const backlog = provider.document.getMap('backlog');
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (!synced || !event.keysChanged.has('version')) return;
      const version = backlog.get('version');
      if (version === seenVersion) return;
      seenVersion = version;
      request();
    };
    backlog.observe(onChange);
    return () => {
      backlog.unobserve(onChange);
      provider.destroy();
    };
  }, [productId]);

  return status;
}
