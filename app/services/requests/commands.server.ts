import type { z } from 'zod';
import { backlogEffect, type LiveEffect } from '~/services/commands/live-effects.server';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import { agreeCriteria, criteriaInputSchema } from './criteria.server';
import {
  answerAsMember,
  answerSchema,
  sendRequest,
  sendRequestSchema,
  triageRequest,
  triageSchema,
} from './requests.server';
import { swapIntoSprint, swapIntoSprintSchema } from './urgent.server';

/** What a request command acts on: the product, and the request for the commands on one ('' for the others). */
export interface RequestTarget {
  productId: string;
  requestId: string;
}

const command = <S extends z.ZodType, R>(spec: CommandSpec<RequestTarget, S, R>) => spec;

/**
 * The commands of stakeholder requests and the agreed criteria (issue 17), run by the one runner (decision 0036).
 * Accepting a request creates a backlog item, which open backlog views hear about. `triageRequest` returns the
 * `request_answered` event for the requester (notifications connect to it; issue 17 part 4).
 */
export const requestCommands = {
  sendRequest: command({
    schema: sendRequestSchema,
    run: (s, t, actor, input) => sendRequest(s.db, t.productId, actor, input),
  }),
  triageRequest: command({
    schema: triageSchema,
    run: (s, t, actor, input) => triageRequest(s.db, t.productId, t.requestId, actor, input),
    effects: (result, t, input): LiveEffect[] =>
      input.action === 'accept' && result.event.itemId
        ? [backlogEffect(t.productId, [result.event.itemId], 'created')]
        : [],
    doneMessage: (result) =>
      ({
        accepted: 'Accepted: the item is in the backlog.',
        merged: 'Merged into the item.',
        needs_info: 'Asked: the requester can answer now.',
        declined: 'Declined, with your reason.',
      })[result.event.state],
  }),
  answerRequest: command({
    schema: answerSchema,
    run: (s, t, actor, input) => answerAsMember(s.db, t.productId, t.requestId, actor, input),
  }),
  /** an urgent request into the running sprint, displacing items back to the top of the backlog (issue 17 part 3) */
  swapIntoSprint: command({
    schema: swapIntoSprintSchema,
    run: (s, t, actor, input) => swapIntoSprint(s.db, t.productId, t.requestId, actor, input),
    effects: (result, t): LiveEffect[] => {
      const itemIds = [result.itemId, ...result.displaced.map((d) => d.id)];
      return [
        backlogEffect(t.productId, itemIds, 'urgent_swap'),
        { to: 'sprint', change: { sprintId: result.sprint.id, productId: t.productId, itemIds } },
      ];
    },
    doneMessage: (result) =>
      `Swapped: “${result.urgent.title}” is in ${result.sprint.name}${
        result.displaced.length > 0
          ? `; ${result.displaced.length} item${result.displaced.length === 1 ? '' : 's'} (${result.displacedPoints} points) went back to the top of the backlog`
          : ''
      }.`,
  }),
  agreeCriteria: command({
    schema: criteriaInputSchema,
    run: (s, t, actor, input) => agreeCriteria(s.db, t.productId, actor, input),
  }),
};

export type RequestCommandName = keyof typeof requestCommands;
type Spec<N extends RequestCommandName> = (typeof requestCommands)[N];
export type RequestCommandInput<N extends RequestCommandName> = z.output<Spec<N>['schema']>;
export type RequestCommandResult<N extends RequestCommandName> = Awaited<ReturnType<Spec<N>['run']>>;

/** Runs a request command with already validated input; the service checks who may and that ids belong. */
export async function runRequestCommand<N extends RequestCommandName>(
  services: CommandServices,
  name: N,
  target: { productId: string; requestId?: string },
  actorId: string,
  input: RequestCommandInput<N>,
): Promise<RequestCommandResult<N>> {
  const spec = requestCommands[name] as AnyCommand<RequestTarget>;
  return runCommand(
    services,
    name,
    spec,
    { productId: target.productId, requestId: target.requestId ?? '' },
    actorId,
    input,
  );
}
