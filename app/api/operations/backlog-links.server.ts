import { z } from 'zod';
import { decisionFilterSchema, decisionKinds, listDecisions } from '~/services/backlog/decisions.server';
import { backlogCommands, runBacklogCommand } from '~/services/backlog/commands.server';
import {
  exportBacklog,
  exportToCsv,
  featureFile,
  importSchema,
} from '~/services/backlog/import-export.server';
import { FileResult, defineOperation } from '~/api/operation.server';
import { decisionSchema, id, itemStatusSchema, itemTypeSchema } from '~/api/schemas.server';
import { itemIdParam, productIdParam, queryInteger } from './backlog.server';

/* Dependencies, the decision log, import and export: what links items to each other and to the outside. */

export const addDependencyOperation = defineOperation({
  operationId: 'addDependency',
  method: 'POST',
  path: '/items/{itemId}/dependencies',
  summary: 'Record that an item is blocked by another (product owner and team)',
  description:
    'The blocker may belong to another product you are a member of. A link that would close a cycle is refused ' +
    'with 409, and the detail names the cycle. Adding a link that exists changes nothing (`created: false`).',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  body: backlogCommands.addDependency.schema,
  success: {
    status: 201,
    description: 'The link',
    schema: z
      .object({ itemId: id, blockedById: id, created: z.boolean() })
      .meta({ title: 'Dependency', description: '`itemId` is blocked by `blockedById`' }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return runBacklogCommand(services, 'addDependency', { itemId: params.itemId }, user.id, body);
  },
});

export const removeDependencyOperation = defineOperation({
  operationId: 'removeDependency',
  method: 'DELETE',
  path: '/items/{itemId}/dependencies/{blockedById}',
  summary: 'Remove a "blocked by" link (product owner and team)',
  tag: 'Backlog',
  auth: 'token',
  params: {
    itemId: itemIdParam,
    blockedById: { description: 'The id of the item it is blocked by', format: 'uuid' },
  },
  success: { status: 204, description: 'Removed', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    const { itemId, blockedById } = params;
    await runBacklogCommand(services, 'removeDependency', { itemId }, user.id, { blockedById });
  },
});

const { shape: decisionFilter } = decisionFilterSchema;
const decisionsQuery = decisionFilterSchema.extend({
  itemId: decisionFilter.itemId.meta({ description: 'Only entries about this item' }),
  kind: decisionFilter.kind.meta({ description: `Only entries of this kind: ${decisionKinds.join(', ')}` }),
  actorId: decisionFilter.actorId.meta({ description: 'Only entries by this user' }),
  beforeId: queryInteger('beforeId', 1, Number.MAX_SAFE_INTEGER)
    .optional()
    .meta({ description: 'Only entries older than this one: pass the previous page’s nextBeforeId' }),
  limit: queryInteger('limit', 1, 500)
    .default(100)
    .meta({ description: 'At most this many entries (default 100, at most 500)' }),
});

export const listDecisionsOperation = defineOperation({
  operationId: 'listDecisions',
  method: 'GET',
  path: '/products/{productId}/decisions',
  summary: 'The product’s decision log, newest first',
  description:
    'Every creation, priority edit, move, status change, archive, restore, applied proposal and dependency change, ' +
    'with who, when, before and after, and why. Append-only: entries are never edited or removed. Page backwards ' +
    'with `beforeId=nextBeforeId` until `nextBeforeId` is null.',
  tag: 'Backlog',
  auth: 'token',
  params: { productId: productIdParam },
  query: decisionsQuery,
  success: {
    status: 200,
    description: 'A page of entries, and where the next (older) page starts',
    schema: z.object({ entries: z.array(decisionSchema), nextBeforeId: z.number().int().nullable() }),
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    return listDecisions(services.db, params.productId, user.id, query);
  },
});

export const importBacklogCsvOperation = defineOperation({
  operationId: 'importBacklogCsv',
  method: 'POST',
  path: '/products/{productId}/import',
  summary: 'Import items from a CSV file, such as Jira’s export (product owner and team)',
  description:
    'Jira’s columns (Summary, Issue Type, Description, Story Points, Priority, Epic Link / Parent, Labels, ' +
    'Acceptance Criteria) are recognised; `mapping` (target field → 0-based column) overrides the guess. Every row ' +
    'goes to the bottom of the order in one transaction, or nothing does: a file with errors is refused with 400 ' +
    'and `rows` lists each refused line and why.',
  tag: 'Backlog',
  auth: 'token',
  params: { productId: productIdParam },
  body: importSchema,
  success: {
    status: 201,
    description: 'How many items were imported, and their ids in file order',
    schema: z.object({ imported: z.number().int(), itemIds: z.array(id) }).meta({ title: 'ImportResult' }),
  },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return runBacklogCommand(services, 'importCsv', { productId: params.productId }, user.id, body);
  },
});

const exportRowSchema = z
  .object({
    position: z.number().int(),
    rank: z.string(),
    id,
    key: z.string().nullable(),
    type: itemTypeSchema,
    title: z.string(),
    status: itemStatusSchema,
    estimate: z.number().int().nullable(),
    moscow: z.string().nullable(),
    userBusinessValue: z.number().nullable(),
    timeCriticality: z.number().nullable(),
    riskReduction: z.number().nullable(),
    jobSize: z.number().nullable(),
    wsjf: z.number().nullable(),
    kano: z.string().nullable(),
    labels: z.array(z.string()),
    parent: z.string().nullable().meta({ description: 'The parent epic’s title' }),
    blockedBy: z.array(id),
    description: z.string(),
    criteria: z.string(),
  })
  .meta({ title: 'ExportedItem' });

export const exportBacklogOperation = defineOperation({
  operationId: 'exportBacklog',
  method: 'GET',
  path: '/products/{productId}/export',
  summary: 'The ordered backlog as JSON or CSV',
  description:
    'Every item in the order (archived ones are left out) with rank, WSJF parts, status and criteria. ' +
    '`format=csv` answers a text/csv file with the same columns.',
  tag: 'Backlog',
  auth: 'token',
  params: { productId: productIdParam },
  query: z.strictObject({
    format: z
      .enum(['json', 'csv'], { message: 'format must be json or csv' })
      .default('json')
      .meta({ description: 'json (the default) or csv' }),
  }),
  success: {
    status: 200,
    description: 'The backlog in order',
    schema: z.object({ items: z.array(exportRowSchema) }),
    files: [{ mediaType: 'text/csv', description: 'With format=csv: a header line, then one line per item' }],
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    const items = await exportBacklog(services.db, params.productId, user.id);
    if (query.format === 'csv') return new FileResult(exportToCsv(items), 'text/csv', 'backlog.csv');
    return { items };
  },
});

export const getFeatureFileOperation = defineOperation({
  operationId: 'getFeatureFile',
  method: 'GET',
  path: '/items/{itemId}/feature',
  summary: 'An item’s acceptance criteria as a Gherkin .feature file',
  description:
    'For an epic, the criteria of its stories combined into one file (404 when none of them has criteria yet).',
  tag: 'Backlog',
  auth: 'token',
  params: { itemId: itemIdParam },
  success: {
    status: 200,
    description: 'The .feature file',
    schema: undefined,
    files: [{ mediaType: 'text/plain', description: 'The Gherkin text, UTF-8' }],
  },
  errors: [404],
  async handler({ services, user, params }) {
    const file = await featureFile(services.db, params.itemId, user.id);
    return new FileResult(file.text, 'text/plain', file.fileName);
  },
});
