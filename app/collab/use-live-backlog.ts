import { productDocument } from '~/domain/document-names';
import { type LiveStatus, useLiveDocument } from './use-live-document';

export type { LiveStatus } from './use-live-document';

/**
 * Keeps a backlog view current: connects (read-only) to the product's live document and reloads the page's data
 * whenever the server announces a new backlog version. The order itself always comes from Postgres over HTTP;
 * the live document only says "something changed". `loadedAt` is the server time of the data on screen.
 */
export function useLiveBacklog(productId: string, loadedAt: number): LiveStatus {
  return useLiveDocument(productDocument(productId), 'backlog', loadedAt).status;
}
