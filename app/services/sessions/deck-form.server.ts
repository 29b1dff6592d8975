import { z } from 'zod';
import { isAppError } from '~/domain/errors';
import type { CommandServices } from '~/services/commands/runner.server';
import { parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { type DeckTarget, runDeckCommand } from './deck-commands.server';
import { addDeckSchema, type DeckFormReply } from './poker-decks.server';

/*
 * Its own module rather than beside the deck services: it runs the deck commands, which call those services, and
 * an import cycle between the two would leave the commands' schema undefined at load.
 */

const removeDeckForm = z.object({ deckId: z.string().default('') });

/**
 * The Settings page's deck forms, read by the one form pipeline and run as deck commands (decision 0036): `intent`
 * addDeck (name, cards) or removeDeck (deckId). A refusal has its status and keeps what was typed.
 */
export async function runDeckForm(
  services: CommandServices,
  productId: string,
  actorId: string,
  form: FormData,
): Promise<{ reply: DeckFormReply; status: number }> {
  const intent = form.get('intent') === 'removeDeck' ? 'removeDeck' : 'addDeck';
  const submission =
    intent === 'removeDeck'
      ? parseFormSubmission(form, removeDeckForm)
      : parseFormSubmission(form, addDeckSchema);
  if (submission.status !== 'success') return { reply: { intent, result: submission.reply() }, status: 400 };
  const target = (deckId = ''): DeckTarget => ({ productId, deckId });
  try {
    if ('deckId' in submission.value) {
      await runDeckCommand(services, 'removePokerDeck', target(submission.value.deckId), actorId, {});
      const message = 'Deck removed. Rounds played with it keep their cards.';
      return { reply: { intent, result: submission.reply(), message }, status: 200 };
    }
    const deck = await runDeckCommand(services, 'addPokerDeck', target(), actorId, submission.value);
    const message = `Deck “${deck.name}” added: ${deck.cards.join(', ')}.`;
    return { reply: { intent, result: submission.reply({ resetForm: true }), message }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const result = refuseSubmission(submission, error.detail, { field: error.extra.field });
    return { reply: { intent, result }, status: error.status };
  }
}
