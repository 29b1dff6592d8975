import { getFormProps, useForm } from '@conform-to/react';
import { useFetcher } from '@remix-run/react';
import type { z } from 'zod';
import { ErrorList, Field } from '~/components/forms';
import { customDeckRules } from '~/domain/poker';
import type { addDeckSchema, DeckFormReply } from '~/services/sessions/poker-decks.server';
import { firstError } from '~/utils/form-submission';

export interface PokerDecksData {
  builtIn: Array<{ name: string; cards: string[] }>;
  custom: Array<{ id: string; name: string; cards: string[] }>;
  mayEdit: boolean;
}

const cardList = (cards: readonly string[]) => cards.join(', ');

function RemoveDeck({ deck }: { deck: { id: string; name: string } }) {
  const fetcher = useFetcher<DeckFormReply>();
  const failed = firstError(fetcher.data?.result)?.message;
  return (
    <fetcher.Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="removeDeck" />
      <input type="hidden" name="deckId" value={deck.id} />
      <button
        type="submit"
        className="button button-small button-secondary"
        disabled={fetcher.state !== 'idle'}
        aria-label={`Remove the deck “${deck.name}”`}
      >
        Remove
      </button>
      <ErrorList errors={[failed]} />
    </fetcher.Form>
  );
}

function AddDeck() {
  const fetcher = useFetcher<DeckFormReply>();
  const reply = fetcher.data?.intent === 'addDeck' ? fetcher.data : undefined;
  // Added: the reply resets the form for the next deck; refused: it keeps what was typed, the reason beside it.
  const [form, fields] = useForm<z.input<typeof addDeckSchema>>({
    id: 'add-deck',
    lastResult: reply?.result,
  });
  const busy = fetcher.state !== 'idle';
  const added = reply && !firstError(reply.result) ? reply.message : null;
  const { minCards, maxCards, maxCardLength, maxNameLength } = customDeckRules;
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="stack add-deck" aria-label="Add a deck">
      <input type="hidden" name="intent" value="addDeck" />
      <Field label="Deck name" meta={fields.name} required maxLength={maxNameLength} />
      <Field
        label="Cards"
        meta={fields.cards}
        required
        placeholder="1, 2, 4, 8, 16, ?"
        hint={`Separated by commas, lowest first: ${minCards} to ${maxCards} different cards of at most ${maxCardLength} characters. “?” means not sure and “coffee” a break; when every other card is a number, the results show a mean.`}
      />
      <div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Adding…' : 'Add deck'}
        </button>
      </div>
      <div aria-live="polite">{added ? <p className="alert alert-success">{added}</p> : null}</div>
    </fetcher.Form>
  );
}

/** Settings → Planning poker decks: the built-in decks and the product's own, which the team can add to. */
export function PokerDecksSettings({ decks }: { decks: PokerDecksData }) {
  return (
    <section aria-labelledby="decks-title" className="card stack">
      <h3 id="decks-title">Planning poker decks</h3>
      <p className="muted">
        The facilitator picks the deck when opening a round. The product owner and the team keep this list.
      </p>
      <ul className="deck-list" aria-label="Decks">
        {decks.builtIn.map((d) => (
          <li key={d.name}>
            <span>
              <strong>{d.name}</strong> <span className="muted">(built in)</span>: {cardList(d.cards)}
            </span>
          </li>
        ))}
        {decks.custom.map((d) => (
          <li key={d.id}>
            <span>
              <strong>{d.name}</strong>: {cardList(d.cards)}
            </span>
            {decks.mayEdit ? <RemoveDeck deck={d} /> : null}
          </li>
        ))}
      </ul>
      {decks.mayEdit ? <AddDeck /> : null}
    </section>
  );
}
