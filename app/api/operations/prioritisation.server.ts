import { z } from 'zod';
import { orderMethods } from '~/domain/score-results';
import { clientAddress } from '~/services/auth.server';
import { runGuestJoin, runSessionCommand, sessionCommands } from '~/services/sessions/dispatch.server';
import { guestJoinSchema, guestJoinWait } from '~/services/sessions/guests.server';
import { sessionResults } from '~/services/sessions/prioritisation.server';
import { assertSessionOfProduct, asyncWindowReport } from '~/services/sessions/async-window.server';
import { productIdParam } from './backlog.server';
import { proposeSessionOrder } from '~/services/sessions/session-order.server';
import { defineOperation, type Operation } from '~/api/operation.server';
import { ApiProblem } from '~/api/problem.server';
import { id } from '~/api/schemas.server';
import { sessionResultsSchema } from '~/api/session-schemas.server';

/* Prioritisation sessions: dot voting, scoring, guests, and the order that results propose. */

const sessionIdParam = { description: 'The session’s id', format: 'uuid' } as const;

export const castDotsOperation = defineOperation({
  operationId: 'castDots',
  method: 'POST',
  path: '/sessions/{sessionId}/dots',
  summary: 'Set your dots on one agenda item (participants, guests included, while voting is open)',
  description:
    'Sets the number of your dots on the item (0 takes them off), so dots can be moved until voting closes. ' +
    'Refused with 409 over your budget or over the per-item cap; concurrent requests can never exceed the budget.',
  tag: 'Prioritisation',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.castDots.schema,
  success: {
    status: 200,
    description: 'Your dots now',
    schema: z.object({ used: z.number().int(), left: z.number().int() }),
  },
  errors: [403, 404, 409],
  async handler({ services, actorId, params, body }) {
    return runSessionCommand(services, 'castDots', params.sessionId, actorId, body);
  },
});

export const submitScoresOperation = defineOperation({
  operationId: 'submitScores',
  method: 'POST',
  path: '/sessions/{sessionId}/scores',
  summary: 'Score one agenda item: WSJF parts, business value, MoSCoW, Kano answers (while voting is open)',
  description:
    'WSJF parts use 1, 2, 3, 5, 8, 13, 20; business value 1 to 10. Job size is for the team (stakeholders and guests ' +
    'score the Cost-of-Delay parts). Only the methods the session uses are accepted.',
  tag: 'Prioritisation',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.submitScores.schema,
  success: {
    status: 200,
    description: 'Recorded',
    schema: z.object({ itemId: id, parts: z.number().int() }),
  },
  errors: [403, 404, 409],
  async handler({ services, actorId, params, body }) {
    return runSessionCommand(services, 'submitScores', params.sessionId, actorId, body);
  },
});

function facilitatorCommand(spec: {
  operationId: string;
  command:
    | 'openVoting'
    | 'closeVoting'
    | 'revealResults'
    | 'resetItem'
    | 'removeParticipant'
    | 'setParticipantGroup'
    | 'setGuestLink';
  path: string;
  summary: string;
  description?: string;
}): Operation {
  return defineOperation({
    operationId: spec.operationId,
    method: 'POST',
    path: `/sessions/{sessionId}/${spec.path}` as '/sessions/{sessionId}/x',
    summary: spec.summary,
    description: spec.description,
    tag: 'Prioritisation',
    auth: 'token',
    params: { sessionId: sessionIdParam },
    body: sessionCommands[spec.command].schema as z.ZodType,
    success: { status: 204, description: 'Done', schema: undefined },
    errors: [403, 404, 409],
    async handler({ services, actorId, params, body }) {
      await runSessionCommand(services, spec.command, params.sessionId, actorId!, body as never);
    },
  });
}

export const openVotingOperation = facilitatorCommand({
  operationId: 'openVoting',
  command: 'openVoting',
  path: 'voting/open',
  summary: 'Open voting (facilitator)',
});
export const closeVotingOperation = facilitatorCommand({
  operationId: 'closeVoting',
  command: 'closeVoting',
  path: 'voting/close',
  summary: 'Close voting (facilitator); dots and scores are final',
});
export const revealResultsOperation = facilitatorCommand({
  operationId: 'revealResults',
  command: 'revealResults',
  path: 'voting/reveal',
  summary: 'Reveal the results to everyone (facilitator); closes voting',
});
export const resetItemOperation = facilitatorCommand({
  operationId: 'resetSessionItem',
  command: 'resetItem',
  path: 'voting/reset-item',
  summary: 'Clear every dot and score on one item and hide the results again (facilitator)',
});
export const removeParticipantOperation = facilitatorCommand({
  operationId: 'removeParticipant',
  command: 'removeParticipant',
  path: 'participants/remove',
  summary: 'Remove a participant, e.g. a guest (facilitator); their votes stop counting',
});
export const setParticipantGroupOperation = facilitatorCommand({
  operationId: 'setParticipantGroup',
  command: 'setParticipantGroup',
  path: 'participants/group',
  summary: 'Put a participant in a stakeholder group whose weight applies to their scores (product owner)',
});
export const setGuestLinkOperation = facilitatorCommand({
  operationId: 'setGuestLink',
  command: 'setGuestLink',
  path: 'guest-link',
  summary: 'Open or close the session’s link to new guests (facilitator)',
});

export const getResultsOperation = defineOperation({
  operationId: 'getResults',
  method: 'GET',
  path: '/sessions/{sessionId}/results',
  summary: 'The results: dots, score statistics, contested items, and (unless anonymous) who voted what',
  description: 'Only after the facilitator revealed them: before that, 409.',
  tag: 'Prioritisation',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  success: { status: 200, description: 'The results', schema: sessionResultsSchema },
  errors: [404, 409],
  async handler({ services, actorId, params }) {
    return sessionResults(services.db, params.sessionId, actorId);
  },
});

export const proposeOrderOperation = defineOperation({
  operationId: 'proposeOrder',
  method: 'GET',
  path: '/sessions/{sessionId}/proposed-order',
  summary: 'The order the results propose for the agenda items, beside their current order, with each move',
  tag: 'Prioritisation',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  query: z.strictObject({
    method: z
      .enum(orderMethods, { message: `method must be one of ${orderMethods.join(', ')}` })
      .default('dots')
      .meta({ description: 'dots, wsjf or combined' }),
  }),
  success: {
    status: 200,
    description: 'The proposal',
    schema: z.object({
      method: z.enum(orderMethods),
      rows: z.array(
        z.object({
          itemId: id,
          title: z.string(),
          dots: z.number().int(),
          wsjf: z.number().nullable(),
          currentPosition: z.number().int(),
          proposedPosition: z.number().int(),
          move: z.number().int().meta({ description: 'Places up (positive) or down among the agenda items' }),
        }),
      ),
    }),
  },
  errors: [404, 409],
  async handler({ services, actorId, params, query }) {
    return proposeSessionOrder(services.db, params.sessionId, actorId!, query.method);
  },
});

export const applyOrderOperation = defineOperation({
  operationId: 'applyOrder',
  method: 'POST',
  path: '/sessions/{sessionId}/apply-order',
  summary: 'Apply the proposed order to all or some agenda items, with a reason (product owner)',
  description:
    'The decision log records it with a link to the session. With storeResults, WSJF parts, MoSCoW and Kano are stored on the items too.',
  tag: 'Prioritisation',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.applyOrder.schema,
  success: {
    status: 200,
    description: 'Applied',
    schema: z.object({ moved: z.number().int(), order: z.array(id) }),
  },
  errors: [403, 404, 409],
  async handler({ services, actorId, params, body }) {
    const result = await runSessionCommand(services, 'applyOrder', params.sessionId, actorId!, body);
    return { moved: result.moved, order: result.order };
  },
});

export const joinSessionAsGuestOperation = defineOperation({
  operationId: 'joinSessionAsGuest',
  method: 'POST',
  path: '/join/{joinCode}',
  summary: 'Join a session by its link with a display name, without an account',
  description:
    'Gives a guest token (valid 12 hours) for this session only: send it as `Authorization: Bearer …` to vote and ' +
    'score, and as the token of the live channel. Rate-limited per address (429 with Retry-After).',
  tag: 'Prioritisation',
  auth: 'none',
  params: { joinCode: { description: 'The code in the session’s join link' } },
  body: guestJoinSchema,
  success: {
    status: 201,
    description: 'You are in',
    schema: z.object({
      sessionId: id,
      kind: z.string(),
      title: z.string(),
      participantId: id,
      displayName: z.string(),
      spectator: z.boolean(),
      guestToken: z.string(),
      documentName: z.string(),
    }),
  },
  errors: [403, 404, 409, 410, 429],
  async handler({ services, request, params, body }) {
    const wait = guestJoinWait(services, clientAddress(request));
    if (wait !== null)
      throw new ApiProblem(429, `Too many joins from your address; try again in ${wait} seconds`, {
        headers: { 'Retry-After': String(wait) },
      });
    return runGuestJoin(services, params.joinCode, body);
  },
});

const personSchema = z.object({ participantId: id, name: z.string() });
const asyncWindowReportSchema = z.object({
  state: z.enum(['none', 'open', 'closed']),
  openedAt: z.string().nullable(),
  closesAt: z.string().nullable().meta({ description: 'When the window closes (ISO 8601, UTC)' }),
  closedAt: z.string().nullable(),
  timeZone: z.string().nullable().meta({ description: 'The facilitator’s time zone when they set closesAt' }),
  anonymous: z.boolean(),
  voterCount: z.number().int().meta({ description: 'How many voted before the meeting' }),
  voted: z
    .array(personSchema)
    .nullable()
    .meta({ description: 'Who voted before the meeting; null when anonymous' }),
  notYet: z
    .array(personSchema)
    .nullable()
    .meta({ description: 'Who may vote and has not; null when anonymous' }),
  youVoted: z.boolean(),
});

export const setAsyncWindowOperation = defineOperation({
  operationId: 'setAsyncWindow',
  method: 'PUT',
  path: '/products/{productId}/sessions/{sessionId}/async-window',
  summary: 'Open, extend or close voting before the meeting (facilitator or product owner)',
  description:
    'Before the live vote opens, a prioritisation session can take votes for a window (e.g. two days), with the ' +
    'same secrecy, budget and anonymity as live voting: the usual dots and scores operations accept them. ' +
    '`closesAt` is ISO 8601 with an offset, or a wall-clock time in `timeZone`; at least 15 minutes and at most ' +
    '14 days ahead. Opening the live vote closes the window and keeps its votes. The decision log records each change.',
  tag: 'Prioritisation',
  auth: 'token',
  params: { productId: productIdParam, sessionId: sessionIdParam },
  body: sessionCommands.setAsyncWindow.schema,
  success: {
    status: 200,
    description: 'The window now',
    schema: asyncWindowReportSchema,
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    await assertSessionOfProduct(services.db, params.productId, params.sessionId, user.id);
    await runSessionCommand(services, 'setAsyncWindow', params.sessionId, user.id, body);
    return asyncWindowReport(services.db, params.productId, params.sessionId, user.id);
  },
});

export const getAsyncWindowOperation = defineOperation({
  operationId: 'getAsyncWindow',
  method: 'GET',
  path: '/products/{productId}/sessions/{sessionId}/async-window',
  summary:
    'Voting before the meeting: when it closes, who has voted and who has not (names only, never votes)',
  tag: 'Prioritisation',
  auth: 'participant',
  params: { productId: productIdParam, sessionId: sessionIdParam },
  success: { status: 200, description: 'The window', schema: asyncWindowReportSchema },
  errors: [404, 409],
  async handler({ services, actorId, params }) {
    return asyncWindowReport(services.db, params.productId, params.sessionId, actorId);
  },
});

export const prioritisationOperations: readonly Operation[] = [
  setAsyncWindowOperation,
  getAsyncWindowOperation,
  joinSessionAsGuestOperation,
  castDotsOperation,
  submitScoresOperation,
  openVotingOperation,
  closeVotingOperation,
  revealResultsOperation,
  resetItemOperation,
  removeParticipantOperation,
  setParticipantGroupOperation,
  setGuestLinkOperation,
  getResultsOperation,
  proposeOrderOperation,
  applyOrderOperation,
];
