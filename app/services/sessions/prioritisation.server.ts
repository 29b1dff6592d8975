import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type AsyncWindow, votingRefusal } from '~/domain/async-voting';
import { dotTotals } from '~/domain/dot-voting';
import { AppError } from '~/domain/errors';
import { mayManageSession } from '~/domain/policies';
import { can } from '~/domain/roles';
import {
  contestedFlags,
  type ItemResults,
  type NumericPart,
  type Score,
  scoreResults,
  stakeholderWeight,
} from '~/domain/score-results';
import type { WsjfWeights } from '~/domain/wsjf';
import { agreedWsjfWeights, currentCriteria } from '~/services/requests/criteria.server';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  dotVotes,
  liveSessions,
  sessionParticipants,
  sessionScores,
  users,
} from '../../../db/schema';
import { assertFacilitator, assertParticipant, type SessionAccess, sessionAccess } from './access.server';
import { closeWindowIn } from './async-window.server';
import { sessionCommand } from './commands.server';
import { stepOutOfOpenRounds } from './estimators.server';
import { agendaOf, type PrioritisationMethod, settingsOf } from './sessions.server';
import { openVotingIn } from './voting-open.server';

/* Prioritisation sessions: dot voting and scoring. Votes and scores live only in Postgres until the reveal. */

function assertPrioritisation(access: SessionAccess) {
  if (access.session.kind !== 'prioritisation')
    throw new AppError('conflict', 'This is not a prioritisation session');
}

export function assertMethod(access: SessionAccess, method: PrioritisationMethod) {
  if (!settingsOf(access.session).methods.includes(method))
    throw new AppError('conflict', `This session does not use ${method}`);
}

/**
 * A participant who may vote right now: joined, not watching, and voting open, or, before the live vote, the
 * session's window for votes before the meeting open (`window`, app/domain/async-voting.ts).
 */
export function voter(access: SessionAccess, window: AsyncWindow | null = null, now = new Date()) {
  assertPrioritisation(access);
  const participant = assertParticipant(access);
  if (participant.spectator || !can(access.role, 'session.vote'))
    throw new AppError('forbidden', 'Spectators watch; they do not vote');
  const refusal = votingRefusal(access.session, window, now);
  if (refusal) throw new AppError('conflict', refusal);
  return participant;
}

async function assertOnAgenda(tx: Tx, sessionId: string, itemId: string) {
  const agenda = await agendaOf(tx, sessionId);
  if (!agenda.some((a) => a.itemId === itemId))
    throw new AppError('invalid', 'That item is not on this session’s agenda', { field: 'itemId' });
}

/** Opens or closes voting (facilitator). Closing is final for this round of votes; results are revealed separately. */
export async function setVoting(db: Db, sessionId: string, actorId: string, action: 'open' | 'close') {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertPrioritisation(access);
    assertFacilitator(access);
    if (action === 'open' && access.session.resultsRevealedAt)
      throw new AppError('conflict', 'The results are revealed; reset an item to vote on it again');
    if (action === 'close' && access.session.voting !== 'open')
      throw new AppError('conflict', 'Voting is not open');
    if (action === 'open') return openVotingIn(tx, access, actorId);
    await tx
      .update(liveSessions)
      .set({ voting: 'closed', startedAt: access.session.startedAt ?? new Date() })
      .where(eq(liveSessions.id, sessionId));
  });
}

export async function revealResults(db: Db, sessionId: string, actorId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertPrioritisation(access);
    assertFacilitator(access);
    if (access.session.resultsRevealedAt) throw new AppError('conflict', 'The results are already revealed');
    // Revealing straight after votes before the meeting ends their window too (its votes are in the results).
    await closeWindowIn(tx, access.session, actorId, new Date());
    // What is revealed now stays as it is: items revealed before and not reset since keep their earlier results.
    const agenda = (await agendaOf(tx, sessionId)).map((a) => a.itemId);
    const fresh = await computeResults(tx, access.session, agenda);
    const kept = frozenOf(access.session)?.items ?? {};
    const { voterCount } = await votingProgress(tx, access.session);
    const revealed: FrozenResults = {
      items: { ...fresh.items, ...kept },
      participants: fresh.participants,
      voterCount,
      wsjfWeights: fresh.wsjfWeights,
    };
    await tx
      .update(liveSessions)
      .set({
        revealedResults: revealed as unknown as Record<string, unknown>,
        voting: 'closed',
        resultsRevealedAt: new Date(),
        phase: 'results',
        startedAt: access.session.startedAt ?? new Date(),
      })
      .where(eq(liveSessions.id, sessionId));
  });
}

export const resetItemSchema = z.strictObject({
  itemId: z.uuid({ message: 'itemId must be an item on the agenda' }),
});

/** Clears every dot and score on one item and hides the results again, so the room can vote on it afresh. */
export async function resetItem(db: Db, sessionId: string, actorId: string, itemId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertPrioritisation(access);
    assertFacilitator(access);
    await assertOnAgenda(tx, sessionId, itemId);
    await tx.delete(dotVotes).where(and(eq(dotVotes.sessionId, sessionId), eq(dotVotes.itemId, itemId)));
    await tx
      .delete(sessionScores)
      .where(and(eq(sessionScores.sessionId, sessionId), eq(sessionScores.itemId, itemId)));
    const frozen = frozenOf(access.session);
    const { [itemId]: _reset, ...kept } = frozen?.items ?? {};
    await tx
      .update(liveSessions)
      .set({
        resultsRevealedAt: null,
        voting: 'not_open',
        revealedResults: frozen ? ({ ...frozen, items: kept } as unknown as Record<string, unknown>) : null,
      })
      .where(eq(liveSessions.id, sessionId));
  });
}

export const groupSchema = z.strictObject({
  participantId: z.uuid({ message: 'participantId must be a participant of this session' }),
  groupName: z.string().trim().max(60).nullable(),
});

/** The product owner puts a participant in a stakeholder group (weights apply to the results). */
export async function setParticipantGroup(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof groupSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertPrioritisation(access);
    if (!mayManageSession(access.role))
      throw new AppError('forbidden', 'Only the product owner sets stakeholder groups');
    if (input.groupName && !settingsOf(access.session).groups.some((g) => g.name === input.groupName)) {
      throw new AppError('invalid', 'No such stakeholder group in this session', { field: 'groupName' });
    }
    const updated = await tx
      .update(sessionParticipants)
      .set({ groupName: input.groupName })
      .where(
        and(eq(sessionParticipants.id, input.participantId), eq(sessionParticipants.sessionId, sessionId)),
      )
      .returning({ id: sessionParticipants.id });
    if (updated.length === 0) throw new AppError('not_found', 'No such participant in this session');
  });
}

export const removeParticipantSchema = z.strictObject({
  participantId: z.uuid({ message: 'participantId must be a participant of this session' }),
});

/** Removes a participant (e.g. a guest who should not be there): their votes and scores stop counting. */
export async function removeParticipant(db: Db, sessionId: string, actorId: string, participantId: string) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    assertFacilitator(access);
    const updated = await tx
      .update(sessionParticipants)
      .set({ removedAt: new Date(), handRaisedAt: null })
      .where(
        and(
          eq(sessionParticipants.id, participantId),
          eq(sessionParticipants.sessionId, sessionId),
          isNull(sessionParticipants.removedAt),
        ),
      )
      .returning({ id: sessionParticipants.id });
    if (updated.length === 0) throw new AppError('not_found', 'No such participant in this session');
    await tx.delete(dotVotes).where(eq(dotVotes.participantId, participantId));
    await tx.delete(sessionScores).where(eq(sessionScores.participantId, participantId));
    // Poker: a removed person's card in a round not yet revealed does not count (revealed rounds are history).
    await stepOutOfOpenRounds(tx, access.session, participantId);
  });
}

/**
 * What voting looks like from outside before the reveal: who has voted, or only how many when anonymous, and how
 * many of those who may vote have not yet given something on every agenda item (a score on each item when the
 * session scores, else any dot). That count names nobody and carries no value, so it is public even when
 * anonymous; the facilitator reads it before closing voting.
 */
export async function votingProgress(
  db: Db | Tx,
  session: {
    id: string;
    settings: Record<string, unknown>;
    resultsRevealedAt?: Date | null;
    revealedResults?: Record<string, unknown> | null;
  },
) {
  // Anonymous, after the reveal: how many had voted when it was revealed (a removal must not say who had).
  const frozen =
    session.resultsRevealedAt && session.revealedResults
      ? frozenOf({ revealedResults: session.revealedResults })
      : null;
  if (settingsOf(session).anonymous && typeof frozen?.voterCount === 'number')
    return { voterCount: frozen.voterCount, voted: null, incomplete: 0 };
  const [dotted, scored, people, agenda] = await Promise.all([
    db
      .selectDistinct({ id: dotVotes.participantId })
      .from(dotVotes)
      .where(eq(dotVotes.sessionId, session.id)),
    db
      .selectDistinct({ id: sessionScores.participantId, itemId: sessionScores.itemId })
      .from(sessionScores)
      .where(eq(sessionScores.sessionId, session.id)),
    db
      .select({ id: sessionParticipants.id })
      .from(sessionParticipants)
      .where(
        and(
          eq(sessionParticipants.sessionId, session.id),
          eq(sessionParticipants.spectator, false),
          isNull(sessionParticipants.removedAt),
        ),
      ),
    agendaOf(db, session.id),
  ]);
  const voted = [...new Set([...dotted, ...scored].map((r) => r.id))].sort();
  const scoring = settingsOf(session).methods.some((m) => m !== 'dots');
  const agendaItems = new Set(agenda.map((a) => a.itemId));
  const itemsScored = new Map<string, number>();
  for (const r of scored)
    if (agendaItems.has(r.itemId)) itemsScored.set(r.id, (itemsScored.get(r.id) ?? 0) + 1);
  const hasDots = new Set(dotted.map((r) => r.id));
  const complete = (id: string) =>
    scoring ? (itemsScored.get(id) ?? 0) >= agendaItems.size : hasDots.has(id);
  const incomplete = people.filter((p) => !complete(p.id)).length;
  return settingsOf(session).anonymous
    ? { voterCount: voted.length, voted: null, incomplete }
    : { voterCount: voted.length, voted, incomplete };
}

/** One item's results as revealed; its title is read live. */
type FrozenItem = Omit<ItemResults, 'itemId' | 'contested'> & { dots: number; dotVoters: number };

interface ParticipantResults {
  participantId: string;
  name: string;
  groupName: string | null;
  dots: Array<{ itemId: string; dots: number }>;
  scores: Array<{ itemId: string; part: NumericPart | string; value: string }>;
}

/**
 * The results as the facilitator revealed them (live_sessions.revealed_results): per item, frozen until that item
 * is reset, so that removing a participant or changing groups afterwards never moves a total (the difference would
 * show one person's votes, which anonymous mode hides); who voted what (not anonymous) as of the last reveal.
 */
interface FrozenResults {
  items: Record<string, FrozenItem>;
  participants: ParticipantResults[] | null;
  /** how many had voted at the reveal */
  voterCount?: number;
  /** the agreed WSJF part weights the results were computed with, when not all 1 (absent: revealed before) */
  wsjfWeights?: { version: number; weights: WsjfWeights } | null;
}

const frozenOf = (session: { revealedResults: Record<string, unknown> | null }) =>
  session.revealedResults as unknown as FrozenResults | null;

/** The results from the votes and scores in Postgres now, from participants still in the session. */
async function computeResults(
  db: Db | Tx,
  session: SessionAccess['session'],
  agenda: readonly string[],
): Promise<FrozenResults> {
  const sessionId = session.id;
  const settings = settingsOf(session);
  // WSJF weighs the Cost-of-Delay parts as the product's stakeholders agreed (issue 17), as backlog proposals do.
  const agreed = agreedWsjfWeights(await currentCriteria(db, session.productId));
  const people = await db
    .select({
      id: sessionParticipants.id,
      name: users.displayName,
      guestName: sessionParticipants.guestName,
      groupName: sessionParticipants.groupName,
    })
    .from(sessionParticipants)
    .leftJoin(users, eq(users.id, sessionParticipants.userId))
    .where(and(eq(sessionParticipants.sessionId, sessionId), isNull(sessionParticipants.removedAt)))
    .orderBy(asc(sessionParticipants.joinedAt));
  const active = new Set(people.map((p) => p.id));
  const [dots, scores, items] = await Promise.all([
    db.select().from(dotVotes).where(eq(dotVotes.sessionId, sessionId)),
    db.select().from(sessionScores).where(eq(sessionScores.sessionId, sessionId)),
    agenda.length
      ? db
          .select({ id: backlogItems.id, estimate: backlogItems.estimate })
          .from(backlogItems)
          .where(inArray(backlogItems.id, [...agenda]))
      : [],
  ]);
  const counted = dots.filter((d) => active.has(d.participantId));
  const weights = new Map(settings.groups.map((g) => [g.name, g.weight]));
  const groupOf = new Map(people.map((p) => [p.id, p.groupName]));
  // Anonymous: small groups lose their weight (app/domain/score-results.ts, stakeholderWeight).
  const weightOf = (participantId: string, scorers: readonly string[]) =>
    stakeholderWeight(
      participantId,
      scorers,
      (id) => groupOf.get(id) ?? null,
      (g) => weights.get(g),
      settings.anonymous,
    );
  const estimateOf = new Map(items.map((i) => [i.id, i.estimate]));
  const totals = dotTotals(agenda, counted);
  const scored = scoreResults(
    agenda,
    scores
      .filter((s) => active.has(s.participantId))
      .map((s) => ({
        participantId: s.participantId,
        itemId: s.itemId,
        part: s.part as Score['part'],
        value: s.value,
      })),
    weightOf,
    (id) => estimateOf.get(id) ?? null,
    agreed?.weights,
  );
  const nameOf = new Map(people.map((p) => [p.id, p.name ?? p.guestName ?? 'Guest']));
  return {
    wsjfWeights: agreed,
    items: Object.fromEntries(
      scored.map(({ itemId, contested: _, ...rest }) => {
        const total = totals.find((t) => t.itemId === itemId)!;
        return [itemId, { dots: total.dots, dotVoters: total.voters, ...rest }];
      }),
    ),
    participants: settings.anonymous
      ? null
      : people.map((p) => ({
          participantId: p.id,
          name: nameOf.get(p.id)!,
          groupName: p.groupName,
          dots: counted
            .filter((d) => d.participantId === p.id)
            .map((d) => ({ itemId: d.itemId, dots: d.dots })),
          scores: scores
            .filter((s) => s.participantId === p.id)
            .map((s) => ({ itemId: s.itemId, part: s.part as NumericPart | string, value: s.value })),
        })),
  };
}

/**
 * The revealed results of each agenda item: as frozen at the reveal; an item without frozen results (revealed
 * before they were kept, or put on the agenda since) from the votes now.
 */
async function revealedItems(
  db: Db,
  session: SessionAccess['session'],
  agenda: readonly string[],
): Promise<FrozenResults> {
  const frozen = frozenOf(session);
  if (frozen && agenda.every((id) => frozen.items[id])) return frozen;
  const fresh = await computeResults(db, session, agenda);
  return frozen ? { ...frozen, items: { ...fresh.items, ...frozen.items } } : fresh;
}

/**
 * Dots per agenda item as revealed, most first (ties in agenda order). Callers show it only after the reveal; it
 * names no one.
 */
export async function revealedDotTotals(
  db: Db,
  sessionId: string,
): Promise<Array<{ itemId: string; dots: number }>> {
  const [[session], agenda] = await Promise.all([
    db.select().from(liveSessions).where(eq(liveSessions.id, sessionId)),
    agendaOf(db, sessionId),
  ]);
  if (!session) return [];
  const { items } = await revealedItems(
    db,
    session,
    agenda.map((a) => a.itemId),
  );
  return agenda
    .map((a, i) => ({ itemId: a.itemId, dots: items[a.itemId].dots, i }))
    .sort((a, b) => b.dots - a.dots || a.i - b.i)
    .map(({ itemId, dots }) => ({ itemId, dots }));
}

/**
 * The results, after the reveal only, as they were revealed. Per item: dots, score statistics, contested flags;
 * per participant (unless anonymous) who put dots where. Participants removed before the reveal do not count.
 */
export async function sessionResults(db: Db, sessionId: string, actorId: string) {
  const access = await sessionAccess(db, sessionId, actorId);
  assertPrioritisation(access);
  if (!access.session.resultsRevealedAt)
    throw new AppError('conflict', 'The results are hidden until the facilitator reveals them');
  const settings = settingsOf(access.session);
  const agenda = await agendaOf(db, sessionId);
  const revealed = await revealedItems(
    db,
    access.session,
    agenda.map((a) => a.itemId),
  );
  const items = agenda.map((a) => ({ itemId: a.itemId, title: a.title, ...revealed.items[a.itemId] }));
  const byDots = items
    .map((item, i) => ({ itemId: item.itemId, dots: item.dots, i }))
    .sort((a, b) => b.dots - a.dots || a.i - b.i);
  const contested = contestedFlags(items.map((item) => item.disagreement));
  return {
    anonymous: settings.anonymous,
    methods: settings.methods,
    items: items.map(({ itemId, title, dots, dotVoters, ...rest }, i) => ({
      itemId,
      title,
      dots,
      dotVoters,
      dotRank: byDots.findIndex((d) => d.itemId === itemId) + 1,
      ...rest,
      contested: contested[i],
    })),
    participants: settings.anonymous ? null : revealed.participants,
    /** the agreed WSJF part weights in the results' WSJF (criteria version), null for plain WSJF */
    wsjfWeights: revealed.wsjfWeights ?? null,
  };
}
export type SessionResults = Awaited<ReturnType<typeof sessionResults>>;
