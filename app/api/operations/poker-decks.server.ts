import { z } from 'zod';
import { defineOperation, type Operation } from '~/api/operation.server';
import { id } from '~/api/schemas.server';
import { customDeckRules, deckNames } from '~/domain/poker';
import { deckCommands, runDeckCommand } from '~/services/sessions/deck-commands.server';
import { listPokerDecks, maxCustomDecks } from '~/services/sessions/poker-decks.server';
import { productIdParam } from './backlog.server';

/*
 * A product's own planning poker decks (Settings), run as deck commands (decision 0036): anyone in the product
 * reads them, the product owner and the team keep them.
 */

const deckIdParam = { description: 'The deck’s id', format: 'uuid' } as const;

const deckSchema = z
  .object({
    id: id.meta({ description: 'What a round or a session is opened with (`deck`)' }),
    name: z.string(),
    cards: z.array(z.string()).meta({ description: 'The cards, in order' }),
  })
  .meta({ title: 'PokerDeck', description: 'One of the product’s own planning poker decks' });

const { minCards, maxCards, maxCardLength, maxNameLength } = customDeckRules;

export const listPokerDecksOperation = defineOperation({
  operationId: 'listPokerDecks',
  method: 'GET',
  path: '/products/{productId}/poker-decks',
  summary: 'The decks a round can be played with: the built-in ones and the product’s own',
  tag: 'Sessions',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description:
      'The built-in decks, the product’s own (oldest first), and whether you may add or remove them',
    schema: z.object({
      builtIn: z.array(
        z.object({
          key: z.enum(deckNames).meta({ description: 'What a round or a session is opened with (`deck`)' }),
          name: z.string(),
          cards: z.array(z.string()),
        }),
      ),
      custom: z.array(deckSchema),
      mayEdit: z
        .boolean()
        .meta({ description: 'Whether you may add and remove decks (product owner, team)' }),
    }),
  },
  errors: [403, 404],
  async handler({ services, user, params }) {
    return listPokerDecks(services.db, params.productId, user.id);
  },
});

export const addPokerDeckOperation = defineOperation({
  operationId: 'addPokerDeck',
  method: 'POST',
  path: '/products/{productId}/poker-decks',
  summary: 'Add a deck of the product’s own (product owner, team)',
  description:
    `\`cards\` is one string, the cards separated by commas (\`"1, 2, 4, 8, ?"\`), as the Settings page takes ` +
    `them: ${minCards} to ${maxCards} distinct cards (case ignored) of at most ${maxCardLength} characters. The ` +
    `name is at most ${maxNameLength} characters and not one the product already has, built-in ones included ` +
    `(400 naming the field). A product keeps at most ${maxCustomDecks} decks of its own (409). A round opened ` +
    'with it copies its cards: removing it later changes no round.',
  tag: 'Sessions',
  auth: 'token',
  params: { productId: productIdParam },
  body: deckCommands.addPokerDeck.schema.meta({ title: 'NewPokerDeck' }),
  success: { status: 201, description: 'The deck', schema: deckSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return runDeckCommand(
      services,
      'addPokerDeck',
      { productId: params.productId, deckId: '' },
      user.id,
      body,
    );
  },
});

export const removePokerDeckOperation = defineOperation({
  operationId: 'removePokerDeck',
  method: 'DELETE',
  path: '/products/{productId}/poker-decks/{deckId}',
  summary: 'Remove one of the product’s own decks (product owner, team)',
  description: 'Rounds already played with it keep its cards.',
  tag: 'Sessions',
  auth: 'token',
  params: { productId: productIdParam, deckId: deckIdParam },
  success: { status: 204, description: 'Removed', schema: undefined },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await runDeckCommand(services, 'removePokerDeck', params, user.id, {});
  },
});

export const pokerDeckOperations: readonly Operation[] = [
  listPokerDecksOperation,
  addPokerDeckOperation,
  removePokerDeckOperation,
];
