import type * as Y from 'yjs';
import type { ReviewLineView, SprintItemView } from '~/components/review/types';
import type { LiveFeedback, LiveReviewState } from '~/services/sprints/live.server';

/** The map of a review session's live document where the server writes the review's ticks (publishSprintChange). */
export const reviewMapName = 'review';

/** The review's public state as the document has it, and the server time it was written. */
export interface LiveReview {
  state: LiveReviewState;
  at: number;
}

export function readLiveReview(doc: Y.Doc): LiveReview | null {
  const map = doc.getMap(reviewMapName);
  const state = map.get('state') as LiveReviewState | undefined;
  const at = (map.get('change') as { at?: unknown } | undefined)?.at;
  if (!state || typeof state !== 'object' || !state.items || typeof at !== 'number') return null;
  return { state, at };
}

/** Whether the live review state speaks of this sprint and was written after the room's data was read. */
function applies(
  live: LiveReview | null | undefined,
  sprintId: string,
  loadedAt: number | undefined,
): live is LiveReview {
  return !!live && loadedAt !== undefined && live.at >= loadedAt && live.state.sprintId === sprintId;
}

/**
 * The review's items with their ticks from the live document when it was written after the room's data was read
 * (`loadedAt`): a Met / Not met shows in every room as the document arrives, before the room reloads. Only lines of
 * items still under review (done, no outcome) and of the same sprint; an outcome, feedback or anything else comes
 * with the reload. Returns `items` itself when nothing changes.
 */
export function liveReviewItems<I extends Pick<SprintItemView, 'id' | 'state'> & { lines: ReviewLineView[] }>(
  items: I[],
  sprintId: string,
  live: LiveReview | null | undefined,
  loadedAt: number | undefined,
): I[] {
  if (!applies(live, sprintId, loadedAt)) return items;
  let changed = false;
  const next = items.map((item) => {
    const fresh = live.state.items[item.id];
    if (item.state !== 'done' || !fresh || fresh.outcome !== null) return item;
    const lines = item.lines.map((l) => {
      const met = Object.hasOwn(fresh.lines, l.line) ? fresh.lines[l.line] : null;
      const changedSinceTicked = fresh.changed.includes(l.line);
      if (met === l.met && changedSinceTicked === l.changedSinceTicked) return l;
      return { ...l, met, changedSinceTicked };
    });
    if (lines.every((l, i) => l === item.lines[i])) return item;
    changed = true;
    return { ...item, lines };
  });
  return changed ? next : items;
}

/**
 * The review's feedback with the notes the live document has and the room's data does not yet (given after it was
 * read): a note shows in every room as the document arrives. Notes the data has keep its fields (such as the item a
 * note became); `fresh` makes a room's entry of a note only the document has. Returns `loaded` itself when the
 * document adds or removes nothing.
 */
export function liveFeedback<F extends { id: string }>(
  loaded: F[],
  sprintId: string,
  live: LiveReview | null | undefined,
  loadedAt: number | undefined,
  fresh: (note: LiveFeedback) => F,
): F[] {
  if (!applies(live, sprintId, loadedAt)) return loaded;
  const notes = live.state.feedback;
  if (!Array.isArray(notes)) return loaded;
  const known = new Map(loaded.map((f) => [f.id, f]));
  if (notes.length === loaded.length && notes.every((n) => known.has(n.id))) return loaded;
  return notes.map((n) => known.get(n.id) ?? fresh(n));
}
