import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import {
  backlogItems,
  decisions,
  estimateRounds,
  estimates,
  products,
  sessionNotes,
  sessionParticipants,
  users,
} from '../../../db/schema';
import { roundDeck, tally } from '~/domain/poker';
import { evaluateReadiness } from '~/domain/readiness';
import { sessionKindLabels } from '~/domain/session-rules';
import type { SessionSummary, ThreeAmigosSummary } from '~/domain/session-summary';
import { amigoLabels } from '~/domain/three-amigos';
import { formatDateTime } from '~/utils/dates';
import { sessionAccess } from './access.server';
import { agendaOf } from './sessions.server';
import { amigosState } from './three-amigos.server';

/**
 * What the session changed: estimates, readiness, new stories, open questions, who took part. Its start and end
 * are written in `timeZone` (the viewer's on the page and in its Markdown; UTC in the API).
 */
export async function sessionSummary(
  db: Db,
  sessionId: string,
  userId: string,
  timeZone = 'UTC',
): Promise<SessionSummary> {
  const { session } = await sessionAccess(db, sessionId, userId);
  const [product] = await db
    .select({ name: products.name, dor: products.definitionOfReady })
    .from(products)
    .where(eq(products.id, session.productId));
  const [facilitator] = await db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, session.facilitatorId));
  const people = await db
    .select({
      name: users.displayName,
      guestName: sessionParticipants.guestName,
      spectator: sessionParticipants.spectator,
    })
    .from(sessionParticipants)
    .leftJoin(users, eq(users.id, sessionParticipants.userId))
    .where(eq(sessionParticipants.sessionId, sessionId))
    .orderBy(asc(sessionParticipants.joinedAt));
  const agenda = await agendaOf(db, sessionId);
  const itemIds = agenda.map((a) => a.itemId);
  const [items, logged, rounds, notes] = await Promise.all([
    itemIds.length ? db.select().from(backlogItems).where(inArray(backlogItems.id, itemIds)) : [],
    db.select().from(decisions).where(eq(decisions.sessionId, sessionId)).orderBy(asc(decisions.id)),
    db
      .select()
      .from(estimateRounds)
      .where(eq(estimateRounds.sessionId, sessionId))
      .orderBy(asc(estimateRounds.number)),
    db
      .select({
        text: sessionNotes.text,
        itemId: sessionNotes.itemId,
        resolvedAt: sessionNotes.resolvedAt,
        author: users.displayName,
        guestName: sessionParticipants.guestName,
      })
      .from(sessionNotes)
      .leftJoin(sessionParticipants, eq(sessionParticipants.id, sessionNotes.participantId))
      .leftJoin(users, eq(users.id, sessionParticipants.userId))
      .where(and(eq(sessionNotes.sessionId, sessionId), eq(sessionNotes.kind, 'question')))
      .orderBy(asc(sessionNotes.createdAt)),
  ]);
  const byId = new Map(items.map((i) => [i.id, i]));
  const titleOf = (id: string | null) => (id ? (byId.get(id)?.title ?? null) : null);
  const roundValues = new Map<string, string[]>();
  if (rounds.length > 0) {
    const cast = await db
      .select({ roundId: estimates.roundId, value: estimates.value })
      .from(estimates)
      .where(
        inArray(
          estimates.roundId,
          rounds.map((r) => r.id),
        ),
      );
    for (const c of cast) roundValues.set(c.roundId, [...(roundValues.get(c.roundId) ?? []), c.value]);
  }
  const newStories = logged.filter((d) => d.kind === 'created' && d.itemId);
  const newIds = new Set(newStories.map((d) => d.itemId!));
  const summaryItems: SessionSummary['items'] = [];
  for (const entry of agenda) {
    const item = byId.get(entry.itemId);
    if (!item || newIds.has(item.id)) continue;
    const firstEstimateChange = logged.find(
      (d) => d.itemId === item.id && d.kind === 'edited' && d.before && 'estimate' in (d.before as object),
    );
    const itemRounds = rounds.filter((r) => r.itemId === item.id && r.revealedAt);
    const last = itemRounds.at(-1);
    const readiness = evaluateReadiness({
      checklist: product.dor,
      checked: item.readyChecks,
      unresolvedDependencies: 0,
      override: null,
    });
    summaryItems.push({
      title: item.title,
      type: item.type,
      status: item.status,
      estimateBefore: firstEstimateChange
        ? ((firstEstimateChange.before as { estimate: number | null }).estimate ?? null)
        : item.estimate,
      estimateAfter: item.estimate,
      ready: item.status === 'ready' || readiness.ready,
      readyMet: readiness.met,
      readyTotal: readiness.total,
      rounds: rounds.filter((r) => r.itemId === item.id).length,
      lastTally: last
        ? (({ mean, median, wideSpread }) => ({ mean, median, wideSpread }))(
            tally(roundDeck(last.deck, last.cards).cards, roundValues.get(last.id) ?? []),
          )
        : null,
    });
  }
  const newRows = newIds.size
    ? await db
        .select({ id: backlogItems.id, title: backlogItems.title, parentId: backlogItems.parentId })
        .from(backlogItems)
        .where(inArray(backlogItems.id, [...newIds]))
    : [];
  const parentTitles = new Map<string, string>();
  const parentIds = [...new Set(newRows.map((r) => r.parentId).filter((p): p is string => p !== null))];
  if (parentIds.length) {
    for (const p of await db
      .select({ id: backlogItems.id, title: backlogItems.title })
      .from(backlogItems)
      .where(inArray(backlogItems.id, parentIds)))
      parentTitles.set(p.id, p.title);
  }
  return {
    title: session.title,
    kind: sessionKindLabels[session.kind],
    productName: product.name,
    startedAt: session.startedAt ? formatDateTime(session.startedAt, timeZone) : null,
    endedAt: session.endedAt ? formatDateTime(session.endedAt, timeZone) : null,
    facilitator: facilitator?.name ?? 'Unknown',
    participants: people.map((p) => ({ name: p.name ?? p.guestName ?? 'Guest', spectator: p.spectator })),
    items: summaryItems,
    newStories: newRows.map((r) => ({
      title: r.title,
      parentTitle: r.parentId ? (parentTitles.get(r.parentId) ?? null) : null,
    })),
    openQuestions: notes
      .filter((n) => !n.resolvedAt)
      .map((n) => ({
        text: n.text,
        author: n.author ?? n.guestName ?? 'Someone',
        itemTitle: titleOf(n.itemId),
      })),
    resolvedQuestions: notes.filter((n) => n.resolvedAt).length,
    ...(session.kind === 'three_amigos' ? { threeAmigos: await amigosSummary(db, sessionId) } : {}),
  };
}

/** A three amigos session's story, its three with their marks, and the notes and cases they recorded. */
async function amigosSummary(db: Db, sessionId: string): Promise<ThreeAmigosSummary | undefined> {
  const state = await amigosState(db, sessionId);
  if (!state) return undefined;
  const [story] = await db
    .select({ title: backlogItems.title })
    .from(backlogItems)
    .where(eq(backlogItems.id, state.itemId));
  const notesOf = (kind: string) => state.notes.filter((n) => n.kind === kind);
  return {
    story: story?.title ?? 'A removed item',
    agreed: state.completedAt !== null,
    people: state.people.map((p) => ({ name: p.name, part: amigoLabels[p.part], marked: p.marked })),
    questions: notesOf('question').map((n) => ({ text: n.text, answered: n.answered })),
    dependencies: notesOf('dependency').map((n) => ({ text: n.text, on: n.linkedItem?.title ?? null })),
    assumptions: notesOf('assumption').map((n) => n.text),
    cases: notesOf('case').map((n) => n.text),
  };
}
