import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import {
  backlogItems,
  liveSessions,
  products,
  reviewResults,
  sprintItems,
  sprints,
} from '../../../db/schema';
import type { AppServices } from '~/context';
import { sessionDocument } from '~/domain/document-names';
import { type OutdatedTick, reconcileTicks, reviewLines } from '~/domain/review-rules';
import { publishBacklogChange } from '~/services/backlog/live.server';
import { publishSession } from '~/services/sessions/live.server';
import { reviewFeedback } from './view.server';

type Services = Pick<AppServices, 'db' | 'live' | 'log'>;

export interface SprintChange {
  kind: string;
  sprintId: string;
  productId: string;
  /** the review session, when the change happened in (or concerns) a running review */
  sessionId?: string | null;
  /** backlog items whose status, rank or membership changed */
  itemIds?: string[];
}

export interface ReviewItemState {
  outcome: string | null;
  done: boolean;
  unfinished: string | null;
  /** the ticks that apply to the checklist as it reads now */
  lines: Record<string, boolean>;
  /** lines not ticked because their criterion changed after it was ticked */
  changed: string[];
  /** ticks made on lines since edited or removed (a not-met one blocks the accept until cleared) */
  outdated: Array<Pick<OutdatedTick, 'line' | 'label' | 'met' | 'reason'>>;
}

/**
 * The public state of a review: per item, its outcome, each ticked line (met or not), and which lines changed since
 * they were ticked. Nothing in a review is secret, so the room can draw the ticks straight from the document as the
 * product owner makes them.
 */
/** A feedback note as everyone in the review reads it (nothing in a review is secret). */
export interface LiveFeedback {
  id: string;
  text: string;
  itemId: string | null;
  author: string;
}

export interface LiveReviewState {
  sprintId: string;
  items: Record<string, ReviewItemState>;
  /** the review's feedback, oldest first */
  feedback: LiveFeedback[];
}

async function reviewState(
  services: Services,
  sprintId: string,
  sessionId: string,
): Promise<LiveReviewState> {
  const [members, ticks, notes] = await Promise.all([
    services.db
      .select({
        itemId: sprintItems.itemId,
        outcome: sprintItems.outcome,
        doneAt: sprintItems.doneAt,
        unfinished: sprintItems.unfinishedDecision,
        criteria: backlogItems.criteria,
        dod: products.definitionOfDone,
      })
      .from(sprintItems)
      .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
      .innerJoin(products, eq(products.id, backlogItems.productId))
      .where(eq(sprintItems.sprintId, sprintId)),
    services.db
      .select({
        itemId: reviewResults.itemId,
        line: reviewResults.line,
        label: reviewResults.label,
        met: reviewResults.met,
      })
      .from(reviewResults)
      .where(eq(reviewResults.sprintId, sprintId)),
    reviewFeedback(services.db, sessionId),
  ]);
  const items: Record<string, ReviewItemState> = {};
  for (const m of members) {
    const mine = ticks.filter((t) => t.itemId === m.itemId);
    const state: ReviewItemState = {
      outcome: m.outcome,
      done: m.doneAt !== null,
      unfinished: m.unfinished,
      lines: {},
      changed: [],
      outdated: [],
    };
    if (m.outcome !== null) {
      // decided: the checklist it was decided on
      for (const t of mine) state.lines[t.line] = t.met;
    } else {
      const checklist = reconcileTicks(reviewLines(m.criteria, m.dod), mine);
      state.lines = checklist.results;
      state.changed = checklist.lines.filter((l) => l.changedSinceTicked).map((l) => l.key);
      state.outdated = checklist.outdated.map(({ line, label, met, reason }) => ({
        line,
        label,
        met,
        reason,
      }));
    }
    items[m.itemId] = state;
  }
  const feedback = notes.map((n) => ({ id: n.id, text: n.text, itemId: n.itemId, author: n.author }));
  return { sprintId, items, feedback };
}

/**
 * After a sprint command: the review session's live document gets the new session state (version bump, so rooms
 * refetch) and the review's ticks; backlog views are told which items changed. A failure here never undoes the
 * command (Postgres has it).
 */
export async function publishSprintChange(services: Services, change: SprintChange) {
  if (change.sessionId) {
    // The ticks first: rooms draw them from the document as it arrives; the session's version bump that follows
    // makes them reload the rest (outcomes, feedback).
    try {
      const state = await reviewState(services, change.sprintId, change.sessionId);
      await services.live.update(sessionDocument(change.sessionId), (doc) => {
        const map = doc.getMap('review');
        doc.transact(() => {
          map.set('version', ((map.get('version') as number | undefined) ?? 0) + 1);
          map.set('change', { kind: change.kind, at: Date.now() });
          map.set('state', state);
        });
      });
    } catch (error) {
      services.log.warn({ event: 'live_publish_failed', sessionId: change.sessionId, err: error });
    }
    await publishSession(services, change.sessionId, change.kind);
  }
  if (change.itemIds && change.itemIds.length > 0) {
    await publishBacklogChange(services, change.productId, { kind: change.kind, itemIds: change.itemIds });
  }
}

/**
 * After the product's Definition of Done changed: its running review (one sprint runs at a time) shows the new
 * checklist, with the lines whose text changed since they were ticked.
 */
export async function publishDefinitionOfDoneChange(services: Services, productId: string) {
  try {
    const reviews = await services.db
      .select({ sprintId: sprints.id, productId: sprints.productId, sessionId: sprints.reviewSessionId })
      .from(sprints)
      .innerJoin(liveSessions, eq(liveSessions.id, sprints.reviewSessionId))
      .where(
        and(eq(sprints.productId, productId), eq(sprints.state, 'active'), isNull(liveSessions.endedAt)),
      );
    for (const r of reviews) await publishSprintChange(services, { kind: 'definitionOfDoneChanged', ...r });
  } catch (error) {
    services.log.warn({ event: 'live_publish_failed', productId, err: error });
  }
}

/**
 * After an item's acceptance criteria changed (over HTTP or in its live document): every running review with the
 * item still undecided shows the new checklist at once, with the lines that changed since they were ticked.
 */
export async function publishCriteriaChange(services: Services, itemId: string) {
  try {
    const reviews = await services.db
      .select({ sprintId: sprints.id, productId: sprints.productId, sessionId: sprints.reviewSessionId })
      .from(sprintItems)
      .innerJoin(sprints, eq(sprints.id, sprintItems.sprintId))
      .innerJoin(liveSessions, eq(liveSessions.id, sprints.reviewSessionId))
      .where(
        and(
          eq(sprintItems.itemId, itemId),
          isNull(sprintItems.outcome),
          isNull(sprintItems.removedAt),
          isNotNull(sprints.reviewSessionId),
          isNull(liveSessions.endedAt),
        ),
      );
    for (const r of reviews) await publishSprintChange(services, { kind: 'criteriaChanged', ...r });
  } catch (error) {
    services.log.warn({ event: 'live_publish_failed', itemId, err: error });
  }
}
