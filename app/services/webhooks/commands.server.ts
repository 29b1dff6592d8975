import type { z } from 'zod';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import type { WebhookDeps } from './deps.server';
import {
  createWebhook,
  createWebhookSchema,
  deleteWebhook,
  emptySchema,
  pingWebhook,
  redeliver,
  rotateWebhookSecret,
  setWebhookActive,
  webhookActiveSchema,
} from './webhooks.server';

/**
 * What a webhook command acts on: the product, the webhook ('' when adding one), the delivery for "retry now",
 * and the webhooks' settings (the secret box, the address rules).
 */
export interface WebhookTarget {
  productId: string;
  webhookId: string;
  deliveryId?: string;
  deps: WebhookDeps;
}

const command = <S extends z.ZodType, R>(spec: CommandSpec<WebhookTarget, S, R>) => spec;

/**
 * Every command on a product's webhooks, defined once (decision 0036): the API operations and the Webhooks page's
 * forms run them through `runWebhookCommand`. The services check who may (the product owner). Nothing live to
 * publish: the worker sends what they queue.
 */
export const webhookCommands = {
  createWebhook: command({
    schema: createWebhookSchema,
    run: (_, t, actor, input) => createWebhook(t.deps, t.productId, actor, input),
  }),
  deleteWebhook: command({
    schema: emptySchema,
    run: (s, t, actor) => deleteWebhook(s.db, t.productId, t.webhookId, actor),
  }),
  rotateWebhookSecret: command({
    schema: emptySchema,
    run: (_, t, actor) => rotateWebhookSecret(t.deps, t.productId, t.webhookId, actor),
  }),
  setWebhookActive: command({
    schema: webhookActiveSchema,
    run: (s, t, actor, input) => setWebhookActive(s.db, t.productId, t.webhookId, actor, input),
  }),
  pingWebhook: command({
    schema: emptySchema,
    run: (s, t, actor) => pingWebhook(s.db, t.productId, t.webhookId, actor),
  }),
  redeliver: command({
    schema: emptySchema,
    run: (s, t, actor) => redeliver(s.db, t.productId, t.webhookId, t.deliveryId ?? '', actor),
  }),
};

export type WebhookCommandName = keyof typeof webhookCommands;
type Spec<N extends WebhookCommandName> = (typeof webhookCommands)[N];

export function runWebhookCommand<N extends WebhookCommandName>(
  services: CommandServices,
  name: N,
  target: WebhookTarget,
  actorId: string,
  input: z.output<Spec<N>['schema']>,
): Promise<Awaited<ReturnType<Spec<N>['run']>>> {
  return runCommand(
    services,
    name,
    webhookCommands[name] as AnyCommand<WebhookTarget>,
    target,
    actorId,
    input,
  );
}
