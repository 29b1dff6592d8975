import type { z } from 'zod';
import type { AppServices } from '~/context';
import { type LiveEffect, publishEffects } from './live-effects.server';

export type CommandServices = Pick<AppServices, 'db' | 'live' | 'log'>;

/**
 * One command, defined once: the schema its input is validated with (by the API operation or the form that
 * carries it), what it runs on its target (the service checks who may, by policy, in its own transaction), and
 * what it changed for the live views. Every door into the product (API, forms, live rooms) runs it through
 * `runCommand`, so none can skip the publish.
 */
export interface CommandSpec<Target, S extends z.ZodType, R> {
  schema: S;
  run(services: CommandServices, target: Target, actorId: string, input: z.output<S>): Promise<R>;
  /** what the committed command changed, published in this order */
  effects?(result: R, target: Target, input: z.output<S>): LiveEffect[];
  /**
   * answered once committed, before the live documents say so (votes: 200 voters in a second must not each wait
   * for a publish; the publish follows within a moment, coalesced; decision 0027)
   */
  answerBeforePublish?: boolean;
  /** what the person who sent it reads when it is done, where the outcome needs words (e.g. nothing moved) */
  doneMessage?(result: R): string;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every input and result type
export type AnyCommand<Target> = CommandSpec<Target, z.ZodType, any>;

/**
 * Runs a command with already validated input on a target the caller has resolved (and checked belongs to the
 * product its address names), then publishes its effects. A refusal is the service's AppError; nothing is
 * published then.
 */
export async function runCommand<Target, R>(
  services: CommandServices,
  name: string,
  spec: CommandSpec<Target, z.ZodType, R>,
  target: Target,
  actorId: string,
  input: unknown,
): Promise<R> {
  const result = await spec.run(services, target, actorId, input);
  const published = publishEffects(services, name, spec.effects?.(result, target, input) ?? []);
  if (spec.answerBeforePublish)
    published.catch((error) =>
      services.log.warn({ event: 'live_publish_failed', command: name, err: error }),
    );
  else await published;
  return result;
}
