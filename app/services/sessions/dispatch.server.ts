import { z } from 'zod';
import { appliedOrderMessage } from '~/domain/order-proposals';
import { backlogEffect } from '~/services/commands/live-effects.server';
import { recheckGoalRiskAfter } from '~/services/sprints/goal-risk.server';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import { asyncWindowSchema, setAsyncWindow } from './async-window.server';
import {
  addNote,
  currentItemSchema,
  endSession,
  handSchema,
  joinSchema,
  joinSession,
  lowerHandOf,
  noteSchema,
  phaseSchema,
  raiseHand,
  readyCheckSchema,
  resolveNote,
  setCurrentItem,
  setPhase,
  setReadyCheck,
  setSpectator,
  setTimer,
  spectatorSchema,
  timerSchema,
} from './commands.server';
import { castDots, castDotsSchema } from './dot-votes.server';
import { handOverFacilitation, handOverSchema } from './facilitation.server';
import {
  guestEstimatingSchema,
  guestJoinSchema,
  guestLinkSchema,
  joinAsGuest,
  setGuestEstimating,
  setGuestLink,
} from './guests.server';
import { nudgeNonVoters, nudgeSchema, publishNudge } from './nudge.server';
import {
  castEstimate,
  castEstimateSchema,
  commitEstimate,
  commitEstimateSchema,
  revealEstimates,
  startEstimateRound,
  startEstimateRoundSchema,
} from './poker.server';
import {
  groupSchema,
  removeParticipant,
  removeParticipantSchema,
  resetItem,
  resetItemSchema,
  revealResults,
  setParticipantGroup,
  setVoting,
} from './prioritisation.server';
import { submitScores, submitScoresSchema } from './score-votes.server';
import { applyOrderSchema, applySessionOrder } from './session-order.server';
import { splitItem, splitSchema } from './split.server';
import {
  addAmigoNote,
  addCase,
  addCaseSchema,
  amigoNoteSchema,
  answerNoteSchema,
  appendCaseToLiveText,
  markUnderstanding,
  setNoteAnswered,
  understandingSchema,
} from './three-amigos.server';

type Services = CommandServices;

/** A session command: what every command has, plus the product's backlog items it changed, if any. */
interface SessionCommand<S extends z.ZodType, R> extends Omit<CommandSpec<string, S, R>, 'effects'> {
  /** the product whose backlog views must refresh, when the command changed items */
  touchesBacklog?: (result: R) => { productId: string; itemIds: string[] } | null;
}

/** Every session command publishes the session's new public state first, then any backlog change. */
const command = <S extends z.ZodType, R>({ touchesBacklog, ...spec }: SessionCommand<S, R>) =>
  ({
    ...spec,
    effects: (result: R, sessionId: string) => {
      const backlog = touchesBacklog?.(result);
      return [
        { to: 'session', sessionId } as const,
        ...(backlog ? [backlogEffect(backlog.productId, backlog.itemIds)] : []),
      ];
    },
  }) satisfies CommandSpec<string, S, R>;
const empty = z.strictObject({});

/**
 * Every session command, by name: its input schema and what it does. The API operations and the room's form
 * actions both go through `runSessionCommand`, so a command is validated, authorised and published to the
 * session's live document the same way whichever door it came in by.
 */
export const sessionCommands = {
  join: command({ schema: joinSchema, run: (s, id, user, input) => joinSession(s.db, id, user, input) }),
  /** a participant switches their own part in a refinement: estimating or watching */
  setSpectator: command({
    schema: spectatorSchema,
    run: (s, id, user, input) => setSpectator(s.db, id, user, input.spectator),
  }),
  setPhase: command({
    schema: phaseSchema,
    run: (s, id, user, input) => setPhase(s.db, id, user, input.phase),
  }),
  setCurrentItem: command({
    schema: currentItemSchema,
    run: (s, id, user, input) => setCurrentItem(s.db, id, user, input.itemId),
  }),
  setTimer: command({
    schema: timerSchema,
    run: (s, id, user, input) => setTimer(s.db, id, user, input.seconds),
  }),
  raiseHand: command({
    schema: handSchema,
    run: (s, id, user, input) => raiseHand(s.db, id, user, input.raised),
  }),
  /** the facilitator lowers someone's hand once they have spoken */
  lowerHand: command({
    schema: z.strictObject({
      participantId: z.uuid({ message: 'participantId must be a participant of this session' }),
    }),
    run: (s, id, user, input) => lowerHandOf(s.db, id, user, input.participantId),
  }),
  addNote: command({ schema: noteSchema, run: (s, id, user, input) => addNote(s.db, id, user, input) }),
  resolveNote: command({
    schema: z.strictObject({ noteId: z.uuid({ message: 'noteId must be a question of this session' }) }),
    run: (s, id, user, input) => resolveNote(s.db, id, user, input.noteId),
  }),
  /** the facilitator or the product owner hands facilitation to another product owner or team member */
  setFacilitator: command({
    schema: handOverSchema,
    run: (s, id, user, input) => handOverFacilitation(s.db, id, user, input.facilitatorId),
  }),
  setReadyCheck: command({
    schema: readyCheckSchema,
    run: (s, id, user, input) => setReadyCheck(s.db, id, user, input),
    touchesBacklog: (r) => ({ productId: r.productId, itemIds: [r.itemId] }),
  }),
  /** opens a round on the current item, with a deck of choice, and moves the room to estimating */
  startEstimateRound: command({
    schema: startEstimateRoundSchema,
    run: (s, id, user, input) => startEstimateRound(s.db, id, user, input),
  }),
  castEstimate: command({
    schema: castEstimateSchema,
    run: (s, id, user, input) => castEstimate(s.db, id, user, input.value),
  }),
  revealEstimates: command({ schema: empty, run: (s, id, user) => revealEstimates(s.db, id, user) }),
  /** the facilitator reminds those who have not voted in the open round; their rooms show a notice */
  nudge: command({
    schema: nudgeSchema,
    run: async (s, id, user) => {
      const nudge = await nudgeNonVoters(s.db, id, user);
      await publishNudge(s, id, nudge);
      return nudge;
    },
  }),
  commitEstimate: command({
    schema: commitEstimateSchema,
    run: async (s, id, user, input) => {
      const committed = await commitEstimate(s.db, id, user, input.estimate);
      await recheckGoalRiskAfter(s, [committed.itemId]);
      return committed;
    },
    touchesBacklog: (r) => ({ productId: r.productId, itemIds: [r.itemId] }),
  }),
  splitItem: command({
    schema: splitSchema,
    run: (s, id, user, input) => splitItem(s.db, id, user, input),
    touchesBacklog: (r) => ({ productId: r.productId, itemIds: [r.parentId, ...r.created.map((c) => c.id)] }),
  }),
  endSession: command({ schema: empty, run: (s, id, user) => endSession(s.db, id, user) }),
  // Prioritisation sessions
  openVoting: command({ schema: empty, run: (s, id, user) => setVoting(s.db, id, user, 'open') }),
  closeVoting: command({ schema: empty, run: (s, id, user) => setVoting(s.db, id, user, 'close') }),
  revealResults: command({ schema: empty, run: (s, id, user) => revealResults(s.db, id, user) }),
  /** votes before the meeting: the facilitator opens, extends or closes the asynchronous voting window */
  setAsyncWindow: command({
    schema: asyncWindowSchema,
    run: (s, id, user, input) => setAsyncWindow(s.db, id, user, input),
    doneMessage: (r) =>
      r.state === 'open' ? 'Voting before the meeting is open.' : 'Voting before the meeting is closed.',
  }),
  resetItem: command({
    schema: resetItemSchema,
    run: (s, id, user, input) => resetItem(s.db, id, user, input.itemId),
  }),
  castDots: command({
    schema: castDotsSchema,
    run: (s, id, user, input) => castDots(s.db, id, user, input),
    answerBeforePublish: true,
  }),
  submitScores: command({
    schema: submitScoresSchema,
    run: (s, id, user, input) => submitScores(s.db, id, user, input),
    answerBeforePublish: true,
  }),
  setParticipantGroup: command({
    schema: groupSchema,
    run: (s, id, user, input) => setParticipantGroup(s.db, id, user, input),
  }),
  removeParticipant: command({
    schema: removeParticipantSchema,
    run: async (s, id, user, input) => {
      const result = await removeParticipant(s.db, id, user, input.participantId);
      // A removed guest stops following the room at once (a member keeps watching through their membership).
      await s.live.accessChanged?.({ kind: 'guest', sessionId: id, participantId: input.participantId });
      return result;
    },
  }),
  setGuestLink: command({
    schema: guestLinkSchema,
    run: (s, id, user, input) => setGuestLink(s.db, id, user, input.open),
  }),
  /** refinement: the facilitator lets guests estimate, or stops them (their open cards are withdrawn) */
  setGuestEstimating: command({
    schema: guestEstimatingSchema,
    run: (s, id, user, input) => setGuestEstimating(s.db, id, user, input.allowed),
  }),
  applyOrder: command({
    schema: applyOrderSchema,
    run: (s, id, user, input) => applySessionOrder(s.db, id, user, input),
    touchesBacklog: (r) => ({ productId: r.productId, itemIds: r.order }),
    doneMessage: (r) => appliedOrderMessage(r.moved),
  }),
  // Three amigos (issue 18)
  /** the developer records a question, a dependency (optionally linking an item of the product) or an assumption */
  addAmigoNote: command({
    schema: amigoNoteSchema,
    run: (s, id, user, input) => addAmigoNote(s.db, id, user, input),
    touchesBacklog: (r) => (r.linkedItemId ? { productId: r.productId, itemIds: [r.itemId] } : null),
  }),
  /** any of the three marks a note answered, or open again */
  answerAmigoNote: command({
    schema: answerNoteSchema,
    run: (s, id, user, input) => setNoteAnswered(s.db, id, user, input),
  }),
  /** the tester adds a case: a Gherkin Scenario appended to the story's criteria, live in every open editor */
  addCase: command({
    schema: addCaseSchema,
    run: async (s, id, user, input) => {
      const added = await addCase(s.db, id, user, input);
      await appendCaseToLiveText(s, added.itemId, added.scenario);
      return added;
    },
    touchesBacklog: (r) => ({ productId: r.productId, itemIds: [r.itemId] }),
  }),
  /** one of the three marks a shared understanding, or takes it back; the last mark ends the session */
  markUnderstanding: command({
    schema: understandingSchema,
    run: (s, id, user, input) => markUnderstanding(s.db, id, user, input),
    touchesBacklog: (r) => (r.ended ? { productId: r.productId, itemIds: [r.itemId] } : null),
  }),
} as const;

export type SessionCommandName = keyof typeof sessionCommands;

/** The words a finished command gives the person who sent it, if it has any (see `doneMessage`). */
export function sessionCommandMessage(name: SessionCommandName, result: unknown): string | undefined {
  const spec = sessionCommands[name] as AnyCommand<string>;
  return spec.doneMessage?.(result);
}
export const sessionCommandNames = Object.keys(sessionCommands) as SessionCommandName[];

export async function runSessionCommand<N extends SessionCommandName>(
  services: Services,
  name: N,
  sessionId: string,
  userId: string,
  input: z.output<(typeof sessionCommands)[N]['schema']>,
) {
  const spec = sessionCommands[name] as AnyCommand<string>;
  const result = await runCommand(services, name, spec, sessionId, userId, input);
  return result as Awaited<ReturnType<(typeof sessionCommands)[N]['run']>>;
}

/** Joining by a session's guest link: no account, so no actor; the target is the link's code. */
const guestJoin = {
  schema: guestJoinSchema,
  run: (s, link, _actor, input) => joinAsGuest(s.db, link.secret, link.code, input),
  effects: (joined) => [{ to: 'session', sessionId: joined.sessionId }],
} satisfies CommandSpec<
  { code: string; secret: string },
  typeof guestJoinSchema,
  Awaited<ReturnType<typeof joinAsGuest>>
>;

/** A guest joins through a session's link; the room sees them at once, as after any session command. */
export function runGuestJoin(
  services: Services & { secret: string },
  code: string,
  input: z.output<typeof guestJoinSchema>,
) {
  return runCommand(services, 'join', guestJoin, { code, secret: services.secret }, '', input);
}
