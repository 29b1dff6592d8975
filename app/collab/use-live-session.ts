import { useEffect, useState } from 'react';
import { sessionDocument } from '~/domain/document-names';
import type { PublicSessionState } from '~/services/sessions/live.server';
import { type PokerNudge, readNudge } from './nudge';
import { readChange, readPublicState, roomNeedsReload, sessionMapName } from './public-state';
import { type LiveReview, readLiveReview, reviewMapName } from './review-state';
import { type LiveStatus, useLiveDocument } from './use-live-document';

/** What a room puts in its awareness state: who is looking at the room now. Nothing secret goes here. */
export interface PresenceUser {
  participantId: string;
  name: string;
  color: string;
}

// Dark enough for white text and for a dot on white (contrast 4.5:1 or more).
const palette = ['#1d4ed8', '#047857', '#b45309', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf'];

/** A stable colour per participant, so a person keeps their colour in every browser. */
export function presenceColor(participantId: string): string {
  let hash = 0;
  for (const c of participantId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

/** The session's public state as the live document has it now, and the server time it was written. */
export interface LivePublicState {
  state: PublicSessionState | null;
  at: number | undefined;
  /** the facilitator's last reminder to those who have not voted (see ./nudge.ts) */
  nudge?: PokerNudge | null;
  /** a sprint review's ticks and outcomes as the server last wrote them (see ./review-state.ts) */
  review?: LiveReview | null;
}

const relevantToRoom = (change: unknown, doc: Parameters<typeof readPublicState>[0]) =>
  roomNeedsReload(change, readPublicState(doc));

/**
 * Follows a session's live document: reloads the room's data whenever the server announces a change the room must
 * fetch (coalesced; a vote before the reveal is not one: `live` carries who has voted), and shares presence through
 * awareness. `me` is the viewer's participation; someone who has not joined watches without appearing as present.
 */
export function useLiveSession(
  sessionId: string,
  loadedAt: number,
  me: { participantId: string; name: string } | null,
  tokenUrl?: string,
) {
  const { status, provider } = useLiveDocument(
    sessionDocument(sessionId),
    sessionMapName,
    loadedAt,
    tokenUrl,
    relevantToRoom,
  );
  const [here, setHere] = useState<ReadonlySet<string>>(() => new Set());
  const [live, setLive] = useState<LivePublicState>({ state: null, at: undefined });

  useEffect(() => {
    const doc = provider?.document;
    if (!doc) return;
    const map = doc.getMap(sessionMapName);
    const review = doc.getMap(reviewMapName);
    const read = () =>
      setLive({
        state: readPublicState(doc),
        at: readChange(doc)?.at,
        nudge: readNudge(doc),
        review: readLiveReview(doc),
      });
    read();
    map.observeDeep(read);
    review.observe(read);
    return () => {
      map.unobserveDeep(read);
      review.unobserve(read);
    };
  }, [provider]);
  const participantId = me?.participantId ?? null;
  const name = me?.name ?? null;

  useEffect(() => {
    const awareness = provider?.awareness;
    if (!awareness) return;
    if (participantId && name) {
      const user: PresenceUser = { participantId, name, color: presenceColor(participantId) };
      awareness.setLocalStateField('user', user);
    } else {
      awareness.setLocalStateField('user', null);
    }
    const update = () => {
      const present = new Set<string>();
      for (const state of awareness.getStates().values()) {
        const user = (state as { user?: Partial<PresenceUser> | null }).user;
        if (user && typeof user.participantId === 'string') present.add(user.participantId);
      }
      setHere((current) =>
        current.size === present.size && [...present].every((p) => current.has(p)) ? current : present,
      );
    };
    update();
    awareness.on('change', update);
    return () => {
      awareness.off('change', update);
    };
  }, [provider, participantId, name]);

  return { status: status as LiveStatus, here, live };
}
