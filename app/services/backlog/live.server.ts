import type { AppServices } from '~/context';
import { productDocument } from '~/domain/document-names';

export interface BacklogChange {
  kind: string;
  itemIds: string[];
}

/**
 * Tells every open backlog view of the product that the backlog changed. Only public facts go in the live
 * document: a version number and which items changed; the views fetch the new order over HTTP. A failure here
 * never undoes the command (Postgres already has it); views also refresh when they reconnect.
 */
export async function publishBacklogChange(
  services: Pick<AppServices, 'live' | 'log'>,
  productId: string,
  change: BacklogChange,
) {
  try {
    await services.live.update(productDocument(productId), (doc) => {
      const backlog = doc.getMap('backlog');
      doc.transact(() => {
        backlog.set('version', ((backlog.get('version') as number | undefined) ?? 0) + 1);
        backlog.set('change', { kind: change.kind, itemIds: change.itemIds.slice(0, 100), at: Date.now() });
      });
    });
  } catch (error) {
    services.log.warn({ event: 'live_publish_failed', productId, err: error });
  }
}
