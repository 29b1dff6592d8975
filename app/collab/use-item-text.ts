import { HocuspocusProvider } from '@hocuspocus/provider';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { itemDocument } from '~/domain/document-names';
import { criteriaText, descriptionText } from '~/domain/item-text';
import { colorFor, presenceColors } from '~/domain/presence';
import { type LiveStatus, liveToken } from './use-live-document';

export type TextField = 'description' | 'criteria';

export interface LiveTextUser {
  id: string;
  name: string;
}

/** What each client publishes in awareness: public facts only (everyone in the document receives them). */
export interface AwarenessUser {
  id: string;
  name: string;
  color: string;
  /** follows the text without editing it (read-only role): no caret is shown for them */
  readOnly?: boolean;
}

export interface Presence {
  clientId: number;
  user: AwarenessUser;
  /** the text the person is in (has the focus in), if any */
  field: TextField | null;
  typing: boolean;
  self: boolean;
}

/**
 * Colours for people's carets and names, each dark enough for white text (contrast ≥ 4.5:1). The same list is in
 * app/styles/live-text.css as the classes live-color-0 … live-color-8 (nine hues far apart), so no colour needs an inline style.
 */
export { colorFor, presenceColors } from '~/domain/presence';

/** The CSS class of a colour another client announced; an unknown colour gets the neutral last one. */
export function colorClass(color: unknown): string {
  const index = presenceColors.indexOf(color as (typeof presenceColors)[number]);
  return `live-color-${index < 0 ? presenceColors.length - 1 : index}`;
}

const typingIdleMs = 2000;

function readPresence(
  states: Array<{ clientId: number; [key: string]: unknown }>,
  selfId: number,
): Presence[] {
  const people: Presence[] = [];
  for (const state of states) {
    const user = state.user as Partial<AwarenessUser> | undefined;
    if (!user || typeof user.name !== 'string') continue;
    people.push({
      clientId: state.clientId,
      user: {
        id: String(user.id ?? ''),
        name: user.name.slice(0, 80),
        color: String(user.color ?? ''),
        readOnly: user.readOnly === true,
      },
      field: state.field === 'description' || state.field === 'criteria' ? state.field : null,
      typing: state.typing === true,
      self: state.clientId === selfId,
    });
  }
  return people.sort((a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name));
}

export interface ItemText {
  /** null until the effect has run (and never during server rendering) */
  provider: HocuspocusProvider | null;
  status: LiveStatus;
  /** true once the document has been received: editors show its content from then on */
  synced: boolean;
  /** what the server allows: false for read-only roles (stakeholders) */
  writable: boolean;
  user: AwarenessUser;
  people: Presence[];
  /** call on each local edit: sets `typing` in awareness, cleared after about 2 s without edits */
  typed(field: TextField): void;
  /** call on focus (the field) and blur (null) of an editor */
  focused(field: TextField | null): void;
  /** why the server refused this person's last edit, if it did (e.g. the text reached its size limit) */
  notice: string | null;
  dismissNotice(): void;
}

/** The sentence for a refusal the server sent (a stateless JSON notice), or null for anything else. */
export function readRefusal(payload: string): string | null {
  try {
    const notice = JSON.parse(payload) as { type?: unknown; limitBytes?: unknown };
    if (notice.type !== 'document-too-large') return null;
    const limit =
      typeof notice.limitBytes === 'number' ? ` (${Math.round(notice.limitBytes / 1024 / 1024)} MB)` : '';
    return `This text has reached its size limit${limit}, so your last change was not saved. The text shown is what everyone sees; shorten it, or move the detail to another item.`;
  } catch {
    return null;
  }
}

/**
 * Connects to an item's live text document (`item:<id>`) with a provider made in an effect (never on the
 * server), a fresh short-lived token from `tokenUrl` (/live-token, or a session guest's own) on every (re)connect,
 * and this user's awareness: name, a stable colour, where they are and whether they are typing.
 */
export function useItemText(itemId: string, person: LiveTextUser, tokenUrl = '/live-token'): ItemText {
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const [writable, setWritable] = useState(false);
  const [people, setPeople] = useState<Presence[]>([]);
  /** what the server refused, shown to this person until they dismiss it */
  const [notice, setNotice] = useState<string | null>(null);
  /** bumped to start again from the server's copy (after an edit the server refused) */
  const [generation, setGeneration] = useState(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const user = useMemo<AwarenessUser>(
    () => ({ id: person.id, name: person.name, color: colorFor(person.id) }),
    [person.id, person.name],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation starts again from the server's copy.
  useEffect(() => {
    let wasLive = false;
    setStatus('connecting');
    setSynced(false);
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const live: HocuspocusProvider = new HocuspocusProvider({
      url: `${scheme}://${window.location.host}/collab`,
      name: itemDocument(itemId),
      token: () => liveToken(tokenUrl),
      onAuthenticated: ({ scope }) => setWritable(scope === 'read-write'),
      onAuthenticationFailed: () => setStatus('offline'),
      onStatus: ({ status: socket }) => {
        if (socket !== 'connected')
          setStatus((s) => (s === 'offline' ? s : wasLive ? 'reconnecting' : 'connecting'));
      },
      onSynced: ({ state }) => {
        if (!state) return;
        wasLive = true;
        setSynced(true);
        setStatus('live');
      },
      onAwarenessChange: ({ states }) => setPeople(readPresence(states, live.document.clientID)),
      onStateless: ({ payload }) => {
        const refusal = readRefusal(payload);
        if (!refusal) return;
        setNotice(refusal);
        // The refused edit exists only in this browser: start again from the text everyone sees.
        setGeneration((g) => g + 1);
      },
    });
    live.setAwarenessField('user', user);
    live.setAwarenessField('field', null);
    live.setAwarenessField('typing', false);
    setProvider(live);
    return () => {
      clearTimeout(typingTimer.current);
      setProvider(null);
      live.destroy();
    };
  }, [itemId, user, generation, tokenUrl]);

  const dismissNotice = useCallback(() => setNotice(null), []);

  const typed = useCallback(
    (field: TextField) => {
      if (!provider) return;
      const state = provider.awareness?.getLocalState();
      if (state?.typing !== true || state.field !== field) {
        provider.setAwarenessField('field', field);
        provider.setAwarenessField('typing', true);
      }
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => provider.setAwarenessField('typing', false), typingIdleMs);
    },
    [provider],
  );

  const focused = useCallback(
    (field: TextField | null) => {
      if (!provider) return;
      provider.setAwarenessField('field', field);
      if (field === null) {
        clearTimeout(typingTimer.current);
        provider.setAwarenessField('typing', false);
      }
    },
    [provider],
  );

  return { provider, status, synced, writable, user, people, typed, focused, notice, dismissNotice };
}

/**
 * The plain text of one of the item's fields (as the server projects it), recomputed a short while after each
 * change, local or remote. Empty until the provider exists.
 */
export function useFieldText(provider: HocuspocusProvider | null, field: TextField, delayMs = 250): string {
  const [text, setText] = useState('');
  useEffect(() => {
    if (!provider) return;
    const fragment = provider.document.getXmlFragment(field);
    const read = () => setText(field === 'description' ? descriptionText(fragment) : criteriaText(fragment));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(read, delayMs);
    };
    read();
    fragment.observeDeep(changed);
    return () => {
      clearTimeout(timer);
      fragment.unobserveDeep(changed);
    };
  }, [provider, field, delayMs]);
  return text;
}
