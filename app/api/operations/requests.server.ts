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

export const requestOperations = [
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
