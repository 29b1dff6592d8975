import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { backlogEffect, type LiveEffect } from '~/services/commands/live-effects.server';
import { recheckGoalRiskAfter } from '~/services/sprints/goal-risk.server';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import { archiveItems, archiveSchema, restoreItem } from './archive.server';
import { debtShareSchema, setDebtShare } from './debt-share.server';
import { updateDefinition, updateDefinitionSchema } from './definitions.server';
import { addDependency, removeDependency } from './dependencies.server';
import { importBacklogCsv, importSchema } from './import-export.server';
import { createItem, createItemSchema, loadItem, updateItem, updateItemSchema } from './items.server';
import { moveItem, moveSchema } from './moves.server';
import { applyProposal, applyProposalSchema } from './proposals.server';

/** What a backlog command acts on: the product, and the item for the commands on one item ('' for the others). */
export interface BacklogTarget {
  productId: string;
  itemId: string;
}

const command = <S extends z.ZodType, R>(spec: CommandSpec<BacklogTarget, S, R>) => spec;
const blockerSchema = z.strictObject({
  blockedById: z
    .uuid({ message: 'blockedById must be an item id' })
    .meta({ description: 'The blocking item' }),
});
export const restoreSchema = z.strictObject({
  reason: z.string().trim().max(1000, 'Reason must be at most 1000 characters').optional(),
});

/**
 * Every command that changes the backlog, defined once: its input, what it runs (the service checks who may), and
 * what it changed for the live views. The API operations, the pages' forms and the imports all run it through
 * `runBacklogCommand`, so every door publishes the same change (the `change` names are what views read).
 */
export const backlogCommands = {
  createItem: command({
    schema: createItemSchema,
    run: (s, t, actor, input) => createItem(s.db, t.productId, actor, input),
    effects: (item, t) => [backlogEffect(t.productId, [item.id], 'created')],
  }),
  updateItem: command({
    schema: updateItemSchema,
    run: async (s, t, actor, input) => {
      const item = await updateItem(s.db, t.itemId, actor, input);
      // A new estimate moves the burndown of a running sprint that holds the item.
      if (input.estimate !== undefined) await recheckGoalRiskAfter(s, [t.itemId]);
      return item;
    },
    effects: (_, t, input): LiveEffect[] => [
      // The text first: an editor's live document must hold it before any view reloads the item.
      {
        to: 'itemText',
        itemId: t.itemId,
        texts: { description: input.description, criteria: input.criteria },
      },
      backlogEffect(t.productId, [t.itemId], 'edited'),
      ...(input.criteria !== undefined ? [{ to: 'criteria' as const, itemId: t.itemId }] : []),
    ],
  }),
  moveItem: command({
    schema: moveSchema,
    run: (s, t, actor, input) => moveItem(s.db, t.itemId, actor, input),
    effects: (_, t) => [backlogEffect(t.productId, [t.itemId], 'moved')],
  }),
  archiveItems: command({
    schema: archiveSchema,
    run: (s, t, actor, input) => archiveItems(s.db, t.productId, actor, input),
    effects: (result, t, input) =>
      result.archived > 0 ? [backlogEffect(t.productId, input.itemIds, 'archived')] : [],
  }),
  restoreItem: command({
    schema: restoreSchema,
    run: (s, t, actor, input) => restoreItem(s.db, t.itemId, actor, input.reason ?? ''),
    effects: (_, t) => [backlogEffect(t.productId, [t.itemId], 'restored')],
  }),
  addDependency: command({
    schema: blockerSchema,
    run: (s, t, actor, input) => addDependency(s.db, t.itemId, input.blockedById, actor),
    effects: (link, t) => (link.created ? [backlogEffect(t.productId, [t.itemId], 'dependency_added')] : []),
  }),
  removeDependency: command({
    schema: blockerSchema,
    run: (s, t, actor, input) => removeDependency(s.db, t.itemId, input.blockedById, actor),
    effects: (_, t) => [backlogEffect(t.productId, [t.itemId], 'dependency_removed')],
  }),
  importCsv: command({
    schema: importSchema,
    run: (s, t, actor, input) => importBacklogCsv(s.db, t.productId, actor, input),
    effects: (result, t) => [backlogEffect(t.productId, result.itemIds, 'imported')],
  }),
  applyProposal: command({
    schema: applyProposalSchema,
    run: (s, t, actor, input) => applyProposal(s.db, t.productId, actor, input),
    effects: (result, t) => [backlogEffect(t.productId, result.order, 'proposal_applied')],
  }),
  updateDefinition: command({
    schema: updateDefinitionSchema,
    run: (s, t, actor, input) => updateDefinition(s.db, t.productId, actor, input),
    effects: (result, t, input): LiveEffect[] =>
      input.kind === 'done' && result.changed ? [{ to: 'definitionOfDone', productId: t.productId }] : [],
  }),
  setDebtShare: command({
    schema: debtShareSchema,
    run: (s, t, actor, input) => setDebtShare(s.db, t.productId, actor, input),
  }),
};

export type BacklogCommandName = keyof typeof backlogCommands;
type Spec<N extends BacklogCommandName> = (typeof backlogCommands)[N];
export type BacklogCommandInput<N extends BacklogCommandName> = z.output<Spec<N>['schema']>;
export type BacklogCommandResult<N extends BacklogCommandName> = Awaited<ReturnType<Spec<N>['run']>>;

/**
 * Runs a backlog command with already validated input. With an item, the item must exist and, when the address
 * also names a product, belong to it (another product's item is not found, and its order is never touched); the
 * product is the item's. Then the service runs it (checking who may) and its changes are published.
 */
export async function runBacklogCommand<N extends BacklogCommandName>(
  services: CommandServices,
  name: N,
  target: { productId?: string; itemId?: string },
  actorId: string,
  input: BacklogCommandInput<N>,
): Promise<BacklogCommandResult<N>> {
  let productId = target.productId;
  if (target.itemId !== undefined) {
    const item = await loadItem(services.db, target.itemId);
    if (productId !== undefined && item.productId !== productId)
      throw new AppError('not_found', 'No such backlog item in this product');
    productId = item.productId;
  }
  if (productId === undefined) throw new TypeError(`backlog command ${name} needs a product or an item`);
  const spec = backlogCommands[name] as AnyCommand<BacklogTarget>;
  return runCommand(services, name, spec, { productId, itemId: target.itemId ?? '' }, actorId, input);
}
