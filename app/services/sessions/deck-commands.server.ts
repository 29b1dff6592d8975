import { z } from 'zod';
import {
  type AnyCommand,
  type CommandServices,
  type CommandSpec,
  runCommand,
} from '~/services/commands/runner.server';
import { addDeckSchema, addPokerDeck, removePokerDeck } from './poker-decks.server';

/** What a deck command acts on: the product, and the deck ('' when adding one). */
export interface DeckTarget {
  productId: string;
  deckId: string;
}

const command = <S extends z.ZodType, R>(spec: CommandSpec<DeckTarget, S, R>) => spec;

/**
 * Every command on a product's own poker decks, defined once (decision 0036): the API operations and the Settings
 * page's deck forms run them through `runDeckCommand`. The services check who may (the product owner and the
 * team). Nothing live to publish: a round copies its deck's cards when it opens.
 */
export const deckCommands = {
  addPokerDeck: command({
    schema: addDeckSchema,
    run: (s, t, actor, input) => addPokerDeck(s.db, t.productId, actor, input),
  }),
  removePokerDeck: command({
    schema: z.strictObject({}),
    run: (s, t, actor) => removePokerDeck(s.db, t.productId, actor, t.deckId),
  }),
};

export type DeckCommandName = keyof typeof deckCommands;
type Spec<N extends DeckCommandName> = (typeof deckCommands)[N];

export function runDeckCommand<N extends DeckCommandName>(
  services: CommandServices,
  name: N,
  target: DeckTarget,
  actorId: string,
  input: z.output<Spec<N>['schema']>,
): Promise<Awaited<ReturnType<Spec<N>['run']>>> {
  return runCommand(services, name, deckCommands[name] as AnyCommand<DeckTarget>, target, actorId, input);
}
