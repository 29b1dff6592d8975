import * as Y from 'yjs';
import { roundDeck, tally } from '~/domain/poker';
import type { PublicSessionState } from '~/services/sessions/live.server';
import type { RoundData } from '~/components/session/poker-panel';

/**
 * A session's public state in its live document: the map `session` holds `version`, `change` and `state`, a
 * nested map with one entry per field of `PublicSessionState`. The server rewrites only the fields that changed,
 * so a vote sends who has voted, not the participant list again to every room.
 */
export const sessionMapName = 'session';

/** The public state as plain data, or null before the server first wrote it. Older documents hold one object. */
export function readPublicState(doc: Y.Doc): PublicSessionState | null {
  const state = doc.getMap(sessionMapName).get('state');
  if (state instanceof Y.Map) return state.size > 0 ? (state.toJSON() as PublicSessionState) : null;
  return (state as PublicSessionState | undefined) ?? null;
}

/**
 * Writes `state` into the document's `session` map field by field, leaving a field alone when it reads the same.
 * Call inside a transaction of the document.
 */
export function writePublicState(doc: Y.Doc, state: PublicSessionState): void {
  const map = doc.getMap<unknown>(sessionMapName);
  const current = map.get('state');
  const fields: Y.Map<unknown> = current instanceof Y.Map ? current : map.set('state', new Y.Map<unknown>());
  for (const [key, value] of Object.entries(state)) {
    const next = value ?? null;
    if (!fields.has(key) || JSON.stringify(fields.get(key)) !== JSON.stringify(next)) fields.set(key, next);
  }
}

/** The last change the server announced: which command, and its server time. */
export function readChange(doc: Y.Doc): { kind?: string; at?: number } | undefined {
  return doc.getMap(sessionMapName).get('change') as { kind?: string; at?: number } | undefined;
}

/**
 * Whether a room must reload its data over HTTP for an announced change. A vote before the reveal changes only
 * who has voted, which the live state carries: reloading every room for every vote would send the whole room to
 * every participant once per vote (200 rooms, 200 votes). Anything else, and a vote that revealed the round
 * (auto-reveal), reloads.
 */
export function roomNeedsReload(change: unknown, state: PublicSessionState | null): boolean {
  const kind = change && typeof change === 'object' ? (change as { kind?: unknown }).kind : undefined;
  if (kind === 'castEstimate') return !(state?.round && !state.round.revealed);
  if (kind === 'castDots' || kind === 'submitScores') return !(state?.voting && !state.voting.revealed);
  return true;
}

type Voting = NonNullable<PublicSessionState['voting']>;

/**
 * Where the vote stands and who has voted, from whichever is newer: the room's data (read at `loadedAt`) or the live
 * state (written at `liveAt`). The live state counts until the reveal (opening and closing the vote show in every
 * room as the document arrives); a revealed vote is the room's data, which holds the results.
 */
export function liveVoting<V extends Pick<Voting, 'state' | 'revealed' | 'voterCount' | 'voted'>>(
  loaded: V | null,
  live: PublicSessionState | null,
  loadedAt: number,
  liveAt: number | undefined,
): V | null {
  const fresh = live?.voting;
  if (!loaded || !fresh || liveAt === undefined || liveAt < loadedAt) return loaded;
  // The reveal brings results the live state does not carry: the room's reload shows it.
  if (fresh.revealed || loaded.revealed) return loaded;
  return {
    ...loaded,
    state: fresh.state,
    voterCount: fresh.voterCount,
    voted: fresh.voted,
    ...(typeof fresh.incomplete === 'number' ? { incomplete: fresh.incomplete } : {}),
    ...(fresh.window !== undefined ? { window: fresh.window } : {}),
  };
}

/** Who has voted in the open poker round `roundId`, newest of the room's data and the live state. */
export function liveRoundVoted(
  round: { id: string; revealed: boolean; voted: string[] } | null,
  live: PublicSessionState | null,
  loadedAt: number,
  liveAt: number | undefined,
): string[] | null {
  if (!round) return null;
  const fresh = live?.round;
  if (round.revealed || !fresh || fresh.id !== round.id || fresh.revealed) return round.voted;
  if (liveAt === undefined || liveAt < loadedAt) return round.voted;
  return fresh.voted;
}

/**
 * The open round of the room's data as revealed, when the live state (written at `liveAt`, after the data was read
 * at `loadedAt`) says that very round was revealed: its cards and their tally at once, names from the live
 * participant list, without waiting for the room to reload. Otherwise null (the room's data stands).
 */
export function liveRevealedRound<R extends RoundData>(
  round: R | null,
  live: PublicSessionState | null,
  loadedAt: number,
  liveAt: number | undefined,
): R | null {
  const fresh = live?.round;
  if (!round || round.revealed || !fresh || fresh.id !== round.id || !fresh.revealed || !fresh.votes)
    return null;
  if (liveAt === undefined || liveAt < loadedAt) return null;
  const names = new Map(live.participants.map((p) => [p.id, p.name]));
  const deck = roundDeck(round.deck, round.cards);
  return {
    ...round,
    revealed: true,
    voted: fresh.voted,
    votes: fresh.votes.map((v) => ({ ...v, name: names.get(v.participantId) ?? 'Guest' })),
    tally: tally(
      deck.cards,
      fresh.votes.map((v) => v.value),
    ),
  };
}

/**
 * The session's phase and current item as the room shows them: the live state's once it was written after the
 * room's data was read (a facilitator's move shows in every room as the document arrives; the reload that follows
 * brings the rest, such as the new item's text). Returns `loaded` itself when nothing differs.
 */
export function liveSessionFields<T extends { phase: string; currentItemId: string | null }>(
  loaded: T,
  live: PublicSessionState | null,
  loadedAt: number,
  liveAt: number | undefined,
): T {
  if (!live || liveAt === undefined || liveAt < loadedAt) return loaded;
  if (live.phase === loaded.phase && live.currentItemId === loaded.currentItemId) return loaded;
  return { ...loaded, phase: live.phase, currentItemId: live.currentItemId };
}

/**
 * The session's timer, newest of the room's data (read at `loadedAt`) and the live state (written at `liveAt`):
 * a timer started or stopped shows in every room as soon as the live document has it, without waiting for the
 * room to reload.
 */
export function liveTimer<T extends { endsAt: number; seconds: number }>(
  loaded: T | null,
  live: PublicSessionState | null,
  loadedAt: number,
  liveAt: number | undefined,
): { endsAt: number; seconds: number } | null {
  if (!live || liveAt === undefined || liveAt < loadedAt) return loaded;
  return live.timer ?? null;
}
