import type { AppServices } from '~/context';
import type { ItemTexts } from '~/domain/item-text';
import { publishItemText } from '~/services/backlog/item-text.server';
import { publishBacklogChange } from '~/services/backlog/live.server';
import { publishSession } from '~/services/sessions/live.server';
import {
  type SprintChange,
  publishCriteriaChange,
  publishDefinitionOfDoneChange,
  publishSprintChange,
} from '~/services/sprints/live.server';

/**
 * What a command changed that open live views must learn, as data. A command names its effects; the runner
 * publishes them, in order, after the command is committed (so no door into a command can forget one). Only
 * public facts travel this way; every effect's publisher logs a failure and never undoes the command.
 */
export type LiveEffect =
  /** the session's live document gets its new public state */
  | { to: 'session'; sessionId: string }
  /** backlog views of the product reload these items (`change` names the change; default: the command) */
  | { to: 'backlog'; productId: string; itemIds: string[]; change?: string }
  /** the item's live text document takes the new text written over HTTP */
  | { to: 'itemText'; itemId: string; texts: Partial<ItemTexts> }
  /** reviews showing the item's acceptance criteria redraw them */
  | { to: 'criteria'; itemId: string }
  /** the review room and backlog views of a sprint */
  | { to: 'sprint'; change: Omit<SprintChange, 'kind'> }
  /** the product's running review shows the new Definition of Done */
  | { to: 'definitionOfDone'; productId: string };

type Services = Pick<AppServices, 'db' | 'live' | 'log'>;

export const backlogEffect = (productId: string, itemIds: string[], change?: string): LiveEffect => ({
  to: 'backlog',
  productId,
  itemIds,
  change,
});

async function publishEffect(services: Services, command: string, effect: LiveEffect) {
  switch (effect.to) {
    case 'session':
      return publishSession(services, effect.sessionId, command);
    case 'backlog':
      return publishBacklogChange(services, effect.productId, {
        kind: effect.change ?? command,
        itemIds: effect.itemIds,
      });
    case 'itemText':
      return publishItemText(services, effect.itemId, effect.texts);
    case 'criteria':
      return publishCriteriaChange(services, effect.itemId);
    case 'sprint':
      return publishSprintChange(services, { ...effect.change, kind: command });
    case 'definitionOfDone':
      return publishDefinitionOfDoneChange(services, effect.productId);
  }
}

/** Publishes a command's effects one after the other, in the order the command named them. */
export async function publishEffects(services: Services, command: string, effects: LiveEffect[]) {
  for (const effect of effects) await publishEffect(services, command, effect);
}
