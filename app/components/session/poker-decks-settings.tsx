import { useFetcher } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { customDeckRules } from '~/domain/poker';
import type { DeckFormResult } from '~/services/sessions/poker-decks.server';

export interface PokerDecksData {
  builtIn: Array<{ name: string; cards: string[] }>;
  custom: Array<{ id: string; name: string; cards: string[] }>;
  mayEdit: boolean;
}

const cardList = (cards: readonly string[]) => cards.join(', ');

function RemoveDeck({ deck }: { deck: { id: string; name: string } }) {
  const fetcher = useFetcher<DeckFormResult>();
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
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
      {failed ? (
        <p className="field-error" role="alert">
          {failed}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function AddDeck() {
  const fetcher = useFetcher<DeckFormResult>();
  const form = useRef<HTMLFormElement>(null);
  const result = fetcher.data?.intent === 'addDeck' ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  const busy = fetcher.state !== 'idle';
  // Added: the form starts over for the next deck, once, as the answer arrives (not later, over new typing).
  const cleared = useRef<unknown>(null);
  useEffect(() => {
    if (!result?.ok || cleared.current === result) return;
    cleared.current = result;
    form.current?.reset();
  }, [result]);
  const { minCards, maxCards, maxCardLength, maxNameLength } = customDeckRules;
  const nameError = failure && failure.field === 'name' ? failure.error : null;
  const cardsError = failure && failure.field !== 'name' ? failure.error : null;
  return (
    <fetcher.Form method="post" ref={form} className="stack add-deck" aria-label="Add a deck">
      <input type="hidden" name="intent" value="addDeck" />
      <div className="field">
        <label htmlFor="deck-name">Deck name</label>
        <input
          id="deck-name"
          name="name"
          required
          maxLength={maxNameLength}
          defaultValue={failure?.values?.name}
          key={`name-${failure ? 'failed' : 'fresh'}`}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? 'deck-name-error' : undefined}
        />
        {nameError ? (
          <p id="deck-name-error" className="field-error" role="alert">
            {nameError}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="deck-cards">Cards</label>
        <input
          id="deck-cards"
          name="cards"
          required
          placeholder="1, 2, 4, 8, 16, ?"
          defaultValue={failure?.values?.cards}
          key={`cards-${failure ? 'failed' : 'fresh'}`}
          aria-invalid={cardsError ? true : undefined}
          aria-describedby={`deck-cards-hint${cardsError ? ' deck-cards-error' : ''}`}
        />
        <p id="deck-cards-hint" className="hint">
          Separated by commas, lowest first: {minCards} to {maxCards} different cards of at most{' '}
          {maxCardLength} characters. “?” means not sure and “coffee” a break; when every other card is a
          number, the results show a mean.
        </p>
        {cardsError ? (
          <p id="deck-cards-error" className="field-error" role="alert">
            {cardsError}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Adding…' : 'Add deck'}
        </button>
      </div>
      <div aria-live="polite">
        {result?.ok ? <p className="alert alert-success">{result.message}</p> : null}
      </div>
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
