import { z } from 'zod';
import { defineOperation, FileResult, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import {
  createdSessionSchema,
  roundSchema,
  sessionSummaryRowSchema,
  sessionSummarySchema,
  sessionViewSchema,
} from '~/api/session-schemas.server';
import { sessionDocument } from '~/domain/document-names';
import { summaryMarkdown } from '~/domain/session-summary';
import { issueLiveToken } from '~/domain/signed-token';
import {
  runSessionCommand,
  type SessionCommandName,
  sessionCommands,
} from '~/services/sessions/dispatch.server';
import { createSession, createSessionSchema, listSessions } from '~/services/sessions/sessions.server';
import { sessionSummary } from '~/services/sessions/summary.server';
import { sessionView } from '~/services/sessions/view.server';
import { productIdParam } from './backlog.server';

/* Sessions: the live meetings. Every command is authorised by role on the server and refused once a session ended. */

const sessionIdParam = { description: 'The session’s id', format: 'uuid' } as const;

export const createSessionOperation = defineOperation({
  operationId: 'createSession',
  method: 'POST',
  path: '/products/{productId}/sessions',
  summary: 'Create a session with its agenda (product owner)',
  description:
    'The agenda lists backlog items of the product in the order they are discussed; the first is current.',
  tag: 'Sessions',
  auth: 'token',
  params: { productId: productIdParam },
  body: createSessionSchema,
  success: { status: 201, description: 'The new session', schema: createdSessionSchema },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return createSession(services.db, params.productId, user.id, body);
  },
});

export const listSessionsOperation = defineOperation({
  operationId: 'listSessions',
  method: 'GET',
  path: '/products/{productId}/sessions',
  summary: 'The product’s sessions, newest first, with their state',
  tag: 'Sessions',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description: 'The sessions',
    schema: z.object({ sessions: z.array(sessionSummaryRowSchema) }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    return { sessions: await listSessions(services.db, params.productId, user.id) };
  },
});

export const getSessionOperation = defineOperation({
  operationId: 'getSession',
  method: 'GET',
  path: '/sessions/{sessionId}',
  summary: 'A session as you may see it: agenda, current item, participants, poker rounds',
  description: 'Before a round is revealed it lists who has voted and your own card, never anyone else’s.',
  tag: 'Sessions',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  success: { status: 200, description: 'The session', schema: sessionViewSchema },
  errors: [404],
  async handler({ services, actorId, params }) {
    return sessionView(services.db, params.sessionId, actorId);
  },
});

export const joinSessionOperation = defineOperation({
  operationId: 'joinSession',
  method: 'POST',
  path: '/sessions/{sessionId}/join',
  summary: 'Join a session (members); gives a token for its live channel',
  description:
    'Stakeholders join as spectators. The token (valid five minutes) opens the session’s live document, read-only, ' +
    'on the websocket at /collab; ask again for a fresh one.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.join.schema,
  success: {
    status: 200,
    description: 'Your participation and the live channel',
    schema: z.object({
      participantId: id,
      spectator: z.boolean(),
      joinedAt: isoDateTime,
      documentName: z.string(),
      liveToken: z.string(),
    }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const participant = await runSessionCommand(services, 'join', params.sessionId, user.id, body);
    return {
      participantId: participant.id,
      spectator: participant.spectator,
      joinedAt: participant.joinedAt,
      documentName: sessionDocument(params.sessionId),
      liveToken: issueLiveToken(services.secret, user.id, 'user', 300),
    };
  },
});

/** A session command answered with 204: the new state reaches everyone through the live document and getSession. */
function commandOperation(spec: {
  operationId: string;
  command: SessionCommandName;
  path: string;
  summary: string;
  description?: string;
  /** guests may send it too, with their guest token (the command decides what they may do) */
  guests?: boolean;
}): Operation {
  return defineOperation({
    operationId: spec.operationId,
    method: 'POST',
    path: `/sessions/{sessionId}/${spec.path}` as '/sessions/{sessionId}/x',
    summary: spec.summary,
    description: spec.description,
    tag: 'Sessions',
    auth: spec.guests ? 'participant' : 'token',
    params: { sessionId: sessionIdParam },
    body: sessionCommands[spec.command].schema as z.ZodType,
    success: { status: 204, description: 'Done', schema: undefined },
    errors: [403, 404, 409],
    async handler({ services, actorId, params, body }) {
      await runSessionCommand(services, spec.command, params.sessionId, actorId!, body as never);
    },
  });
}

export const setSessionPhaseOperation = commandOperation({
  operationId: 'setSessionPhase',
  command: 'setPhase',
  path: 'phase',
  summary: 'Move the session to a phase (facilitator)',
  description:
    'Phases by kind: refinement lobby, refining, estimating, wrap_up; prioritisation lobby, voting, results ' +
    '(moving to voting opens the vote when it was never opened, as openVoting does; a vote closed or revealed ' +
    'stays so); review lobby, reviewing, wrap_up; three_amigos lobby, discussing.',
});
export const setCurrentItemOperation = commandOperation({
  operationId: 'setCurrentItem',
  command: 'setCurrentItem',
  path: 'current-item',
  summary: 'Make an agenda item the current one, starting its time-box (facilitator)',
});
export const setSessionTimerOperation = commandOperation({
  operationId: 'setSessionTimer',
  command: 'setTimer',
  path: 'timer',
  summary: 'Start a countdown of `seconds`, or stop it with null (facilitator)',
});
export const raiseHandOperation = commandOperation({
  operationId: 'raiseHand',
  command: 'raiseHand',
  path: 'hand',
  summary: 'Raise or lower your hand (participants, guests included)',
  guests: true,
});
export const setSessionSpectatorOperation = commandOperation({
  operationId: 'setSessionSpectator',
  command: 'setSpectator',
  path: 'spectator',
  summary:
    'Switch your own part in a refinement: watch (`spectator: true`) or estimate (product owner and team)',
  description:
    'Stepping back to watching withdraws your card from a round not yet revealed; with auto-reveal on, a round that ' +
    'waited only for you is revealed. Stakeholders watch planning poker; guests too, unless the facilitator lets ' +
    'guests estimate (setGuestEstimating).',
  guests: true,
});
export const setGuestEstimatingOperation = commandOperation({
  operationId: 'setGuestEstimating',
  command: 'setGuestEstimating',
  path: 'guest-estimating',
  summary: 'Let the guests of a refinement estimate, or stop them (facilitator)',
  description:
    'On: every guest gets the deck and guests who join later estimate from the start. Off: guests watch again, their ' +
    'cards in rounds not yet revealed are withdrawn unseen, and a guest’s card is refused with 403.',
});
export const resolveSessionQuestionOperation = commandOperation({
  operationId: 'resolveSessionQuestion',
  command: 'resolveNote',
  path: 'questions/resolve',
  summary: 'Mark an open question answered (facilitator)',
});
export const setSessionFacilitatorOperation = commandOperation({
  operationId: 'setSessionFacilitator',
  command: 'setFacilitator',
  path: 'facilitator',
  summary:
    'Hand facilitation to the product owner or a team member of the product (the facilitator or the product owner)',
});
export const setReadyCheckOperation = commandOperation({
  operationId: 'setReadyCheck',
  command: 'setReadyCheck',
  path: 'ready-checks',
  summary: 'Tick or untick a line of the current item’s Definition of Ready (product owner and team)',
});
export const revealEstimatesOperation = commandOperation({
  operationId: 'revealEstimates',
  command: 'revealEstimates',
  path: 'reveal',
  summary: 'Reveal the open estimation round of the current item (facilitator)',
});
export const nudgeNonVotersOperation = commandOperation({
  operationId: 'nudgeNonVoters',
  command: 'nudge',
  path: 'nudge',
  summary:
    'Remind everyone who has not voted in the open estimation round (facilitator); names people, never cards',
});
export const endSessionOperation = commandOperation({
  operationId: 'endSession',
  command: 'endSession',
  path: 'end',
  summary: 'End the session (facilitator); it is read-only afterwards',
});

export const addSessionQuestionOperation = defineOperation({
  operationId: 'addSessionQuestion',
  method: 'POST',
  path: '/sessions/{sessionId}/questions',
  summary: 'Raise an open question, on the current item unless `itemId` says otherwise (participants)',
  description:
    'Guests may ask too, with their guest token: at most 500 characters, 3 a minute and 30 a session (429 with ' +
    'Retry-After above it).',
  tag: 'Sessions',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.addNote.schema,
  success: {
    status: 201,
    description: 'The question',
    schema: z.object({ id, text: z.string(), itemId: id.nullable(), createdAt: isoDateTime }),
  },
  errors: [403, 404, 409, 429],
  async handler({ services, actorId, params, body }) {
    return runSessionCommand(services, 'addNote', params.sessionId, actorId!, body);
  },
});

export const startEstimateRoundOperation = defineOperation({
  operationId: 'startEstimateRound',
  method: 'POST',
  path: '/sessions/{sessionId}/rounds',
  summary: 'Start an estimation round on the current item, or a re-vote after a reveal (facilitator)',
  description:
    '`deck`: `fibonacci`, `tshirt` or the id of one of the product’s own decks; by default the deck of the ' +
    'session’s last round. A refinement moves to its estimating phase.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.startEstimateRound.schema,
  success: {
    status: 201,
    description: 'The round',
    schema: roundSchema.pick({ id: true, number: true, deck: true }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const round = await runSessionCommand(services, 'startEstimateRound', params.sessionId, user.id, body);
    return { id: round.id, number: round.number, deck: round.deck };
  },
});

export const castEstimateOperation = defineOperation({
  operationId: 'castEstimate',
  method: 'POST',
  path: '/sessions/{sessionId}/estimates',
  summary: 'Play a card in the open round (participants who estimate)',
  description:
    'The value must be a card of the session’s deck. You may change your card until the reveal. Guests play with ' +
    'their guest token while the facilitator lets guests estimate (403 otherwise).',
  tag: 'Sessions',
  auth: 'participant',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.castEstimate.schema,
  success: {
    status: 200,
    description: 'Counted; `revealed` when it was the last missing vote with auto-reveal on',
    schema: z.object({ roundId: id, revealed: z.boolean() }),
  },
  errors: [403, 404, 409],
  async handler({ services, actorId, params, body }) {
    return runSessionCommand(services, 'castEstimate', params.sessionId, actorId!, body);
  },
});

export const commitEstimateOperation = defineOperation({
  operationId: 'commitEstimate',
  method: 'POST',
  path: '/sessions/{sessionId}/commit',
  summary: 'Write the agreed estimate to the current item after a reveal (facilitator)',
  description: 'Recorded in the decision log with a link to the session.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.commitEstimate.schema,
  success: {
    status: 200,
    description: 'The item and its new estimate',
    schema: z.object({ itemId: id, estimate: z.number().int() }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const result = await runSessionCommand(services, 'commitEstimate', params.sessionId, user.id, body);
    return { itemId: result.itemId, estimate: body.estimate };
  },
});

export const splitItemOperation = defineOperation({
  operationId: 'splitItem',
  method: 'POST',
  path: '/sessions/{sessionId}/split',
  summary: 'Split the current story or epic into child stories (product owner and team)',
  description:
    'A story that is split becomes an epic holding the new stories. They go right below it, or at the top or bottom ' +
    '(product owner only), and join the agenda after it.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.splitItem.schema,
  success: {
    status: 201,
    description: 'The new stories',
    schema: z.object({ parentId: id, created: z.array(z.object({ id, title: z.string() })) }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const result = await runSessionCommand(services, 'splitItem', params.sessionId, user.id, body);
    return { parentId: result.parentId, created: result.created };
  },
});

export const getSessionSummaryOperation = defineOperation({
  operationId: 'getSessionSummary',
  method: 'GET',
  path: '/sessions/{sessionId}/summary',
  summary: 'What the session changed: estimates, readiness, new stories, open questions, who took part',
  description: 'As JSON, or as a Markdown file with `format=markdown`.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  query: z.strictObject({
    format: z
      .enum(['json', 'markdown'], { message: 'format must be json or markdown' })
      .default('json')
      .meta({ description: 'json (default) or markdown' }),
  }),
  success: {
    status: 200,
    description: 'The summary',
    schema: sessionSummarySchema,
    files: [
      { mediaType: 'text/markdown', description: 'With format=markdown: the summary as a Markdown document' },
    ],
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    const summary = await sessionSummary(services.db, params.sessionId, user.id);
    if (query.format === 'markdown')
      return new FileResult(summaryMarkdown(summary), 'text/markdown', 'session-summary.md');
    return summary;
  },
});

// Three amigos (issue 18): the developer's notes, the tester's cases, the shared understanding.

export const addAmigoNoteOperation = defineOperation({
  operationId: 'addThreeAmigosNote',
  method: 'POST',
  path: '/sessions/{sessionId}/notes',
  summary: 'Record a question, a dependency or an assumption in a three amigos session (its developer)',
  description:
    'A dependency may name an item of the same product (`linkedItemId`): the story is then linked as blocked by ' +
    'it. Another product’s item is 404. The three see the note at once in the session’s live document.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.addAmigoNote.schema,
  success: {
    status: 201,
    description: 'The note',
    schema: z.object({
      id,
      kind: z.string(),
      text: z.string(),
      linkedItemId: id.nullable(),
      createdAt: isoDateTime,
    }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const note = await runSessionCommand(services, 'addAmigoNote', params.sessionId, user.id, body);
    return {
      id: note.id,
      kind: note.kind,
      text: note.text,
      linkedItemId: note.linkedItemId,
      createdAt: note.createdAt,
    };
  },
});
export const answerAmigoNoteOperation = commandOperation({
  operationId: 'answerThreeAmigosNote',
  command: 'answerAmigoNote',
  path: 'notes/answer',
  summary: 'Mark a note of a three amigos session answered, or open again (any of the three)',
});
export const addCaseOperation = defineOperation({
  operationId: 'addThreeAmigosCase',
  method: 'POST',
  path: '/sessions/{sessionId}/cases',
  summary: 'Add a case the criteria miss: one Gherkin Scenario appended to the story’s criteria (its tester)',
  description:
    'The scenario must parse (Cucumber’s parser) alone and once appended, with at least one step and nothing ' +
    'but steps after the Scenario line; otherwise 400 says why. Open editors of the story see it appear at once.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.addCase.schema,
  success: {
    status: 201,
    description: 'The case as appended',
    schema: z.object({ id, itemId: id, name: z.string(), scenario: z.string() }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const added = await runSessionCommand(services, 'addCase', params.sessionId, user.id, body);
    return { id: added.id, itemId: added.itemId, name: added.name, scenario: added.scenario };
  },
});
export const markUnderstandingOperation = defineOperation({
  operationId: 'markThreeAmigosUnderstanding',
  method: 'POST',
  path: '/sessions/{sessionId}/understanding',
  summary: 'Mark “We share an understanding”, or take it back (the product owner, developer and tester)',
  description:
    'When the last of the three marks it, the session ends, the decision log records who took part, the cases ' +
    'added and the questions still open, and the story’s readiness shows the three amigos.',
  tag: 'Sessions',
  auth: 'token',
  params: { sessionId: sessionIdParam },
  body: sessionCommands.markUnderstanding.schema,
  success: {
    status: 200,
    description: 'Who has marked it, and whether the session ended',
    schema: z.object({ agreed: z.boolean(), marked: z.array(id), ended: z.boolean() }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const r = await runSessionCommand(services, 'markUnderstanding', params.sessionId, user.id, body);
    return { agreed: r.agreed, marked: r.marked, ended: r.ended };
  },
});

export const sessionOperations: readonly Operation[] = [
  createSessionOperation,
  listSessionsOperation,
  getSessionOperation,
  joinSessionOperation,
  setSessionPhaseOperation,
  setCurrentItemOperation,
  setSessionTimerOperation,
  raiseHandOperation,
  setSessionSpectatorOperation,
  setGuestEstimatingOperation,
  addSessionQuestionOperation,
  resolveSessionQuestionOperation,
  setSessionFacilitatorOperation,
  setReadyCheckOperation,
  startEstimateRoundOperation,
  castEstimateOperation,
  revealEstimatesOperation,
  nudgeNonVotersOperation,
  commitEstimateOperation,
  splitItemOperation,
  endSessionOperation,
  getSessionSummaryOperation,
  addAmigoNoteOperation,
  answerAmigoNoteOperation,
  addCaseOperation,
  markUnderstandingOperation,
];
