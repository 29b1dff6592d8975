import { z } from 'zod';
import { defineOperation } from '~/api/operation.server';
import { backlogItemDetailSchema, backlogItemSchema, backlogItemSummarySchema } from '~/api/schemas.server';
import { AppError } from '~/domain/errors';
import { parseCriteria } from '~/domain/gherkin';
import { evaluateReadiness } from '~/domain/readiness';
import { archiveSchema } from '~/services/backlog/archive.server';
import { backlogCommands, runBacklogCommand } from '~/services/backlog/commands.server';
import { getDefinitions } from '~/services/backlog/definitions.server';
import { dependenciesOf } from '~/services/backlog/dependencies.server';
import {
  createItemSchema,
  type ItemRow,
  listFilterSchema,
  listItems,
  loadItem,
  updateItemSchema,
} from '~/services/backlog/items.server';
import { moveSchema } from '~/services/backlog/moves.server';
import { positionInOrder } from '~/services/backlog/overview.server';
import { roleIn } from '~/services/products.server';
import { threeAmigosHeld } from '~/services/sessions/three-amigos.server';
import type { Db } from '../../../db/client';

export const productIdParam = { description: 'The product’s id', format: 'uuid' } as const;
export const itemIdParam = { description: 'The backlog item’s id', format: 'uuid' } as const;

/** A whole number from a query string, with a message that says what is expected. */
export const queryInteger = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number from ${min} to ${max}` })
    .int(`${name} must be a whole number from ${min} to ${max}`)
    .min(min, `${name} must be a whole number from ${min} to ${max}`)
    .max(max, `${name} must be a whole number from ${min} to ${max}`);

const { shape: filter } = listFilterSchema;
const listQuery = listFilterSchema.extend({
  type: filter.type.meta({ description: 'Only items of this type' }),
  status: filter.status.meta({
    description: 'Only items with this status; archived items are listed only when asked for this way',
  }),
  label: filter.label.meta({ description: 'Only items carrying this label' }),
  epicId: filter.epicId.meta({ description: 'Only this epic and the items under it' }),
  q: filter.q.meta({ description: 'Text to find in titles and descriptions (case-insensitive)' }),
  offset: queryInteger('offset', 0, 1_000_000)
    .default(0)
    .meta({ description: 'How many matching items to skip' }),
  limit: queryInteger('limit', 1, 10_000)
    .default(10_000)
    .meta({ description: 'At most this many items (default and maximum 10,000)' }),
});

/** An item row as the API shows it: with its place in the order. */
async function placed(db: Db, item: ItemRow) {
  return { ...item, position: await positionInOrder(db, item) };
}

export const listBacklogItemsOperation = defineOperation({
  operationId: 'listBacklogItems',
  method: 'GET',
  path: '/products/{productId}/items',
  summary: 'The ordered backlog, filtered and paged',
  description:
    'Items in backlog order (top first). Archived items are out of the order and only listed with ' +
    '`status=archived`. `position` is the place in the whole, unfiltered order; `total` counts every match.',
  tag: 'Backlog',
  auth: 'token',
  params: { productId: productIdParam },
  query: listQuery,
  success: {
    status: 200,
    description: 'The matching items in order, and how many match in all',
    schema: z.object({ items: z.array(backlogItemSummarySchema), total: z.number().int() }),
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    return listItems(services.db, params.productId, user.id, query);
  },
});

export const createBacklogItemOperation = defineOperation({
  operationId: 'createBacklogItem',
  method: 'POST',
  path: '/products/{productId}/items',
  summary: 'Add an item to the backlog (product owner and team)',
  description:
    'The item goes to the bottom of the order, or the top with `position: "top"`. It starts as new or refined. ' +
    'Acceptance criteria that do not parse as Gherkin are refused with their line.',
  tag: 'Backlog',
  auth: 'token',
  params: { productId: productIdParam },
  body: createItemSchema,
  success: { status: 201, description: 'The new item', schema: backlogItemSchema },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    const item = await runBacklogCommand(
      services,
      'createItem',
      { productId: params.productId },
      user.id,
      body,
    );
    return placed(services.db, item);
  },
});

/** Blockers in these states no longer block (as in the services' readiness check). */
const resolvedStatuses = new Set(['done', 'accepted', 'archived']);

export const getBacklogItemOperation = defineOperation({
  operationId: 'getBacklogItem',
  method: 'GET',
  path: '/items/{itemId}',
  summary: 'One backlog item with its criteria, WSJF, readiness and dependencies',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  success: { status: 200, description: 'The item', schema: backlogItemDetailSchema },
  errors: [404],
  async handler({ services, user, params }) {
    const { db } = services;
    const item = await loadItem(db, params.itemId);
    // Someone outside the item's product learns nothing about it, not even that it exists.
    if (!(await roleIn(db, item.productId, user.id))) throw new AppError('not_found', 'No such backlog item');
    const [definitions, edges, position, amigos] = await Promise.all([
      getDefinitions(db, item.productId, user.id),
      dependenciesOf(db, item.productId),
      positionInOrder(db, item),
      threeAmigosHeld(db, [item.id]),
    ]);
    const held = amigos.get(item.id);
    const blockers = edges.filter((e) => e.itemId === item.id);
    const readiness = evaluateReadiness({
      checklist: definitions.ready,
      checked: item.readyChecks,
      unresolvedDependencies: blockers.filter((b) => !resolvedStatuses.has(b.blockerStatus)).length,
      override: item.readyOverrideReason ? { reason: item.readyOverrideReason } : null,
    });
    const parsed = parseCriteria(item.criteria);
    return {
      ...item,
      position,
      criteriaScenarios: parsed.ok
        ? parsed.scenarios.map((s) => ({
            index: s.index,
            keyword: s.keyword,
            name: s.name,
            line: s.line,
            tags: s.tags,
            rule: s.rule,
            steps: s.steps.map((step) => ({ keyword: step.keyword, text: step.text })),
            exampleRows: s.examples.reduce((n, e) => n + e.rows.length, 0),
          }))
        : [],
      readiness,
      blockedBy: blockers.map((b) => b.blockedById),
      threeAmigos: held ? { heldAt: new Date(held.at), with: held.names, sessionId: held.sessionId } : null,
    };
  },
});

export const updateBacklogItemOperation = defineOperation({
  operationId: 'updateBacklogItem',
  method: 'PATCH',
  path: '/items/{itemId}',
  summary: 'Change some of an item’s fields (product owner and team)',
  description:
    'Only the fields sent change; an unknown field is refused by name. Edits of priority fields and status ' +
    'changes are logged as decisions with the optional `reason`. Only the product owner accepts or rejects work ' +
    'and overrides the Definition of Ready; an item becomes ready only when it meets it (409 otherwise).',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  body: updateItemSchema,
  success: { status: 200, description: 'The item as it is now', schema: backlogItemSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const item = await runBacklogCommand(services, 'updateItem', { itemId: params.itemId }, user.id, body);
    return placed(services.db, item);
  },
});

export const moveBacklogItemOperation = defineOperation({
  operationId: 'moveBacklogItem',
  method: 'POST',
  path: '/items/{itemId}/move',
  summary: 'Move an item in the order (product owner only)',
  description:
    'Give exactly one of `beforeId` (place it just above that item), `afterId` (just below it) or `position` ' +
    '(`top` or `bottom`). The other item must be in the same product’s order. The move is logged with its reason.',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  body: moveSchema,
  success: {
    status: 200,
    description: 'The moved item and its place before and after (1-based)',
    schema: z
      .object({ item: backlogItemSchema, from: z.number().int(), to: z.number().int() })
      .meta({ title: 'MovedItem' }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const { item, from, to } = await runBacklogCommand(
      services,
      'moveItem',
      { itemId: params.itemId },
      user.id,
      body,
    );
    return { item: { ...item, position: to }, from, to };
  },
});

export const archiveBacklogItemOperation = defineOperation({
  operationId: 'archiveBacklogItem',
  method: 'POST',
  path: '/items/{itemId}/archive',
  summary: 'Archive an item (product owner only)',
  description:
    'The item leaves the order and keeps all its data; the reason is logged. Archiving an archived item changes nothing.',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  body: z.strictObject({ reason: archiveSchema.shape.reason }),
  success: { status: 200, description: 'The archived item', schema: backlogItemSchema },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    const { itemId } = params;
    await runBacklogCommand(services, 'archiveItems', { itemId }, user.id, {
      itemIds: [itemId],
      reason: body.reason,
    });
    return placed(services.db, await loadItem(services.db, itemId));
  },
});

export const restoreBacklogItemOperation = defineOperation({
  operationId: 'restoreBacklogItem',
  method: 'POST',
  path: '/items/{itemId}/restore',
  summary: 'Restore an archived item (product owner only)',
  description:
    'The item takes back the status it had and goes to the bottom of the order. Send `{}` when there is no reason ' +
    'to give. An item that is not archived answers 409.',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  body: backlogCommands.restoreItem.schema,
  success: { status: 200, description: 'The restored item', schema: backlogItemSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const item = await runBacklogCommand(services, 'restoreItem', { itemId: params.itemId }, user.id, body);
    return placed(services.db, item);
  },
});
