import { and, asc, eq, inArray } from 'drizzle-orm';
import { debtItemType, plannedDebt } from '~/domain/debt-share';
import { AppError } from '~/domain/errors';
import { mayAccept, mayEditText } from '~/domain/policies';
import type { ReviewReport } from '~/domain/review-report';
import { reconcileTicks, reviewLines } from '~/domain/review-rules';
import { type ActorRole, can } from '~/domain/roles';
import { commitmentCheck, sprintItemState, sprintVelocity, velocitySummary } from '~/domain/sprint-rules';
import { authorize } from '~/services/products.server';
import { guestParticipantOf, sessionAccess } from '~/services/sessions/access.server';
import type { Db } from '../../../db/client';
import {
  backlogItems,
  feedbackItems,
  liveSessions,
  products,
  reviewResults,
  sessionNotes,
  sessionParticipants,
  sprintItems,
  sprints,
  users,
} from '../../../db/schema';
import { loadSprint, type SprintRow } from './common.server';
import { planningCandidates } from './planning.server';
import { sprintFigures } from './sprints.server';

/**
 * Who may read a sprint: members of its product, and guests of its review session (who see what the review room
 * shows, nothing else of the product).
 */
export async function sprintReader(
  db: Db,
  sprintId: string,
  actorId: string,
): Promise<{ sprint: SprintRow; role: ActorRole }> {
  const sprint = await loadSprint(db, sprintId);
  if (guestParticipantOf(actorId) !== null) {
    if (!sprint.reviewSessionId) throw new AppError('not_found', 'No such sprint');
    const access = await sessionAccess(db, sprint.reviewSessionId, actorId).catch(() => null);
    if (!access) throw new AppError('not_found', 'No such sprint');
    return { sprint, role: 'guest' };
  }
  return { sprint, role: await authorize(db, sprint.productId, actorId, 'product.view') };
}

/** The sprint's items in backlog order with their checklists, results and feedback. */
async function itemsOf(db: Db, sprint: SprintRow) {
  const [product] = await db
    .select({ name: products.name, dod: products.definitionOfDone, debtShare: products.techDebtShare })
    .from(products)
    .where(eq(products.id, sprint.productId));
  const rows = await db
    .select({ member: sprintItems, item: backlogItems })
    .from(sprintItems)
    .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
    .where(eq(sprintItems.sprintId, sprint.id))
    .orderBy(asc(backlogItems.rank));
  const results = await db.select().from(reviewResults).where(eq(reviewResults.sprintId, sprint.id));
  const nextIds = [...new Set(rows.map((r) => r.member.nextSprintId).filter((x): x is string => x !== null))];
  const nextNames = nextIds.length
    ? await db
        .select({ id: sprints.id, name: sprints.name })
        .from(sprints)
        .where(inArray(sprints.id, nextIds))
    : [];
  const items = rows.map(({ member, item }) => {
    const mine = results.filter((r) => r.itemId === item.id);
    const decided = member.outcome !== null;
    // Once decided, the checklist is the one the PO saw (labels kept); before that, the item's current one, with
    // the ticks made on lines that have since changed or gone shown apart (they are dropped at the decision).
    const checklist = decided ? null : reconcileTicks(reviewLines(item.criteria, product.dod), mine);
    const lines = checklist
      ? checklist.lines.map((l) => ({
          line: l.key,
          label: l.label,
          met: l.met,
          feedback: l.feedback,
          changedSinceTicked: l.changedSinceTicked,
        }))
      : mine.map((r) => ({
          line: r.line,
          label: r.label,
          met: r.met as boolean | null,
          feedback: r.feedback,
          changedSinceTicked: false,
        }));
    const outdatedTicks = checklist?.outdated ?? [];
    return {
      id: item.id,
      title: item.title,
      /** the story as written ("As a … I want … so that …"): plain text, shown to everyone in the review */
      description: item.description,
      type: item.type,
      status: item.status,
      estimate: item.estimate,
      /** for technical debt: what it costs in value terms */
      debtImpact: item.debtImpact,
      state: sprintItemState(member),
      pointsAtCommit: member.pointsAtCommit,
      pointsAtReview: member.pointsAtReview,
      notReadyReason: member.notReadyReason,
      addedAt: member.addedAt,
      doneAt: member.doneAt,
      outcome: member.outcome,
      outcomeNote: member.outcomeNote,
      unfinishedDecision: member.unfinishedDecision,
      nextSprintId: member.nextSprintId,
      nextSprintName: nextNames.find((n) => n.id === member.nextSprintId)?.name ?? null,
      lines,
      outdatedTicks,
    };
  });
  return { productName: product.name, debtShare: product.debtShare, items };
}

async function feedbackOf(db: Db, sprint: SprintRow) {
  return sprint.reviewSessionId ? reviewFeedback(db, sprint.reviewSessionId) : [];
}

/** The feedback given in a review session, oldest first, with who gave it and the backlog item it became. */
export async function reviewFeedback(db: Db, reviewSessionId: string) {
  const rows = await db
    .select({
      id: sessionNotes.id,
      text: sessionNotes.text,
      itemId: sessionNotes.itemId,
      createdAt: sessionNotes.createdAt,
      author: users.displayName,
      guestName: sessionParticipants.guestName,
      createdItemId: feedbackItems.itemId,
      createdItemTitle: backlogItems.title,
    })
    .from(sessionNotes)
    .leftJoin(sessionParticipants, eq(sessionParticipants.id, sessionNotes.participantId))
    .leftJoin(users, eq(users.id, sessionParticipants.userId))
    .leftJoin(feedbackItems, eq(feedbackItems.noteId, sessionNotes.id))
    .leftJoin(backlogItems, eq(backlogItems.id, feedbackItems.itemId))
    .where(and(eq(sessionNotes.sessionId, reviewSessionId), eq(sessionNotes.kind, 'feedback')))
    .orderBy(asc(sessionNotes.createdAt));
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    itemId: r.itemId,
    createdAt: r.createdAt,
    author: r.author ?? r.guestName ?? 'Someone',
    createdItem: r.createdItemId ? { id: r.createdItemId, title: r.createdItemTitle ?? '' } : null,
  }));
}

/** Everything the planning page and the review room show of a sprint. */
export async function sprintView(db: Db, sprintId: string, actorId: string) {
  const { sprint, role } = await sprintReader(db, sprintId, actorId);
  const [{ productName, debtShare, items }, feedback, figures] = await Promise.all([
    itemsOf(db, sprint),
    feedbackOf(db, sprint),
    sprintFigures(db, sprint.productId),
  ]);
  const closedVelocities = figures
    .filter((s) => s.state === 'closed' && s.id !== sprint.id)
    .map((s) => s.velocity);
  const summary = velocitySummary(closedVelocities);
  const inScope = items.filter((i) => i.state !== 'removed');
  const committed = inScope.reduce((sum, i) => sum + (i.estimate ?? 0), 0);
  const [session] = sprint.reviewSessionId
    ? await db
        .select({ id: liveSessions.id, joinCode: liveSessions.joinCode, endedAt: liveSessions.endedAt })
        .from(liveSessions)
        .where(eq(liveSessions.id, sprint.reviewSessionId))
    : [];
  const open = sprint.state !== 'closed';
  return {
    sprint: {
      id: sprint.id,
      productId: sprint.productId,
      productName,
      name: sprint.name,
      startDate: sprint.startDate,
      endDate: sprint.endDate,
      goal: sprint.goal,
      capacity: sprint.capacity,
      state: sprint.state,
      goalMet: sprint.goalMet,
      goalNote: sprint.goalNote,
      reviewSessionId: sprint.reviewSessionId,
      startedAt: sprint.startedAt,
      closedAt: sprint.closedAt,
    },
    role,
    may: {
      plan: open && mayEditText(role),
      setDone: open && sprint.state === 'active' && can(role, 'item.estimate'),
      decide: open && mayAccept(role),
      feedback: open && session !== undefined && !session.endedAt && can(role, 'review.feedback'),
    },
    /** the join link's code, for the product owner to share with guests */
    review: session
      ? {
          sessionId: session.id,
          ended: session.endedAt !== null,
          joinCode: can(role, 'session.run') ? session.joinCode : null,
        }
      : null,
    items,
    feedback,
    velocity: sprintVelocity(items.map((i) => ({ outcome: i.outcome, points: i.pointsAtReview }))),
    commitment: commitmentCheck(committed, summary, sprint.capacity),
    /** technical debt planned against the product's share, and the debt items' impacts to argue for them */
    debt: {
      ...plannedDebt(inScope, debtShare, sprint.capacity),
      items: inScope
        .filter((i) => i.type === debtItemType)
        .map((i) => ({ id: i.id, title: i.title, estimate: i.estimate, impact: i.debtImpact })),
    },
    recentVelocity: summary,
    candidates:
      open && role !== 'guest' && role !== 'stakeholder'
        ? await planningCandidates(db, sprint.productId, 50)
        : [],
  };
}
export type SprintView = Awaited<ReturnType<typeof sprintView>>;

/** The review report: read-only, for anyone in the product (stakeholders included) and the review's guests. */
export async function reviewReport(db: Db, sprintId: string, actorId: string): Promise<ReviewReport> {
  const { sprint } = await sprintReader(db, sprintId, actorId);
  const [{ productName, items }, feedback] = await Promise.all([itemsOf(db, sprint), feedbackOf(db, sprint)]);
  const inScope = items.filter((i) => i.state !== 'removed');
  const toReport = (i: (typeof items)[number]) => ({
    id: i.id,
    title: i.title,
    type: i.type,
    points: i.pointsAtReview ?? i.estimate,
    state: i.state,
    note: i.outcomeNote,
    lines: i.lines,
    unfinishedDecision: i.unfinishedDecision,
    nextSprintName: i.nextSprintName,
    notReadyReason: i.notReadyReason,
  });
  const titleOf = new Map(items.map((i) => [i.id, i.title]));
  return {
    sprint: {
      id: sprint.id,
      name: sprint.name,
      productName,
      goal: sprint.goal,
      startDate: sprint.startDate,
      endDate: sprint.endDate,
      state: sprint.state,
      goalMet: sprint.goalMet,
      goalNote: sprint.goalNote,
      capacity: sprint.capacity,
      closedAt: sprint.closedAt?.toISOString() ?? null,
    },
    velocity: sprintVelocity(items.map((i) => ({ outcome: i.outcome, points: i.pointsAtReview }))),
    committedPoints: inScope.reduce((sum, i) => sum + ((i.outcome ? i.pointsAtReview : i.estimate) ?? 0), 0),
    accepted: inScope.filter((i) => i.state === 'accepted').map(toReport),
    rejected: inScope.filter((i) => i.state === 'rejected').map(toReport),
    awaiting: inScope.filter((i) => i.state === 'done').map(toReport),
    unfinished: inScope.filter((i) => ['committed', 'returned', 'moved_on'].includes(i.state)).map(toReport),
    feedback: feedback.map((f) => ({
      id: f.id,
      text: f.text,
      author: f.author,
      itemTitle: f.itemId ? (titleOf.get(f.itemId) ?? null) : null,
      createdItem: f.createdItem,
    })),
    newItems: feedback
      .filter((f) => f.createdItem)
      .map((f) => ({ id: f.createdItem!.id, title: f.createdItem!.title, fromFeedback: f.text })),
  };
}

/** The sprint a review session belongs to, or null for any other session. */
export async function sprintOfReviewSession(db: Db, sessionId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: sprints.id })
    .from(sprints)
    .where(eq(sprints.reviewSessionId, sessionId));
  return row?.id ?? null;
}
