import { z } from 'zod';
import { invitableRoles, roles } from '~/domain/roles';
import { decisionKinds } from '~/services/backlog/decisions.server';
import {
  itemStatuses,
  itemTypes,
  kanoCategories,
  moscowValues,
  outcomes,
} from '~/services/backlog/items.server';

/** Response schemas: what the API promises to send. Their input side is the wire form the OpenAPI document shows. */

/** Dates travel as ISO 8601 strings; handlers return Date objects and the router encodes them. */
export const isoDateTime = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

export const id = z.guid();
export const roleSchema = z.enum(roles);
export const invitableRoleSchema = z.enum(invitableRoles);

export const userSchema = z
  .object({ id, email: z.string(), displayName: z.string(), createdAt: isoDateTime })
  .meta({ title: 'User' });

export const productSummarySchema = z
  .object({ id, name: z.string(), description: z.string(), role: roleSchema, createdAt: isoDateTime })
  .meta({ title: 'ProductSummary', description: 'A product with the caller’s role in it' });

export const productSchema = productSummarySchema
  .extend({
    memberCount: z.number().int(),
    techDebtShare: z.number().int().nullable().meta({
      description: 'Percent of each sprint kept for technical debt (0–100); null when no share is set',
    }),
  })
  .meta({
    title: 'Product',
    description: 'A product with the caller’s role in it, its number of members and its technical-debt share',
  });

export const memberSchema = z
  .object({ userId: id, displayName: z.string(), email: z.string(), role: roleSchema, joinedAt: isoDateTime })
  .meta({ title: 'Member' });

/* The backlog. Enums come from the services, so the document and the rules name the same values. */

export const itemTypeSchema = z.enum(itemTypes);
export const itemStatusSchema = z.enum(itemStatuses);
const moscowSchema = z.enum(moscowValues).nullable();
const kanoSchema = z.enum(kanoCategories).nullable();
const wsjfPart = z
  .number()
  .nullable()
  .meta({ description: 'On SAFe’s modified Fibonacci scale (1, 2, 3, 5, 8, 13, 20); null until scored' });
const wsjfScoreSchema = z.number().nullable().meta({
  description: 'WSJF = (value + time criticality + risk reduction) / job size; null until all four are set',
});
const positionSchema = z.number().int().nullable().meta({
  description: '1-based place in the product’s whole order; null for an archived item (out of the order)',
});

export const backlogItemSummarySchema = z
  .object({
    id,
    type: itemTypeSchema,
    title: z.string(),
    status: itemStatusSchema,
    estimate: z.number().int().nullable(),
    parentId: id.nullable(),
    rank: z.string().meta({ description: 'The fractional-index key the order sorts by (byte order)' }),
    position: positionSchema,
    labels: z.array(z.string()),
    moscow: moscowSchema,
    wsjf: wsjfScoreSchema,
    kano: kanoSchema,
    updatedAt: isoDateTime,
  })
  .meta({ title: 'BacklogItemSummary', description: 'A row of the ordered backlog' });

export const backlogItemSchema = z
  .object({
    id,
    productId: id,
    type: itemTypeSchema,
    title: z.string(),
    description: z.string(),
    parentId: id.nullable().meta({ description: 'The epic this item belongs to' }),
    estimate: z.number().int().nullable().meta({ description: 'Story points' }),
    status: itemStatusSchema,
    rank: z.string().meta({ description: 'The fractional-index key the order sorts by (byte order)' }),
    position: positionSchema,
    labels: z.array(z.string()),
    moscow: moscowSchema,
    userBusinessValue: wsjfPart,
    timeCriticality: wsjfPart,
    riskReduction: wsjfPart,
    jobSize: wsjfPart,
    wsjf: wsjfScoreSchema,
    kano: kanoSchema,
    impactHypothesis: z.string(),
    successMetric: z.string(),
    outcome: z.enum(outcomes).nullable(),
    debtImpact: z.string().meta({
      description:
        'For technical debt: what it costs in value terms (“adds 2 days to every feature in checkout”); at most 500 characters',
    }),
    criteria: z
      .string()
      .meta({ description: 'The acceptance criteria’s Gherkin source (the last one that parsed)' }),
    readyChecks: z
      .record(z.string(), z.boolean())
      .meta({ description: 'Definition of Ready checklist line id → ticked' }),
    readyOverrideReason: z.string().nullable(),
    externalKey: z
      .string()
      .nullable()
      .meta({ description: 'The key it had where it was imported from (Jira)' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ title: 'BacklogItem' });

const criterionSchema = z
  .object({
    index: z.number().int(),
    keyword: z.string(),
    name: z.string(),
    line: z.number().int(),
    tags: z.array(z.string()),
    rule: z.string().nullable(),
    steps: z.array(z.object({ keyword: z.string(), text: z.string() })),
    exampleRows: z.number().int().meta({ description: 'Rows of a Scenario Outline’s Examples; 0 otherwise' }),
  })
  .meta({
    title: 'Criterion',
    description: 'One scenario of the acceptance criteria: one checkbox at review',
  });

export const backlogItemDetailSchema = backlogItemSchema
  .extend({
    criteriaScenarios: z.array(criterionSchema),
    readiness: z
      .object({
        ready: z.boolean(),
        met: z.number().int(),
        total: z.number().int(),
        missing: z.array(z.string()).meta({ description: 'Unticked Definition of Ready lines, in order' }),
        blockedByDependencies: z.boolean(),
        overridden: z.boolean(),
      })
      .meta({ title: 'Readiness', description: 'The item against the product’s Definition of Ready' }),
    blockedBy: z
      .array(id)
      .meta({ description: 'Ids of the items this one is blocked by (they may belong to other products)' }),
    threeAmigos: z
      .object({ heldAt: isoDateTime, with: z.array(z.string()), sessionId: id.nullable() })
      .nullable()
      .meta({
        description:
          'The latest three amigos session on the item that ended in a shared understanding: when, and the three; null when none was held',
      }),
  })
  .meta({ title: 'BacklogItemDetail' });

export const decisionSchema = z
  .object({
    id: z.number().int().meta({ description: 'Increasing: newer entries have larger ids' }),
    itemId: id.nullable(),
    kind: z.string().meta({ description: `One of ${decisionKinds.join(', ')}` }),
    before: z.unknown().meta({ description: 'The state before, as JSON (null for a creation)' }),
    after: z.unknown().meta({ description: 'The state after, as JSON' }),
    reason: z.string(),
    actorId: id.nullable(),
    actorName: z.string(),
    sessionId: id.nullable().meta({ description: 'The session in which it was decided, if any' }),
    createdAt: isoDateTime,
  })
  .meta({ title: 'Decision', description: 'An entry of the append-only decision log' });
