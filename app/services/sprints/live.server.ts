import { eq } from 'drizzle-orm';
import { reviewResults, sprintItems } from '../../../db/schema';
import type { AppServices } from '../../context';
import { sessionDocument } from '../../domain/document-names';
import { publishBacklogChange } from '../backlog/live.server';
import { publishSession } from '../sessions/live.server';

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

/**
 * The public state of a review: per item, its outcome and each ticked line (met or not). Nothing in a review is
 * secret, so the room can draw the ticks straight from the document as the product owner makes them.
 */
async function reviewState(services: Services, sprintId: string) {
  const [members, lines] = await Promise.all([
    services.db
      .select({
        itemId: sprintItems.itemId,
        outcome: sprintItems.outcome,
        doneAt: sprintItems.doneAt,
        unfinished: sprintItems.unfinishedDecision,
      })
      .from(sprintItems)
      .where(eq(sprintItems.sprintId, sprintId)),
    services.db
      .select({ itemId: reviewResults.itemId, line: reviewResults.line, met: reviewResults.met })
      .from(reviewResults)
      .where(eq(reviewResults.sprintId, sprintId)),
  ]);
  const items: Record<
    string,
    { outcome: string | null; done: boolean; unfinished: string | null; lines: Record<string, boolean> }
  > = {};
  for (const m of members)
    items[m.itemId] = { outcome: m.outcome, done: m.doneAt !== null, unfinished: m.unfinished, lines: {} };
  for (const l of lines) if (items[l.itemId]) items[l.itemId].lines[l.line] = l.met;
  return { sprintId, items };
}

/**
 * After a sprint command: the review session's live document gets the new session state (version bump, so rooms
 * refetch) and the review's ticks; backlog views are told which items changed. A failure here never undoes the
 * command (Postgres has it).
 */
export async function publishSprintChange(services: Services, change: SprintChange) {
  if (change.sessionId) {
    await publishSession(services, change.sessionId, change.kind);
    try {
      const state = await reviewState(services, change.sprintId);
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
  }
  if (change.itemIds && change.itemIds.length > 0) {
    await publishBacklogChange(services, change.productId, { kind: change.kind, itemIds: change.itemIds });
  }
}
