import { z } from 'zod';
import { AppError } from '~/domain/errors';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import type { Db } from '../../../db/client';
import { loadSprint } from './common.server';
import {
  type GoalRiskChange,
  goalRiskResponseSchema,
  recordGoalRisk,
  respondToGoalRisk,
} from './goal-risk.server';
import type { SprintChange } from './live.server';
import {
  addItemSchema,
  addItemToSprint,
  doneSchema,
  removeItemFromSprint,
  removeItemSchema,
  setItemDone,
} from './planning.server';
import {
  acceptItem,
  acceptSchema,
  addReviewFeedback,
  closeSprint,
  closeSprintSchema,
  convertFeedbackSchema,
  convertFeedbackToItem,
  criterionResultSchema,
  decideUnfinishedItem,
  feedbackSchema,
  rejectItem,
  rejectSchema,
  setCriterionResult,
  startReview,
  unfinishedSchema,
} from './review.server';
import { updateSprint, updateSprintSchema } from './sprints.server';

/** What a sprint command acts on: the sprint, and the item for the commands on one item ('' for the others). */
export interface SprintTarget {
  sprintId: string;
  itemId: string;
  /** the sprint's product and running review, as the runner found them */
  productId: string;
  reviewSessionId: string | null;
}

/** How a sprint command is written: what it runs on the database, and what it changed. */
interface SprintCommandDefinition<S extends z.ZodType, R> {
  schema: S;
  run: (db: Db, target: SprintTarget, actorId: string, input: z.output<S>) => Promise<R>;
  /** backlog items whose status, rank or membership changed (their views reload) */
  itemIds?: (result: R, target: SprintTarget) => string[];
  /** the review session to refresh, when the command made one (otherwise the sprint's own review) */
  sessionId?: (result: R) => string | null;
}

/**
 * One sprint or review command, defined once: its input schema, what it runs (the service checks who may, in its
 * transaction), and what it changed for the live views: the review room and the backlog views of its items.
 */
const command = <S extends z.ZodType, R>({
  run,
  itemIds,
  sessionId,
  ...rest
}: SprintCommandDefinition<S, R>) => {
  const change = (result: R, target: SprintTarget): Omit<SprintChange, 'kind'> => ({
    sprintId: target.sprintId,
    productId: target.productId,
    sessionId: sessionId?.(result) ?? target.reviewSessionId,
    itemIds: itemIds?.(result, target) ?? [],
  });
  return {
    ...rest,
    change,
    run: (s, target, actorId, input) => run(s.db, target, actorId, input),
    effects: (result, target) => [{ to: 'sprint', change: change(result, target) }],
  } satisfies CommandSpec<SprintTarget, S, R> & { change: typeof change };
};
const theItem = (_: unknown, target: SprintTarget) => [target.itemId];

export const sprintCommands = {
  updateSprint: command({
    schema: updateSprintSchema,
    run: (db, t, actor, input) => updateSprint(db, t.sprintId, actor, input),
  }),
  addItemToSprint: command({
    schema: addItemSchema,
    run: (db, t, actor, input) => addItemToSprint(db, t.sprintId, actor, input),
    itemIds: (result) => [result.itemId],
  }),
  removeItemFromSprint: command({
    schema: removeItemSchema,
    run: (db, t, actor, input) => removeItemFromSprint(db, t.sprintId, t.itemId, actor, input),
    itemIds: theItem,
  }),
  setItemDone: command({
    schema: doneSchema,
    run: (db, t, actor, input) => setItemDone(db, t.sprintId, t.itemId, actor, input.done),
    itemIds: theItem,
  }),
  startReview: command({
    schema: z.strictObject({}),
    run: (db, t, actor) => startReview(db, t.sprintId, actor),
    sessionId: (result) => result.sessionId,
  }),
  setCriterionResult: command({
    schema: criterionResultSchema,
    run: (db, t, actor, input) => setCriterionResult(db, t.sprintId, t.itemId, actor, input),
  }),
  acceptItem: command({
    schema: acceptSchema,
    run: (db, t, actor, input) => acceptItem(db, t.sprintId, t.itemId, actor, input),
    itemIds: theItem,
  }),
  rejectItem: command({
    schema: rejectSchema,
    run: (db, t, actor, input) => rejectItem(db, t.sprintId, t.itemId, actor, input),
    itemIds: theItem,
  }),
  addReviewFeedback: command({
    schema: feedbackSchema,
    run: (db, t, actor, input) => addReviewFeedback(db, t.sprintId, actor, input),
  }),
  convertFeedbackToItem: command({
    schema: convertFeedbackSchema,
    run: (db, t, actor, input) => convertFeedbackToItem(db, t.sprintId, actor, input),
    itemIds: (result) => [result.itemId],
  }),
  decideUnfinishedItem: command({
    schema: unfinishedSchema,
    run: (db, t, actor, input) => decideUnfinishedItem(db, t.sprintId, t.itemId, actor, input),
    itemIds: theItem,
  }),
  closeSprint: command({
    schema: closeSprintSchema,
    run: (db, t, actor, input) => closeSprint(db, t.sprintId, actor, input),
  }),
  respondToGoalRisk: command({
    schema: goalRiskResponseSchema,
    run: (db, t, actor, input) => respondToGoalRisk(db, t.sprintId, actor, input),
  }),
};

/**
 * The commands that change a sprint's scope, done state or dates: after each, the goal's projection is evaluated
 * again, so a goal at risk is said at once (issue 18), not at the next read.
 */
const movesTheBurndown: ReadonlySet<SprintCommandName> = new Set<SprintCommandName>([
  'updateSprint',
  'addItemToSprint',
  'removeItemFromSprint',
  'setItemDone',
  'acceptItem',
  'rejectItem',
  'decideUnfinishedItem',
]);

export type SprintCommandName = keyof typeof sprintCommands;
type Spec<N extends SprintCommandName> = (typeof sprintCommands)[N];
export type SprintCommandInput<N extends SprintCommandName> = z.output<Spec<N>['schema']>;
export type SprintCommandResult<N extends SprintCommandName> = Awaited<ReturnType<Spec<N>['run']>>;

export const isSprintCommand = (name: unknown): name is SprintCommandName =>
  typeof name === 'string' && Object.hasOwn(sprintCommands, name);

/**
 * Runs a sprint command with already validated input: the sprint must exist (and belong to `productId` when given:
 * a page's address names its product), the service runs it and checks who may, then the change is published to
 * the review room and the backlog views. A refusal is an AppError, as from the service.
 */
export async function runSprintCommand<N extends SprintCommandName>(
  services: CommandServices,
  name: N,
  target: { sprintId: string; itemId?: string; productId?: string },
  actorId: string,
  input: SprintCommandInput<N>,
): Promise<{
  result: SprintCommandResult<N>;
  change: SprintChange;
  /** the goal-risk state change this command caused, for the caller to tell the stakeholders */
  goalRisk: GoalRiskChange | null;
}> {
  const spec = sprintCommands[name] as AnyCommand<SprintTarget> & {
    change: (result: SprintCommandResult<N>, target: SprintTarget) => Omit<SprintChange, 'kind'>;
  };
  const sprint = await loadSprint(services.db, target.sprintId);
  if (target.productId !== undefined && sprint.productId !== target.productId)
    throw new AppError('not_found', 'No such sprint');
  const on: SprintTarget = {
    sprintId: sprint.id,
    itemId: target.itemId ?? '',
    productId: sprint.productId,
    reviewSessionId: sprint.reviewSessionId,
  };
  const result: SprintCommandResult<N> = await runCommand(services, name, spec, on, actorId, input);
  const goalRisk = movesTheBurndown.has(name)
    ? (await recordGoalRisk(services.db, await loadSprint(services.db, sprint.id))).change
    : null;
  return { result, change: { kind: name, ...spec.change(result, on) }, goalRisk };
}
