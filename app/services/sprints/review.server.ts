import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import {
  acceptRefusal,
  type LineFeedback,
  reconcileTicks,
  rejectRefusal,
  reviewLines,
} from '~/domain/review-rules';
import { can } from '~/domain/roles';
import { closeRefusal, sprintVelocity } from '~/domain/sprint-rules';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { itemTypes, loadItem } from '~/services/backlog/items.server';
import { keepRanksShort } from '~/services/backlog/rebalance.server';
import { notifyReviewOutcome } from '~/services/notifications/asked-for.server';
import { authorize } from '~/services/products.server';
import { assertParticipant, guestParticipantOf } from '~/services/sessions/access.server';
import { sessionCommand } from '~/services/sessions/commands.server';
import { queueCreatePush, queueRankPush, queueReviewPush } from '~/services/trackers/push.server';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  feedbackItems,
  liveSessions,
  products,
  reviewResults,
  sessionAgenda,
  sessionNotes,
  sprintItems,
  sprints,
} from '../../../db/schema';
import {
  assertNotClosed,
  loadSprint,
  membershipFor,
  type Placement,
  placementSchema,
  rankFor,
  type SprintRow,
  sprintCommand,
} from './common.server';

/** The review session of a sprint, which must have been started and not ended. */
async function reviewSession(tx: Tx, sprint: SprintRow) {
  if (!sprint.reviewSessionId) throw new AppError('conflict', 'Start the sprint review first');
  const [session] = await tx.select().from(liveSessions).where(eq(liveSessions.id, sprint.reviewSessionId));
  if (!session || session.endedAt) throw new AppError('conflict', 'The review session has ended');
  return session;
}

/**
 * An item's review checklist as its criteria read now, the ticks that apply to it, and the outdated ticks (made on
 * lines since edited or removed), which only ever block.
 */
export async function checklistOf(tx: Db | Tx, sprint: SprintRow, item: { id: string; criteria: string }) {
  const [product] = await tx
    .select({ dod: products.definitionOfDone })
    .from(products)
    .where(eq(products.id, sprint.productId));
  const lines = reviewLines(item.criteria, product.dod);
  const rows = await tx
    .select()
    .from(reviewResults)
    .where(and(eq(reviewResults.sprintId, sprint.id), eq(reviewResults.itemId, item.id)));
  const { results, outdated } = reconcileTicks(lines, rows);
  return { lines, results, outdated, rows };
}

/** Outdated ticks are not part of the checklist an item was decided on: they go when it is decided. */
async function dropOutdatedTicks(tx: Tx, sprintId: string, itemId: string, lines: readonly string[]) {
  if (lines.length === 0) return;
  await tx
    .delete(reviewResults)
    .where(
      and(
        eq(reviewResults.sprintId, sprintId),
        eq(reviewResults.itemId, itemId),
        inArray(reviewResults.line, [...lines]),
      ),
    );
}

/**
 * Starts the sprint review (product owner): a live session of kind 'review' whose agenda is the done items, then
 * the unfinished ones, each group in backlog order. Guests may join it by its link and give feedback.
 */
export async function startReview(db: Db, sprintId: string, actorId: string) {
  return sprintCommand(db, sprintId, actorId, 'session.run', async (tx, { sprint }) => {
    if (sprint.state !== 'active')
      throw new AppError('conflict', 'Only a running sprint has a review; start the sprint first');
    if (sprint.reviewSessionId)
      throw new AppError('conflict', 'This sprint’s review has already started', { field: 'sprintId' });
    const rows = await tx
      .select({ itemId: sprintItems.itemId, doneAt: sprintItems.doneAt })
      .from(sprintItems)
      .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
      .where(
        and(
          eq(sprintItems.sprintId, sprintId),
          isNull(sprintItems.removedAt),
          isNull(sprintItems.outcome),
          isNull(sprintItems.unfinishedDecision),
        ),
      )
      .orderBy(asc(backlogItems.rank));
    const agenda = [...rows.filter((r) => r.doneAt), ...rows.filter((r) => !r.doneAt)].map((r) => r.itemId);
    const [session] = await tx
      .insert(liveSessions)
      .values({
        productId: sprint.productId,
        kind: 'review',
        title: `Sprint review: ${sprint.name}`,
        phase: 'lobby',
        facilitatorId: actorId,
        currentItemId: agenda[0] ?? null,
        settings: { sprintId },
        joinCode: randomBytes(18).toString('base64url'),
        createdBy: actorId,
      })
      .returning();
    if (agenda.length > 0) {
      await tx.insert(sessionAgenda).values(
        agenda.map((itemId, position) => ({
          sessionId: session.id,
          itemId,
          position,
          timeboxSeconds: 600,
        })),
      );
    }
    await tx.update(sprints).set({ reviewSessionId: session.id }).where(eq(sprints.id, sprintId));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        actorId,
        kind: 'review_started',
        after: { sprintId, agenda },
        sessionId: session.id,
      },
    ]);
    return { sessionId: session.id, joinCode: session.joinCode, agenda, productId: sprint.productId };
  });
}

export const criterionResultSchema = z.strictObject({
  /** a line's key as the sprint view lists it: `criterion:<digest>` or `dod:<id>` */
  line: z.string().min(1, 'line is required').max(80, 'line is at most 80 characters'),
  /** met, not met, or null to clear the tick */
  met: z.boolean({ message: 'met must be true, false or null' }).nullable(),
});

/** The product owner ticks one line of a done item's checklist, live in the review. */
export async function setCriterionResult(
  db: Db,
  sprintId: string,
  itemId: string,
  actorId: string,
  input: z.output<typeof criterionResultSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'review.decide', async (tx, { sprint }) => {
    const session = await reviewSession(tx, sprint);
    await membershipFor(tx, sprintId, itemId, 'review');
    const item = await loadItem(tx, itemId);
    const { lines, outdated } = await checklistOf(tx, sprint, item);
    // An outdated tick (its line was edited or removed) can only be cleared: that is the PO re-judging it.
    const stale = outdated.find((t) => t.line === input.line);
    const line =
      lines.find((l) => l.key === input.line) ??
      (stale && input.met === null ? { key: stale.line, label: stale.label } : undefined);
    if (!line)
      throw new AppError(
        'invalid',
        stale
          ? `“${stale.label}” changed or was removed since it was ticked; tick the line as it reads now, or clear this tick with null`
          : `No line “${input.line}” in this item’s checklist (use the line keys the sprint view lists)`,
        { field: 'line' },
      );
    const where = and(
      eq(reviewResults.sprintId, sprintId),
      eq(reviewResults.itemId, itemId),
      eq(reviewResults.line, input.line),
    );
    if (input.met === null) {
      await tx.delete(reviewResults).where(where);
    } else {
      const values = { label: line.label, met: input.met, updatedBy: actorId, updatedAt: new Date() };
      await tx
        .insert(reviewResults)
        .values({ sprintId, itemId, line: input.line, ...values })
        .onConflictDoUpdate({
          target: [reviewResults.sprintId, reviewResults.itemId, reviewResults.line],
          set: values,
        });
    }
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'review_line_checked',
        after: {
          sprintId,
          line: input.line,
          label: line.label,
          met: input.met,
          ...(stale ? { outdated: true } : {}),
        },
        sessionId: session.id,
      },
    ]);
    return {
      sprintId,
      itemId,
      line: input.line,
      met: input.met,
      sessionId: session.id,
      productId: sprint.productId,
    };
  });
}

export const acceptSchema = z.strictObject({
  note: z.string().trim().max(2000, 'A note is at most 2000 characters').optional(),
});

/** Accepts a done item (product owner): only when every line of its checklist is met. */
export async function acceptItem(
  db: Db,
  sprintId: string,
  itemId: string,
  actorId: string,
  input: z.output<typeof acceptSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'review.decide', async (tx, { sprint }) => {
    const session = await reviewSession(tx, sprint);
    await membershipFor(tx, sprintId, itemId, 'accept');
    const item = await loadItem(tx, itemId);
    const { lines, results, outdated } = await checklistOf(tx, sprint, item);
    const why = acceptRefusal(lines, results, outdated);
    if (why) throw new AppError('conflict', why);
    const now = new Date();
    await dropOutdatedTicks(
      tx,
      sprintId,
      itemId,
      outdated.map((t) => t.line),
    );
    await tx
      .update(sprintItems)
      .set({
        outcome: 'accepted',
        pointsAtReview: item.estimate,
        outcomeNote: input.note ?? '',
        decidedAt: now,
      })
      .where(and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId)));
    await tx
      .update(backlogItems)
      .set({ status: 'accepted', updatedAt: now })
      .where(eq(backlogItems.id, itemId));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'sprint_item_accepted',
        before: { status: item.status },
        after: { sprintId, points: item.estimate, status: 'accepted', lines: lines.length },
        reason: input.note ?? '',
        sessionId: session.id,
      },
    ]);
    await notifyReviewOutcome(tx, {
      productId: sprint.productId,
      itemId,
      title: item.title,
      outcome: 'accepted',
      actorId,
      sprintId,
    });
    // A linked Jira issue moves to the product's "accepted" status (decision 0038).
    await queueReviewPush(
      tx,
      itemId,
      'accepted',
      input.note ? `Accepted at the sprint review: ${input.note}` : null,
    );
    return {
      sprintId,
      itemId,
      outcome: 'accepted' as const,
      points: item.estimate,
      sessionId: session.id,
      productId: sprint.productId,
    };
  });
}

export const rejectSchema = z.strictObject({
  /** what is needed, for every line marked not met */
  feedback: z
    .array(
      z.strictObject({
        line: z.string().min(1, 'Name the line').max(80),
        needed: z
          .string()
          .trim()
          .min(1, 'Say what is needed')
          .max(2000, 'Feedback is at most 2000 characters per line'),
      }),
    )
    .max(100, 'At most 100 lines')
    .default([]),
  note: z.string().trim().max(2000, 'A note is at most 2000 characters').optional(),
});

/**
 * Rejects a done item (product owner): at least one line is not met and the feedback says what is needed for each.
 * The item goes back to the top of the backlog with the feedback kept on its review lines, where the next
 * refinement reads it.
 */
export async function rejectItem(
  db: Db,
  sprintId: string,
  itemId: string,
  actorId: string,
  input: z.output<typeof rejectSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'review.decide', async (tx, { sprint }) => {
    const session = await reviewSession(tx, sprint);
    await membershipFor(tx, sprintId, itemId, 'reject');
    const item = await loadItem(tx, itemId);
    const { lines, results, outdated } = await checklistOf(tx, sprint, item);
    const why = rejectRefusal(lines, results, input.feedback as LineFeedback[]);
    if (why) throw new AppError('invalid', why, { field: 'feedback' });
    const now = new Date();
    await dropOutdatedTicks(
      tx,
      sprintId,
      itemId,
      outdated.map((t) => t.line),
    );
    for (const f of input.feedback) {
      await tx
        .update(reviewResults)
        .set({ feedback: f.needed, updatedBy: actorId, updatedAt: now })
        .where(
          and(
            eq(reviewResults.sprintId, sprintId),
            eq(reviewResults.itemId, itemId),
            eq(reviewResults.line, f.line),
          ),
        );
    }
    const rank = await rankFor(tx, sprint.productId, { position: 'top' }, itemId);
    await tx
      .update(sprintItems)
      .set({
        outcome: 'rejected',
        pointsAtReview: item.estimate,
        outcomeNote: input.note ?? '',
        decidedAt: now,
      })
      .where(and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId)));
    await tx
      .update(backlogItems)
      .set({ status: 'rejected', rank, updatedAt: now })
      .where(eq(backlogItems.id, itemId));
    const labelOf = new Map(lines.map((l) => [l.key, l.label]));
    const feedback = input.feedback.map((f) => ({
      line: f.line,
      label: labelOf.get(f.line) ?? f.line,
      needed: f.needed,
    }));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'sprint_item_rejected',
        before: { status: item.status, rank: item.rank },
        after: { sprintId, points: item.estimate, status: 'rejected', rank, position: 'top', feedback },
        reason: [input.note, ...feedback.map((f) => `${f.label}: ${f.needed}`)].filter(Boolean).join(' · '),
        sessionId: session.id,
      },
    ]);
    await notifyReviewOutcome(tx, {
      productId: sprint.productId,
      itemId,
      title: item.title,
      outcome: 'rejected',
      actorId,
      sprintId,
    });
    // A linked Jira issue goes to the top of Jira's rank too, and to the "rejected" status, with the unmet lines
    // and what is needed as a comment.
    await queueRankPush(tx, itemId);
    await queueReviewPush(
      tx,
      itemId,
      'rejected',
      [
        'Rejected at the sprint review.',
        ...(input.note ? [input.note] : []),
        ...feedback.map((f) => `Not met: ${f.label} — needed: ${f.needed}`),
      ].join('\n'),
    );
    return {
      sprintId,
      itemId,
      outcome: 'rejected' as const,
      points: item.estimate,
      sessionId: session.id,
      productId: sprint.productId,
    };
  });
}

export const feedbackSchema = z.strictObject({
  text: z.string().trim().min(1, 'Write the feedback first').max(2000, 'Feedback is at most 2000 characters'),
  /** the sprint item it is about; the review's current item when left out */
  itemId: z.uuid({ message: 'itemId must be an item of this sprint' }).optional(),
});

/**
 * Feedback from anyone in the review who may give it (members, guests), live. It is a note in the review session;
 * it changes nothing in the sprint.
 */
export async function addReviewFeedback(
  db: Db,
  sprintId: string,
  actorId: string,
  input: z.output<typeof feedbackSchema>,
) {
  const sprint = await loadSprint(db, sprintId);
  // Members are checked first, so an outsider learns nothing about the sprint (404); guests by their session below.
  if (guestParticipantOf(actorId) === null) await authorize(db, sprint.productId, actorId, 'review.feedback');
  if (!sprint.reviewSessionId) {
    if (guestParticipantOf(actorId) !== null) throw new AppError('not_found', 'No such sprint');
    throw new AppError('conflict', 'The sprint review has not started');
  }
  return sessionCommand(db, sprint.reviewSessionId, actorId, async (tx, access) => {
    const fresh = await loadSprint(tx, sprintId);
    assertNotClosed(fresh);
    if (!can(access.role, 'review.feedback'))
      throw new AppError('forbidden', 'Your role may not give review feedback');
    const participant = assertParticipant(access);
    const itemId = input.itemId ?? access.session.currentItemId;
    if (itemId) {
      const [row] = await tx
        .select({ itemId: sprintItems.itemId })
        .from(sprintItems)
        .where(
          and(
            eq(sprintItems.sprintId, sprintId),
            eq(sprintItems.itemId, itemId),
            isNull(sprintItems.removedAt),
          ),
        );
      if (!row) throw new AppError('invalid', 'itemId must be an item of this sprint', { field: 'itemId' });
    }
    const [note] = await tx
      .insert(sessionNotes)
      .values({
        sessionId: access.session.id,
        itemId: itemId ?? null,
        participantId: participant.id,
        kind: 'feedback',
        text: input.text,
      })
      .returning();
    return {
      id: note.id,
      text: note.text,
      itemId: note.itemId,
      createdAt: note.createdAt,
      sessionId: access.session.id,
    };
  });
}

export const convertFeedbackSchema = z.strictObject({
  noteId: z.uuid({ message: 'noteId must be a feedback note of this review' }),
  title: z
    .string()
    .trim()
    .min(1, 'Title is required')
    .max(300, 'Title must be at most 300 characters')
    .optional(),
  type: z.enum(itemTypes, { message: `type must be one of ${itemTypes.join(', ')}` }).default('story'),
  description: z.string().max(20_000, 'Description must be at most 20,000 characters').optional(),
  /** where the new item goes in the backlog */
  placement: placementSchema,
});

/**
 * Turns a feedback note into a new backlog item where the product owner places it. Never a change to the current
 * sprint: the new item is in no sprint.
 */
export async function convertFeedbackToItem(
  db: Db,
  sprintId: string,
  actorId: string,
  input: z.output<typeof convertFeedbackSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'backlog.order', async (tx, { sprint }) => {
    if (!sprint.reviewSessionId) throw new AppError('conflict', 'The sprint review has not started');
    const [note] = await tx
      .select()
      .from(sessionNotes)
      .where(
        and(
          eq(sessionNotes.id, input.noteId),
          eq(sessionNotes.sessionId, sprint.reviewSessionId),
          eq(sessionNotes.kind, 'feedback'),
        ),
      );
    if (!note) throw new AppError('not_found', 'No such feedback in this review');
    const [done] = await tx.select().from(feedbackItems).where(eq(feedbackItems.noteId, note.id));
    if (done) throw new AppError('conflict', 'This feedback is already a backlog item', { field: 'noteId' });
    const rank = await rankFor(tx, sprint.productId, input.placement as Placement);
    const title = input.title ?? (note.text.split('\n')[0].slice(0, 120) || 'Review feedback');
    const description = input.description ?? `From the review of ${sprint.name}: ${note.text}`;
    const [item] = await tx
      .insert(backlogItems)
      .values({
        productId: sprint.productId,
        type: input.type,
        title,
        description,
        rank,
        status: 'new',
        createdBy: actorId,
      })
      .returning();
    await keepRanksShort(tx, sprint.productId, rank);
    await tx.insert(feedbackItems).values({ noteId: note.id, sprintId, itemId: item.id, createdBy: actorId });
    // In a product connected to Jira, the new item becomes a Jira issue too (decision 0038).
    await queueCreatePush(tx, sprint.productId, item.id, null);
    await tx.update(sessionNotes).set({ resolvedAt: new Date() }).where(eq(sessionNotes.id, note.id));
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId: item.id,
        actorId,
        kind: 'created',
        after: {
          title,
          type: input.type,
          placement: input.placement,
          rank,
          sprintId,
          fromFeedbackNoteId: note.id,
        },
        reason: `Review feedback: ${note.text.slice(0, 500)}`,
        sessionId: sprint.reviewSessionId,
      },
    ]);
    return {
      itemId: item.id,
      title,
      rank,
      noteId: note.id,
      sessionId: sprint.reviewSessionId,
      productId: sprint.productId,
    };
  });
}

export const unfinishedSchema = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({
      decision: z.literal('backlog'),
      placement: placementSchema,
      reason: z.string().trim().max(1000).optional(),
    }),
    z.strictObject({
      decision: z.literal('next_sprint'),
      nextSprintId: z.uuid({ message: 'nextSprintId must be a planned or running sprint of this product' }),
      reason: z.string().trim().max(1000).optional(),
    }),
  ],
  { message: 'decision must be backlog (with a placement) or next_sprint (with nextSprintId)' },
);
export type UnfinishedInput = z.output<typeof unfinishedSchema>;

/**
 * An unfinished item (not done): the product owner sends it back to the backlog at a chosen place, to be
 * re-evaluated, or into the next sprint.
 */
export async function decideUnfinishedItem(
  db: Db,
  sprintId: string,
  itemId: string,
  actorId: string,
  input: UnfinishedInput,
) {
  return sprintCommand(db, sprintId, actorId, 'backlog.order', async (tx, { sprint }) => {
    const row = await membershipFor(tx, sprintId, itemId, 'decide_unfinished');
    const item = await loadItem(tx, itemId);
    const now = new Date();
    const where = and(eq(sprintItems.sprintId, sprintId), eq(sprintItems.itemId, itemId));
    if (input.decision === 'backlog') {
      const rank = await rankFor(tx, sprint.productId, input.placement as Placement, itemId);
      const status = ['new', 'refined', 'ready'].includes(row.statusBefore) ? row.statusBefore : 'refined';
      await tx.update(sprintItems).set({ unfinishedDecision: 'backlog', decidedAt: now }).where(where);
      await tx.update(backlogItems).set({ status, rank, updatedAt: now }).where(eq(backlogItems.id, itemId));
      await keepRanksShort(tx, sprint.productId, rank);
      await recordDecisions(tx, [
        {
          productId: sprint.productId,
          itemId,
          actorId,
          kind: 'sprint_item_unfinished',
          before: { status: item.status, rank: item.rank },
          after: {
            sprintId,
            points: item.estimate,
            decision: 'backlog',
            status,
            rank,
            placement: input.placement,
          },
          reason: input.reason ?? '',
          sessionId: sprint.reviewSessionId,
        },
      ]);
      return {
        sprintId,
        itemId,
        decision: 'backlog' as const,
        productId: sprint.productId,
        sessionId: sprint.reviewSessionId,
      };
    }
    const next = await loadSprint(tx, input.nextSprintId).catch(() => null);
    if (!next || next.productId !== sprint.productId || next.id === sprintId || next.state === 'closed') {
      throw new AppError(
        'invalid',
        'nextSprintId must be another planned or running sprint of this product',
        { field: 'nextSprintId' },
      );
    }
    await tx
      .update(sprintItems)
      .set({ unfinishedDecision: 'next_sprint', nextSprintId: next.id, decidedAt: now })
      .where(where);
    const values = {
      pointsAtCommit: item.estimate,
      statusBefore: row.statusBefore,
      notReadyReason: row.notReadyReason,
      addedBy: actorId,
      addedAt: now,
      removedAt: null,
      doneAt: null,
      outcome: null,
      pointsAtReview: null,
      outcomeNote: '',
      decidedAt: null,
      unfinishedDecision: null,
      nextSprintId: null,
    };
    await tx
      .insert(sprintItems)
      .values({ sprintId: next.id, itemId, ...values })
      .onConflictDoUpdate({ target: [sprintItems.sprintId, sprintItems.itemId], set: values });
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'sprint_item_unfinished',
        before: { status: item.status },
        after: {
          sprintId,
          points: item.estimate,
          decision: 'next_sprint',
          nextSprintId: next.id,
          status: item.status,
        },
        reason: input.reason ?? '',
        sessionId: sprint.reviewSessionId,
      },
      {
        productId: sprint.productId,
        itemId,
        actorId,
        kind: 'sprint_item_added',
        before: { status: item.status },
        after: {
          sprintId: next.id,
          points: item.estimate,
          status: item.status,
          notReady: row.notReadyReason !== null,
          carriedOverFrom: sprintId,
        },
        reason: input.reason ?? `Unfinished in ${sprint.name}`,
        sessionId: sprint.reviewSessionId,
      },
    ]);
    return {
      sprintId,
      itemId,
      decision: 'next_sprint' as const,
      nextSprintId: next.id,
      productId: sprint.productId,
      sessionId: sprint.reviewSessionId,
    };
  });
}

export const closeSprintSchema = z.strictObject({
  goalMet: z.boolean({ message: 'goalMet must be true or false: was the sprint goal met?' }),
  note: z
    .string()
    .trim()
    .min(1, 'Write a note on the sprint goal')
    .max(2000, 'The note is at most 2000 characters'),
});

/**
 * Closes the sprint at its review (product owner): every done item accepted or rejected, every unfinished one
 * decided. Records whether the goal was met; ends the review session. From then on the sprint is read-only.
 */
export async function closeSprint(
  db: Db,
  sprintId: string,
  actorId: string,
  input: z.output<typeof closeSprintSchema>,
) {
  return sprintCommand(db, sprintId, actorId, 'review.decide', async (tx, { sprint }) => {
    if (sprint.state !== 'active')
      throw new AppError(
        'conflict',
        'This sprint never started; start it, or change its dates, instead of closing it',
      );
    const rows = await tx.select().from(sprintItems).where(eq(sprintItems.sprintId, sprintId));
    const why = closeRefusal(rows);
    if (why) throw new AppError('conflict', why);
    const now = new Date();
    const velocity = sprintVelocity(rows.map((r) => ({ outcome: r.outcome, points: r.pointsAtReview })));
    await tx
      .update(sprints)
      .set({ state: 'closed', goalMet: input.goalMet, goalNote: input.note, closedAt: now })
      .where(eq(sprints.id, sprintId));
    if (sprint.reviewSessionId) {
      await tx
        .update(liveSessions)
        .set({ endedAt: now, phase: 'wrap_up', timerEndsAt: null, timerSeconds: null })
        .where(and(eq(liveSessions.id, sprint.reviewSessionId), isNull(liveSessions.endedAt)));
    }
    const accepted = rows.filter((r) => r.outcome === 'accepted').length;
    const rejected = rows.filter((r) => r.outcome === 'rejected').length;
    await recordDecisions(tx, [
      {
        productId: sprint.productId,
        actorId,
        kind: 'sprint_closed',
        before: { sprintId, state: sprint.state },
        after: { sprintId, state: 'closed', goalMet: input.goalMet, velocity, accepted, rejected },
        reason: input.note,
        sessionId: sprint.reviewSessionId,
      },
    ]);
    return {
      sprintId,
      velocity,
      accepted,
      rejected,
      productId: sprint.productId,
      sessionId: sprint.reviewSessionId,
    };
  });
}

/** Review lines of an item across sprints, newest first, for the item page and the next refinement. */
export async function reviewFeedbackForItem(db: Db | Tx, itemId: string) {
  const rows = await db
    .select({
      sprintId: sprintItems.sprintId,
      sprintName: sprints.name,
      outcome: sprintItems.outcome,
      note: sprintItems.outcomeNote,
      decidedAt: sprintItems.decidedAt,
    })
    .from(sprintItems)
    .innerJoin(sprints, eq(sprints.id, sprintItems.sprintId))
    .where(and(eq(sprintItems.itemId, itemId), ne(sprintItems.outcome, 'accepted')));
  const result = [];
  for (const r of rows.filter((x) => x.outcome === 'rejected')) {
    const lines = await db
      .select({ line: reviewResults.line, label: reviewResults.label, feedback: reviewResults.feedback })
      .from(reviewResults)
      .where(
        and(
          eq(reviewResults.sprintId, r.sprintId),
          eq(reviewResults.itemId, itemId),
          eq(reviewResults.met, false),
        ),
      );
    result.push({ ...r, unmet: lines });
  }
  return result.sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0));
}
