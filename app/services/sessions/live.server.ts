import { and, desc, eq, isNull } from 'drizzle-orm';
import { writePublicState } from '~/collab/public-state';
import type { AppServices } from '~/context';
import { sessionDocument } from '~/domain/document-names';
import { sessionState } from '~/domain/session-rules';
import type { Db } from '../../../db/client';
import { estimateRounds, estimates, liveSessions, sessionParticipants, users } from '../../../db/schema';
import { type AsyncWindowView, asyncWindowView } from './async-window.server';
import { revealedDotTotals, votingProgress } from './prioritisation.server';
import { type AmigosState, amigosState } from './three-amigos.server';

/**
 * What everyone in a session may know right now. It never holds a vote's value: before a reveal only who has
 * voted. After a prioritisation reveal it carries the dot totals per item (no person in them, so anonymous mode is
 * safe), so 200 rooms do not all ask for them at once; the detailed results come over HTTP.
 */
export interface PublicSessionState {
  phase: string;
  state: 'planned' | 'running' | 'ended';
  currentItemId: string | null;
  facilitatorId: string;
  timer: { endsAt: number; seconds: number } | null;
  participants: Array<{
    id: string;
    userId: string | null;
    name: string;
    spectator: boolean;
    handRaisedAt: number | null;
  }>;
  round: {
    id: string;
    itemId: string;
    number: number;
    deck: string;
    revealed: boolean;
    voted: string[];
    /**
     * after the reveal only: every card and who played it, in the order they were played; null before (absent in
     * documents written before it was added)
     */
    votes?: Array<{ participantId: string; value: string }> | null;
  } | null;
  /** prioritisation: voting state and who has voted (only how many in anonymous mode); never dots or scores */
  voting: {
    state: string;
    revealed: boolean;
    guestsAllowed: boolean;
    voterCount: number;
    voted: string[] | null;
    /** how many who may vote have not yet given something on every agenda item (a count: names nobody) */
    incomplete?: number;
    /** after the reveal only: dots per agenda item, most first (ties in agenda order) */
    totals: Array<{ itemId: string; dots: number }> | null;
    /** votes before the meeting: the window, who voted in it (ids, or a count when anonymous); never a vote */
    window?: AsyncWindowView | null;
  } | null;
  /**
   * three amigos: the three and who has marked a shared understanding, the developer's notes and the tester's cases
   * (nothing secret: every member of the product may watch the room); absent for other kinds
   */
  amigos?: AmigosState | null;
}

export async function publicSessionState(db: Db, sessionId: string): Promise<PublicSessionState | null> {
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  if (!session) return null;
  const people = await db
    .select({
      id: sessionParticipants.id,
      userId: sessionParticipants.userId,
      guestName: sessionParticipants.guestName,
      displayName: users.displayName,
      spectator: sessionParticipants.spectator,
      handRaisedAt: sessionParticipants.handRaisedAt,
    })
    .from(sessionParticipants)
    .leftJoin(users, eq(users.id, sessionParticipants.userId))
    .where(and(eq(sessionParticipants.sessionId, sessionId), isNull(sessionParticipants.removedAt)))
    .orderBy(sessionParticipants.joinedAt);
  let round: PublicSessionState['round'] = null;
  if (session.currentItemId) {
    const [latest] = await db
      .select()
      .from(estimateRounds)
      .where(and(eq(estimateRounds.sessionId, sessionId), eq(estimateRounds.itemId, session.currentItemId)))
      .orderBy(desc(estimateRounds.number))
      .limit(1);
    if (latest) {
      const voters = await db
        .select({ participantId: estimates.participantId, value: estimates.value })
        .from(estimates)
        .where(eq(estimates.roundId, latest.id))
        .orderBy(estimates.castAt);
      const revealed = latest.revealedAt !== null;
      round = {
        id: latest.id,
        itemId: latest.itemId,
        number: latest.number,
        deck: latest.deck,
        revealed,
        voted: voters.map((v) => v.participantId).sort(),
        // Cards are secret until the reveal: before it, the document says only who has voted.
        votes: revealed ? voters.map((v) => ({ participantId: v.participantId, value: v.value })) : null,
      };
    }
  }
  return {
    phase: session.phase,
    state: sessionState(session),
    currentItemId: session.currentItemId,
    facilitatorId: session.facilitatorId,
    timer:
      session.timerEndsAt && session.timerSeconds
        ? { endsAt: session.timerEndsAt.getTime(), seconds: session.timerSeconds }
        : null,
    participants: people.map((p) => ({
      id: p.id,
      userId: p.userId,
      name: p.displayName ?? p.guestName ?? 'Guest',
      spectator: p.spectator,
      handRaisedAt: p.handRaisedAt?.getTime() ?? null,
    })),
    round,
    voting:
      session.kind === 'prioritisation'
        ? {
            state: session.voting,
            revealed: session.resultsRevealedAt !== null,
            guestsAllowed: session.guestsAllowed,
            ...(await votingProgress(db, session)),
            totals: session.resultsRevealedAt ? await revealedDotTotals(db, sessionId) : null,
            window: await asyncWindowView(db, session),
          }
        : null,
    // Only three amigos documents carry the field: the others stay exactly as they were.
    ...(session.kind === 'three_amigos' ? { amigos: await amigosState(db, sessionId) } : {}),
  };
}

/**
 * Writes the session's public state into its live document after a command, so every open room follows within
 * a second. `version` tells rooms to fetch what they show over HTTP. A failure here never undoes the command
 * (Postgres has it); rooms also refresh when they reconnect.
 *
 * Publishes of one session are coalesced: while one is being written, every call that arrives waits for the next,
 * which reads the state once for all of them (200 votes in a second become a few publishes, not 200 copies of the
 * participant list to 200 rooms). Each call resolves once a publish that read the state after the call has landed.
 */
export function publishSession(
  services: Pick<AppServices, 'db' | 'live' | 'log'>,
  sessionId: string,
  change: string,
): Promise<void> {
  let slots = publishSlots.get(services.live);
  if (!slots) {
    slots = new Map();
    publishSlots.set(services.live, slots);
  }
  const running = slots.get(sessionId);
  return new Promise<void>((resolve) => {
    if (running) {
      running.changes.push(change);
      running.waiters.push(resolve);
      return;
    }
    const slot: PublishSlot = { changes: [change], waiters: [resolve] };
    slots.set(sessionId, slot);
    void (async () => {
      let lastStarted = 0;
      let lastTook = 0;
      while (slot.changes.length > 0) {
        // Back to back, publishes start at least `publishGapMs` apart, and at least three times as long as the last one
        // took: a burst of votes gathers for a moment and is published once, instead of once per vote (each
        // publish reads the state and sends it to every room), and publishes never take more than a third of a
        // busy server's time from the votes themselves.
        const wait = lastStarted + Math.max(publishGapMs, 3 * lastTook) - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastStarted = performance.now();
        const changes = slot.changes;
        const waiters = slot.waiters;
        slot.changes = [];
        slot.waiters = [];
        await publishNow(services, sessionId, changes.at(-1)!);
        lastTook = performance.now() - lastStarted;
        for (const done of waiters) done();
      }
      slots.delete(sessionId);
    })();
  });
}

/** The least time between the starts of two publishes of one session; a lone change is published at once. */
export const publishGapMs = 150;

interface PublishSlot {
  changes: string[];
  waiters: Array<() => void>;
}

/** Per live channel (one per running app: test suites run several in one process), per session. */
const publishSlots = new WeakMap<object, Map<string, PublishSlot>>();

async function publishNow(
  services: Pick<AppServices, 'db' | 'live' | 'log'>,
  sessionId: string,
  change: string,
) {
  try {
    const state = await publicSessionState(services.db, sessionId);
    if (!state) return;
    await services.live.update(sessionDocument(sessionId), (doc) => {
      const map = doc.getMap('session');
      doc.transact(() => {
        // Field by field: a vote rewrites who has voted, not the participant list, in every room.
        writePublicState(doc, state);
        map.set('version', ((map.get('version') as number | undefined) ?? 0) + 1);
        map.set('change', { kind: change, at: Date.now() });
      });
    });
  } catch (error) {
    services.log.warn({ event: 'live_publish_failed', sessionId, err: error });
  }
}
