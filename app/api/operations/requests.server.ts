import { z } from 'zod';
import { defineOperation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import { criteriaMethods, requestStates } from '~/domain/requests';
import { runRequestCommand } from '~/services/requests/commands.server';
import { criteriaInputSchema, listCriteria } from '~/services/requests/criteria.server';
import {
  answerSchema,
  createRequestLink,
  getRequest,
  listRequests,
  listRequestsSchema,
  revokeRequestLink,
  sendRequestSchema,
  triageSchema,
} from '~/services/requests/requests.server';
import {
  swapIntoSprintSchema,
  urgentImpact,
  urgentImpactQuerySchema,
} from '~/services/requests/urgent.server';
import { projectionSchema } from './goal-risk.server';

/* Stakeholder requests and the agreed prioritisation criteria (issue 17, parts 1 and 2). */

const productId = { description: 'The product’s id', format: 'uuid' } as const;
const requestId = { description: 'The request’s id', format: 'uuid' } as const;
const stateSchema = z.enum(requestStates);

export const requestSchema = z
  .object({
    id,
    productId: id,
    title: z.string(),
    problem: z.string(),
    whoHasIt: z.string(),
    expectedValue: z.string(),
    deadline: z.string().nullable().meta({ description: 'YYYY-MM-DD, or null' }),
    urgent: z.boolean(),
    channel: z.enum(['direct', 'around_po']).meta({
      description: 'around_po: it reached the team around the product owner, recorded by them',
    }),
    state: stateSchema,
    answer: z.string().meta({
      description: 'The product owner’s answer: the reason of a decline, the question asked, or a note',
    }),
    itemId: id.nullable().meta({ description: 'The backlog item it became or was merged into' }),
    requesterId: id.nullable().meta({ description: 'The member who sent it; null for a link user' }),
    requesterName: z.string(),
    viaLink: z.boolean(),
    criteriaVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The version of the agreed prioritisation criteria that applied to its triage' }),
    decidedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ title: 'StakeholderRequest' });

const requestWithThreadSchema = requestSchema
  .extend({
    messages: z.array(
      z.object({ author: z.enum(['po', 'requester']), body: z.string(), createdAt: isoDateTime }),
    ),
  })
  .meta({ title: 'StakeholderRequestWithThread' });

const criteriaVersionSchema = z
  .object({
    id,
    version: z.number().int(),
    methods: z.array(z.enum(criteriaMethods)),
    wsjfWeights: z.object({
      businessValue: z.number(),
      timeCriticality: z.number(),
      riskReduction: z.number(),
    }),
    urgency: z.string(),
    agreedInSessionId: id.nullable(),
    sessionTitle: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ title: 'PrioritisationCriteriaVersion' });

export const sendRequestOperation = defineOperation({
  operationId: 'sendRequest',
  method: 'POST',
  path: '/products/{productId}/requests',
  summary: 'Send a request to the product owner',
  description:
    'Any member: the problem, who has it, the value expected, any deadline. The product owner and the team may record ' +
    'a request that reached them around the product owner (`channel: around_po`, with `broughtBy`). People without ' +
    'an account use the product’s request link (a page, not this API).',
  tag: 'Requests',
  auth: 'token',
  params: { productId },
  body: sendRequestSchema,
  success: { status: 201, description: 'The request, new in the inbox', schema: requestSchema },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return runRequestCommand(services, 'sendRequest', { productId: params.productId }, user.id, body);
  },
});

export const listRequestsOperation = defineOperation({
  operationId: 'listRequests',
  method: 'GET',
  path: '/products/{productId}/requests',
  summary: 'List requests: the inbox (product owner, team) or your own (stakeholders)',
  tag: 'Requests',
  auth: 'token',
  params: { productId },
  query: listRequestsSchema,
  success: {
    status: 200,
    description: 'Requests newest first, with counts per state over those you may see',
    schema: z.object({
      requests: z.array(requestSchema),
      counts: z.record(stateSchema, z.number().int()),
    }),
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    const { requests, counts } = await listRequests(services.db, params.productId, user.id, query);
    return { requests, counts };
  },
});

export const getRequestOperation = defineOperation({
  operationId: 'getRequest',
  method: 'GET',
  path: '/products/{productId}/requests/{requestId}',
  summary: 'Read one request with its thread (stakeholders: their own only)',
  tag: 'Requests',
  auth: 'token',
  params: { productId, requestId },
  success: { status: 200, description: 'The request', schema: requestWithThreadSchema },
  errors: [404],
  async handler({ services, user, params }) {
    return getRequest(services.db, params.productId, params.requestId, user.id);
  },
});

export const triageRequestOperation = defineOperation({
  operationId: 'triageRequest',
  method: 'POST',
  path: '/products/{productId}/requests/{requestId}/triage',
  summary: 'Triage a request: accept, merge, ask for more or decline',
  description:
    'Product owner only. `accept` places a new item linked to the request at `position` (top, bottom, or after ' +
    '`afterItemId`); `merge` links it to an open item; `ask` sends a question; `decline` needs a written reason. ' +
    'Logged in the decision log with the criteria version in force (request_accepted, request_merged, ' +
    'request_info_requested, request_declined).',
  tag: 'Requests',
  auth: 'token',
  params: { productId, requestId },
  body: triageSchema,
  success: { status: 200, description: 'The request as triaged', schema: requestSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const { request } = await runRequestCommand(
      services,
      'triageRequest',
      { productId: params.productId, requestId: params.requestId },
      user.id,
      body,
    );
    return request;
  },
});

export const answerRequestOperation = defineOperation({
  operationId: 'answerRequest',
  method: 'POST',
  path: '/products/{productId}/requests/{requestId}/answer',
  summary: 'Answer the product owner’s question on your request',
  description: 'The member who sent it, while the product owner asks for more; the request is new again.',
  tag: 'Requests',
  auth: 'token',
  params: { productId, requestId },
  body: answerSchema,
  success: { status: 200, description: 'The request, back in the inbox', schema: requestSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return runRequestCommand(
      services,
      'answerRequest',
      { productId: params.productId, requestId: params.requestId },
      user.id,
      body,
    );
  },
});

export const createRequestLinkOperation = defineOperation({
  operationId: 'createRequestLink',
  method: 'POST',
  path: '/products/{productId}/request-links',
  summary: 'Create a request link: anyone with it may send a request without an account',
  description: 'Product owner only. The token is shown once; the page is /ask/{token}.',
  tag: 'Requests',
  auth: 'token',
  params: { productId },
  success: {
    status: 201,
    description: 'The link’s id and secret token',
    schema: z.object({ id, token: z.string(), createdAt: isoDateTime }).meta({ title: 'RequestLink' }),
  },
  errors: [403, 404],
  async handler({ services, user, params }) {
    return createRequestLink(services.db, params.productId, user.id);
  },
});

export const revokeRequestLinkOperation = defineOperation({
  operationId: 'revokeRequestLink',
  method: 'DELETE',
  path: '/products/{productId}/request-links/{linkId}',
  summary: 'Withdraw a request link',
  tag: 'Requests',
  auth: 'token',
  params: { productId, linkId: { description: 'The link’s id', format: 'uuid' } },
  success: { status: 204, description: 'Withdrawn', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await revokeRequestLink(services.db, params.productId, user.id, params.linkId);
  },
});

export const listCriteriaOperation = defineOperation({
  operationId: 'listPrioritisationCriteria',
  method: 'GET',
  path: '/products/{productId}/prioritisation-criteria',
  summary: 'The agreed prioritisation criteria, every version newest first (the first is in force)',
  tag: 'Requests',
  auth: 'token',
  params: { productId },
  success: {
    status: 200,
    description: 'The versions',
    schema: z.object({ versions: z.array(criteriaVersionSchema) }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    const { versions } = await listCriteria(services.db, params.productId, user.id);
    return {
      versions: versions.map((v) => ({ ...v, methods: v.methods as (typeof criteriaMethods)[number][] })),
    };
  },
});

export const agreeCriteriaOperation = defineOperation({
  operationId: 'agreePrioritisationCriteria',
  method: 'POST',
  path: '/products/{productId}/prioritisation-criteria',
  summary: 'Record a new version of the agreed prioritisation criteria',
  description:
    'Product owner only: the methods, the WSJF part weights and what counts as urgent, optionally linked to the ' +
    'prioritisation session that agreed them. Logged as `criteria_version_agreed`; triage and applied proposals ' +
    'store the version in force.',
  tag: 'Requests',
  auth: 'token',
  params: { productId },
  body: criteriaInputSchema,
  success: {
    status: 201,
    description: 'The new version',
    schema: z.object({ id, version: z.number().int() }).meta({ title: 'AgreedCriteria' }),
  },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    const row = await runRequestCommand(
      services,
      'agreeCriteria',
      { productId: params.productId },
      user.id,
      body,
    );
    return { id: row.id, version: row.version };
  },
});

const impactItemSchema = z.object({ id, title: z.string(), points: z.number().int().nullable() });

const urgentImpactSchema = z
  .object({
    request: z.object({ id, title: z.string(), state: stateSchema, itemId: id.nullable() }),
    sprint: z.object({
      id,
      name: z.string(),
      goal: z.string(),
      capacity: z.number().int().nullable(),
      endDate: z.string().meta({ description: 'YYYY-MM-DD' }),
    }),
    urgent: z.object({
      itemId: id.nullable().meta({ description: 'Null while the request is not an item yet' }),
      title: z.string(),
      points: z.number().int(),
    }),
    basis: z.enum(['capacity', 'current_load']).meta({
      description: 'The budget: the sprint’s capacity when it has one, else the points it holds now',
    }),
    budget: z.number(),
    loadBefore: z.number(),
    loadAfter: z.number(),
    remainingBefore: z.number().meta({ description: 'Points still to do in the sprint now' }),
    remainingAfter: z.number().meta({ description: 'Points still to do in the sprint after the swap' }),
    overBudget: z.boolean().meta({
      description: 'Even displacing every unfinished item leaves the sprint over its budget',
    }),
    displaced: z.array(impactItemSchema).meta({
      description:
        'What leaves the sprint: unfinished items from the bottom of the backlog order up, in order',
    }),
    displacedPoints: z.number(),
    goal: z.object({
      before: projectionSchema,
      after: projectionSchema,
      beforeText: z.string(),
      afterText: z.string(),
    }),
    shifted: z
      .array(z.object({ id, title: z.string(), before: z.string(), after: z.string() }))
      .meta({ description: 'The first ten items behind whose likely sprint moves later' }),
    shiftedCount: z.number().int().meta({ description: 'How many items behind move later in all' }),
    expectedDisplaced: z.array(id).meta({ description: 'Send these back with the swap' }),
  })
  .meta({ title: 'UrgentImpact' });

export const urgentImpactOperation = defineOperation({
  operationId: 'getUrgentImpact',
  method: 'GET',
  path: '/products/{productId}/requests/{requestId}/urgent-impact',
  summary: 'The impact of bringing an urgent request into the running sprint',
  description:
    'Product owner only. What it displaces (items and points, by backlog order), the load before and after against ' +
    'the budget, the sprint goal’s projection now and after, and the items behind whose forecast moves later. ' +
    '409 when no sprint is running, the request is not urgent, or it has no estimate (give `points`).',
  tag: 'Requests',
  auth: 'token',
  params: { productId, requestId },
  query: urgentImpactQuerySchema,
  success: { status: 200, description: 'The impact', schema: urgentImpactSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, query }) {
    return urgentImpact(services.db, params.productId, params.requestId, user.id, query);
  },
});

export const swapIntoSprintOperation = defineOperation({
  operationId: 'swapIntoSprint',
  method: 'POST',
  path: '/products/{productId}/requests/{requestId}/swap-into-sprint',
  summary: 'Swap an urgent request into the running sprint, with the trade-off written down',
  description:
    'Product owner only, in one step: accepts the request at the top of the backlog when it is not an item yet, ' +
    'puts it in the running sprint, takes the displaced items out and back to the top of the backlog in their ' +
    'order, records one `urgent_swap` decision with the impact and the trade-off (beside the sprint’s own entries), ' +
    'and tells the people who asked for the displaced items and the requester. `expectedDisplaced` must match the ' +
    'items the assessment displaces now (409 "The sprint changed since the assessment; look again").',
  tag: 'Requests',
  auth: 'token',
  params: { productId, requestId },
  body: swapIntoSprintSchema,
  success: {
    status: 200,
    description: 'The impact as applied, with the item now in the sprint',
    schema: urgentImpactSchema
      .extend({ itemId: id, requestState: stateSchema })
      .meta({ title: 'UrgentSwap' }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return runRequestCommand(
      services,
      'swapIntoSprint',
      { productId: params.productId, requestId: params.requestId },
      user.id,
      body,
    );
  },
});

export const requestOperations = [
  urgentImpactOperation,
  swapIntoSprintOperation,
  sendRequestOperation,
  listRequestsOperation,
  getRequestOperation,
  triageRequestOperation,
  answerRequestOperation,
  createRequestLinkOperation,
  revokeRequestLinkOperation,
  listCriteriaOperation,
  agreeCriteriaOperation,
];
