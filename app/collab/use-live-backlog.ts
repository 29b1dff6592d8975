import { productDocument } from '~/domain/document-names';
import { type LiveStatus, useLiveDocument } from './use-live-document';

export type { LiveStatus } from './use-live-document';

/**
 * Keeps a backlog view current: connects (read-only) to the product's live document and reloads the page's data
 * whenever the server announces a new backlog version. The order itself always comes from Postgres over HTTP;
 * the live document only says "something changed". `loadedAt` is the server time of the data on screen.
 */
export function useLiveBacklog(
  productId: string,
  loadedAt: number,
  /** whether a change can alter this view (see `useLiveDocument`); every change by default */
  relevant?: (change: unknown) => boolean,
): LiveStatus {
  return useLiveDocument(productDocument(productId), 'backlog', loadedAt, undefined, relevant).status;
}

/**
 * Whether an announced backlog change can alter a backlog list. An edit of an item's description or criteria
 * (typed live, stored every few seconds while someone writes) changes no column of the list; it matters only to a
 * text search, which also looks in descriptions.
 */
export function backlogChangeMatters(change: unknown, query: { q?: string | null }): boolean {
  const kind = change && typeof change === 'object' ? (change as { kind?: unknown }).kind : undefined;
  if (kind === 'text_edited') return Boolean(query.q);
  return true;
}
