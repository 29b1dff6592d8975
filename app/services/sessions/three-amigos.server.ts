import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { AppServices } from '~/context';
import { itemDocument } from '~/domain/document-names';
import { AppError } from '~/domain/errors';
import { criteriaElements, criteriaField, criteriaText } from '~/domain/item-text';
import { mayEditText } from '~/domain/policies';
import {
  type Amigo,
  type AmigoNoteKind,
  type AmigosCast,
  allThreeAgree,
  amigoIds,
  amigoNoteKinds,
  amigoOf,
  checkCase,
  maxCaseLength,
  maxNoteLength,
  mayAddCase,
  mayAnswerNote,
  mayMarkUnderstanding,
  mayRecordNote,
} from '~/domain/three-amigos';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { addDependency } from '~/services/backlog/dependencies.server';
import { isUuid } from '~/services/products.server';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  decisions,
  liveSessions,
  threeAmigosMarks,
  threeAmigosNotes,
  users,
} from '../../../db/schema';
import { type SessionAccess, sessionAccess } from './access.server';
import { sessionCommand } from './commands.server';
import { settingsOf } from './sessions.server';

/** The most notes and cases one session keeps: the live state carries them all. */
export const maxAmigoNotes = 200;

/** The session's three, and the part the caller plays in it (null: a watcher, or no longer on the team). */
function amigoAccess(access: SessionAccess, actorId: string): { cast: AmigosCast; amigo: Amigo | null } {
  const cast = access.session.kind === 'three_amigos' ? settingsOf(access.session).threeAmigos : null;
  if (!cast) throw new AppError('conflict', 'This is not a three amigos session');
  // A product owner or developer moved to stakeholder keeps their name in the session but no longer acts in it.
  const amigo = mayEditText(access.role) ? amigoOf(cast, actorId) : null;
  return { cast, amigo };
}

const refuse = (what: string) => new AppError('forbidden', what);

/** The first thing one of the three does starts the session (lists and the room header say it is running). */
async function started(tx: Tx, access: SessionAccess) {
  if (access.session.startedAt) return;
  await tx
    .update(liveSessions)
    .set({ startedAt: new Date(), phase: 'discussing' })
    .where(eq(liveSessions.id, access.session.id));
}

async function countNotes(tx: Tx, sessionId: string) {
  const rows = await tx
    .select({ id: threeAmigosNotes.id })
    .from(threeAmigosNotes)
    .where(eq(threeAmigosNotes.sessionId, sessionId));
  if (rows.length >= maxAmigoNotes)
    throw new AppError('conflict', `A session keeps at most ${maxAmigoNotes} notes and cases`);
}

export const amigoNoteSchema = z.strictObject({
  kind: z.enum(amigoNoteKinds, { message: `kind must be one of ${amigoNoteKinds.join(', ')}` }),
  text: z
    .string()
    .trim()
    .min(1, 'Write the note first')
    .max(maxNoteLength, `A note is at most ${maxNoteLength} characters`),
  /** a dependency: the item of this product the story depends on; it is linked as a dependency too */
  linkedItemId: z.uuid({ message: 'linkedItemId must be a backlog item of this product' }).optional(),
});

/**
 * The developer records a question, a dependency or an assumption. A dependency may name an item of the product:
 * the story is then linked as blocked by it, through the product's dependency links (decision log included).
 */
export async function addAmigoNote(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof amigoNoteSchema>,
) {
  const access = await sessionAccess(db, sessionId, actorId);
  const { cast, amigo } = amigoAccess(access, actorId);
  if (!mayRecordNote(amigo)) throw refuse('Only the developer of this session records notes');
  if (input.linkedItemId) {
    if (input.kind !== 'dependency')
      throw new AppError('invalid', 'Only a dependency links another item', { field: 'linkedItemId' });
    if (input.linkedItemId === cast.itemId)
      throw new AppError('invalid', 'The story cannot depend on itself', { field: 'linkedItemId' });
    const [linked] = await db
      .select({ productId: backlogItems.productId })
      .from(backlogItems)
      .where(eq(backlogItems.id, input.linkedItemId));
    if (!linked || linked.productId !== access.session.productId)
      throw new AppError('not_found', 'No such item in this product');
  }
  return sessionCommand(db, sessionId, actorId, async (tx, locked) => {
    const again = amigoAccess(locked, actorId);
    if (!mayRecordNote(again.amigo)) throw refuse('Only the developer of this session records notes');
    await countNotes(tx, sessionId);
    await started(tx, locked);
    if (input.linkedItemId)
      await addDependency(tx as unknown as Db, cast.itemId, input.linkedItemId, actorId);
    const [note] = await tx
      .insert(threeAmigosNotes)
      .values({
        sessionId,
        kind: input.kind,
        text: input.text,
        linkedItemId: input.linkedItemId ?? null,
        authorId: actorId,
      })
      .returning();
    return { ...note, productId: locked.session.productId, itemId: cast.itemId };
  });
}

export const answerNoteSchema = z.strictObject({
  noteId: z.uuid({ message: 'noteId must be a note of this session' }),
  answered: z.boolean({ message: 'answered must be true or false' }),
});

/** Any of the three marks a note answered, or open again. */
export async function setNoteAnswered(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof answerNoteSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const { amigo } = amigoAccess(access, actorId);
    if (!mayAnswerNote(amigo)) throw refuse('Only the three amigos of this session answer its notes');
    const updated = await tx
      .update(threeAmigosNotes)
      .set({ answeredAt: input.answered ? new Date() : null })
      .where(
        and(
          eq(threeAmigosNotes.id, input.noteId),
          eq(threeAmigosNotes.sessionId, sessionId),
          inArray(threeAmigosNotes.kind, [...amigoNoteKinds]),
        ),
      )
      .returning({ id: threeAmigosNotes.id });
    if (updated.length === 0) throw new AppError('not_found', 'No such note in this session');
    return { noteId: input.noteId, answered: input.answered };
  });
}

export const addCaseSchema = z.strictObject({
  scenario: z
    .string()
    .min(1, 'Write the case first')
    .max(maxCaseLength, `A case is at most ${maxCaseLength} characters`),
});

/**
 * The tester adds a case the criteria miss: one Gherkin Scenario, appended to the story's acceptance criteria
 * (Postgres here; the caller then appends it to the item's live text, so every open editor sees it at once).
 */
export async function addCase(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof addCaseSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const { cast, amigo } = amigoAccess(access, actorId);
    if (!mayAddCase(amigo)) throw refuse('Only the tester of this session adds cases');
    await countNotes(tx, sessionId);
    await started(tx, access);
    const [item] = await tx
      .select({ criteria: backlogItems.criteria, productId: backlogItems.productId })
      .from(backlogItems)
      .where(eq(backlogItems.id, cast.itemId))
      .for('update');
    if (!item) throw new AppError('not_found', 'The story of this session no longer exists');
    const check = checkCase(input.scenario, item.criteria ?? '');
    if (!check.ok) {
      throw new AppError(
        'invalid',
        check.line ? `Line ${check.line} of the case: ${check.message}` : check.message,
        { field: 'scenario' },
      );
    }
    await tx
      .update(backlogItems)
      .set({ criteria: check.criteria, updatedAt: new Date() })
      .where(eq(backlogItems.id, cast.itemId));
    const [note] = await tx
      .insert(threeAmigosNotes)
      .values({ sessionId, kind: 'case', text: check.scenario, authorId: actorId })
      .returning();
    return {
      id: note.id,
      name: check.name,
      scenario: check.scenario,
      itemId: cast.itemId,
      productId: item.productId,
    };
  });
}

/**
 * Appends a case to the item's live criteria, unless the document has it already (a document loaded just now is
 * seeded from the row, which has it). The other lines, and everyone's carets in them, stay as they are.
 */
export async function appendCaseToLiveText(
  services: Pick<AppServices, 'live' | 'log'>,
  itemId: string,
  scenario: string,
) {
  try {
    await services.live.update(itemDocument(itemId), (doc) => {
      const fragment = doc.getXmlFragment(criteriaField);
      const current = criteriaText(fragment);
      if (current.includes(scenario)) return;
      if (current.trim() === '') {
        if (fragment.length > 0) fragment.delete(0, fragment.length);
        fragment.insert(0, criteriaElements(scenario));
      } else {
        fragment.insert(fragment.length, criteriaElements(`\n${scenario}`));
      }
    });
  } catch (error) {
    services.log.warn({ event: 'live_item_text_publish_failed', itemId, err: error });
  }
}

export const understandingSchema = z.strictObject({
  agreed: z.boolean({ message: 'agreed must be true or false' }),
});

/**
 * One of the three marks "We share an understanding", or takes it back. When the last of the three marks it, the
 * session ends and the decision log records who took part, the cases added and the questions still open.
 */
export async function markUnderstanding(
  db: Db,
  sessionId: string,
  actorId: string,
  input: z.output<typeof understandingSchema>,
) {
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    const { cast, amigo } = amigoAccess(access, actorId);
    if (!mayMarkUnderstanding(amigo))
      throw refuse('Only the product owner, the developer and the tester of this session mark it');
    await started(tx, access);
    if (input.agreed) {
      await tx.insert(threeAmigosMarks).values({ sessionId, userId: actorId }).onConflictDoNothing();
    } else {
      await tx
        .delete(threeAmigosMarks)
        .where(and(eq(threeAmigosMarks.sessionId, sessionId), eq(threeAmigosMarks.userId, actorId)));
    }
    const marks = await tx
      .select({ userId: threeAmigosMarks.userId })
      .from(threeAmigosMarks)
      .where(eq(threeAmigosMarks.sessionId, sessionId));
    const marked = marks.map((m) => m.userId);
    const ended = allThreeAgree(cast, marked);
    if (ended) await completeSession(tx, access, cast);
    return { agreed: input.agreed, marked, ended, productId: access.session.productId, itemId: cast.itemId };
  });
}

async function completeSession(tx: Tx, access: SessionAccess, cast: AmigosCast) {
  const now = new Date();
  const { session } = access;
  await tx
    .update(liveSessions)
    .set({
      endedAt: now,
      startedAt: session.startedAt ?? now,
      timerEndsAt: null,
      timerSeconds: null,
      settings: { ...session.settings, threeAmigos: { ...cast, completedAt: now.toISOString() } },
    })
    .where(eq(liveSessions.id, session.id));
  const people = await tx
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, amigoIds(cast)));
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? 'Someone';
  const notes = await tx
    .select()
    .from(threeAmigosNotes)
    .where(eq(threeAmigosNotes.sessionId, session.id))
    .orderBy(asc(threeAmigosNotes.createdAt));
  await recordDecisions(tx, [
    {
      productId: session.productId,
      itemId: cast.itemId,
      actorId: cast.ownerId,
      kind: 'three_amigos_held',
      sessionId: session.id,
      after: {
        participants: [
          { userId: cast.ownerId, name: nameOf(cast.ownerId), part: 'product_owner' },
          { userId: cast.developerId, name: nameOf(cast.developerId), part: 'developer' },
          { userId: cast.testerId, name: nameOf(cast.testerId), part: 'tester' },
        ],
        cases: notes.filter((n) => n.kind === 'case').map((n) => n.text.split('\n')[0].trim()),
        openQuestions: notes.filter((n) => n.kind === 'question' && !n.answeredAt).map((n) => n.text),
        dependencies: notes.filter((n) => n.kind === 'dependency').length,
        assumptions: notes.filter((n) => n.kind === 'assumption').length,
      },
    },
  ]);
}

export interface AmigosState {
  itemId: string;
  people: Array<{ userId: string; name: string; part: Amigo; marked: boolean }>;
  notes: Array<{
    id: string;
    kind: AmigoNoteKind | 'case';
    text: string;
    answered: boolean;
    linkedItem: { id: string; title: string } | null;
  }>;
  completedAt: string | null;
}

/** The session's three, their marks, the developer's notes and the tester's cases: what the room and the API show. */
export async function amigosState(db: Db | Tx, sessionId: string): Promise<AmigosState | null> {
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  const cast = session?.kind === 'three_amigos' ? settingsOf(session).threeAmigos : null;
  if (!cast) return null;
  const [people, marks, notes] = await Promise.all([
    db
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .where(inArray(users.id, amigoIds(cast))),
    db
      .select({ userId: threeAmigosMarks.userId })
      .from(threeAmigosMarks)
      .where(eq(threeAmigosMarks.sessionId, sessionId)),
    db
      .select({
        id: threeAmigosNotes.id,
        kind: threeAmigosNotes.kind,
        text: threeAmigosNotes.text,
        answeredAt: threeAmigosNotes.answeredAt,
        linkedId: threeAmigosNotes.linkedItemId,
        linkedTitle: backlogItems.title,
      })
      .from(threeAmigosNotes)
      .leftJoin(backlogItems, eq(backlogItems.id, threeAmigosNotes.linkedItemId))
      .where(eq(threeAmigosNotes.sessionId, sessionId))
      .orderBy(asc(threeAmigosNotes.createdAt), asc(threeAmigosNotes.id)),
  ]);
  const marked = new Set(marks.map((m) => m.userId));
  const parts: Array<[string, Amigo]> = [
    [cast.ownerId, 'product_owner'],
    [cast.developerId, 'developer'],
    [cast.testerId, 'tester'],
  ];
  return {
    itemId: cast.itemId,
    people: parts.map(([userId, part]) => ({
      userId,
      part,
      name: people.find((p) => p.id === userId)?.name ?? 'Someone',
      marked: marked.has(userId),
    })),
    notes: notes.map((n) => ({
      id: n.id,
      kind: n.kind as AmigoNoteKind | 'case',
      text: n.text,
      answered: n.answeredAt !== null,
      linkedItem: n.linkedId ? { id: n.linkedId, title: n.linkedTitle ?? '' } : null,
    })),
    completedAt: (cast as AmigosCast & { completedAt?: string }).completedAt ?? null,
  };
}

/**
 * Whether each item had a three amigos session that ended in a shared understanding, and the latest one: when and
 * with whom (from the decision log, which only a completed session writes).
 */
export async function threeAmigosHeld(
  db: Db | Tx,
  itemIds: string[],
): Promise<Map<string, { at: string; names: string[]; sessionId: string | null }>> {
  const ids = itemIds.filter(isUuid);
  const held = new Map<string, { at: string; names: string[]; sessionId: string | null }>();
  if (ids.length === 0) return held;
  const rows = await db
    .select({
      itemId: decisions.itemId,
      after: decisions.after,
      at: decisions.createdAt,
      sessionId: decisions.sessionId,
    })
    .from(decisions)
    .where(and(eq(decisions.kind, 'three_amigos_held'), inArray(decisions.itemId, ids)))
    .orderBy(desc(decisions.id));
  for (const row of rows) {
    if (!row.itemId || held.has(row.itemId)) continue;
    const participants = ((row.after as { participants?: Array<{ name?: unknown }> } | null)?.participants ??
      []) as Array<{ name?: unknown }>;
    held.set(row.itemId, {
      at: row.at.toISOString(),
      names: participants.map((p) => (typeof p.name === 'string' ? p.name : 'Someone')),
      sessionId: row.sessionId,
    });
  }
  return held;
}
