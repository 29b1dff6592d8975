import type { z } from 'zod';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import { markRead, markReadSchema } from './notify.server';

/** A person's own notifications: the target is nobody else's (the actor's). */
type NotificationTarget = Record<string, never>;
const command = <S extends z.ZodType, R>(spec: CommandSpec<NotificationTarget, S, R>) => spec;

/** The commands on one's notifications (decision 0036): the API and the notifications page run them here. */
export const notificationCommands = {
  markRead: command({
    schema: markReadSchema,
    run: (s, _, actor, input) => markRead(s.db, actor, input),
  }),
};

export type NotificationCommandName = keyof typeof notificationCommands;
type Spec<N extends NotificationCommandName> = (typeof notificationCommands)[N];

export function runNotificationCommand<N extends NotificationCommandName>(
  services: CommandServices,
  name: N,
  actorId: string,
  input: z.output<Spec<N>['schema']>,
): Promise<Awaited<ReturnType<Spec<N>['run']>>> {
  return runCommand(
    services,
    name,
    notificationCommands[name] as AnyCommand<NotificationTarget>,
    {},
    actorId,
    input,
  );
}
