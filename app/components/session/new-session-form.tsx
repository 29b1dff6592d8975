import { Form, useFetcher, useNavigation } from '@remix-run/react';
import { useEffect, useId, useMemo, useState } from 'react';
import { statusLabels, typeLabels } from '~/components/backlog/labels';
import { ErrorList, FormAlert } from '~/components/forms';
import { deckLabels, deckNames } from '~/domain/poker';
import type { SessionsPage } from '~/routes/products.$productId.sessions._index/sessions-page.server';
import type { AgendaCandidate } from '~/services/sessions/agenda-candidates.server';
import { type FormReply, messagesByField } from '~/utils/form-submission';

/** An item the agenda can take up, as the sessions page's loader sends it. */
export type Candidate = AgendaCandidate;

/** The new-session forms' options, as the sessions page's loader sends them. */
export type NewSessionOptions = NonNullable<SessionsPage['create']>;

const label = <T extends Record<string, string>>(labels: T, key: string) =>
  key in labels ? labels[key as keyof T] : key;

/**
 * The agenda picker: refinable items in backlog order with a filter box. The filter narrows the list at once;
 * when the backlog has more items than the list holds, it also searches the whole backlog on the server.
 * Ticked items stay ticked while filtered out of view (they are sent as hidden fields).
 */
export function AgendaPicker({
  productId,
  options,
  error,
}: {
  productId: string;
  options: NewSessionOptions;
  error?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<ReadonlyMap<string, Candidate>>(
    () =>
      new Map(options.candidates.filter((c) => options.defaultAgenda.includes(c.id)).map((c) => [c.id, c])),
  );
  const search = useFetcher<{ create: NewSessionOptions | null }>();
  const truncated = options.total > options.candidates.length;
  const term = filter.trim().toLowerCase();

  const { load } = search;
  useEffect(() => {
    if (!truncated || term.length < 2) return;
    const timer = setTimeout(
      () => load(`/products/${productId}/sessions?index&q=${encodeURIComponent(term)}`),
      250,
    );
    return () => clearTimeout(timer);
  }, [truncated, term, productId, load]);

  const shown = useMemo(() => {
    if (!term) return options.candidates;
    const matches = (c: Candidate) =>
      c.title.toLowerCase().includes(term) || label(typeLabels, c.type).toLowerCase() === term;
    const local = options.candidates.filter(matches);
    const remote = search.data?.create?.q === term ? search.data.create.candidates.filter(matches) : [];
    const byId = new Map([...local, ...remote].map((c) => [c.id, c]));
    return [...byId.values()].sort((a, b) => a.position - b.position);
  }, [term, options.candidates, search.data]);

  const shownIds = new Set(shown.map((c) => c.id));
  const hiddenPicked = [...picked.values()]
    .filter((c) => !shownIds.has(c.id))
    .sort((a, b) => a.position - b.position);
  const toggle = (candidate: Candidate, on: boolean) =>
    setPicked((current) => {
      const next = new Map(current);
      if (on) next.set(candidate.id, candidate);
      else next.delete(candidate.id);
      return next;
    });

  return (
    <fieldset className="agenda-picker" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>Agenda</legend>
      <p id={`${id}-hint`} className="hint">
        Items not yet in a sprint, in backlog order. The top stories, bugs and spikes that are not ready are
        ticked to start with; epics (split them first) and rejected items are left for you to add.
      </p>
      <div className="agenda-picker-tools">
        <label htmlFor={`${id}-filter`} className="visually-hidden">
          Filter the backlog items
        </label>
        <input
          id={`${id}-filter`}
          type="search"
          placeholder="Filter by title…"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter in the filter must not submit the whole form.
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
        <p className="selection-count" aria-live="polite">
          {picked.size} {picked.size === 1 ? 'item' : 'items'} on the agenda
        </p>
        {picked.size > 0 ? (
          <button type="button" className="link-button" onClick={() => setPicked(new Map())}>
            Clear
          </button>
        ) : null}
      </div>
      {hiddenPicked.map((c) => (
        <input key={c.id} type="hidden" name="agenda" value={c.id} />
      ))}
      {shown.length === 0 ? (
        <p className="agenda-picker-empty">
          {options.candidates.length === 0
            ? 'The backlog has no items to refine yet. You can still create the session and add items later by splitting.'
            : search.state === 'loading'
              ? 'Searching the backlog…'
              : 'No item matches this filter.'}
        </p>
      ) : (
        <ul className="agenda-options" aria-label="Backlog items for the agenda">
          {shown.map((c) => (
            <li key={c.id} className={picked.has(c.id) ? 'is-picked' : undefined}>
              <input
                id={`${id}-${c.id}`}
                type="checkbox"
                name="agenda"
                value={c.id}
                checked={picked.has(c.id)}
                onChange={(e) => toggle(c, e.currentTarget.checked)}
                aria-describedby={`${id}-${c.id}-meta`}
              />
              <label htmlFor={`${id}-${c.id}`}>{c.title}</label>
              <span id={`${id}-${c.id}-meta`} className="agenda-option-meta">
                <span className="visually-hidden">Position </span>
                <span className="rank">#{c.position}</span>{' '}
                <span className={`type type-${c.type}`}>{label(typeLabels, c.type)}</span>{' '}
                <span className="status">{label(statusLabels, c.status)}</span>
                {c.dorTotal > 0 ? (
                  <span className={c.ready ? 'readiness-ok' : 'readiness-warn'}>
                    {' '}
                    · DoR {c.dorMet}/{c.dorTotal}
                  </span>
                ) : null}
                {c.estimate !== null ? <span> · {c.estimate} pts</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      {truncated && !term ? (
        <p className="hint">
          Showing the first {options.candidates.length} of {options.total} items. Type in the filter to search
          them all.
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} errors={[error]} />
    </fieldset>
  );
}

/** The product owner's "New refinement session" form. */
export function NewSessionForm({
  productId,
  options,
  result,
}: {
  productId: string;
  options: NewSessionOptions;
  result?: FormReply | null;
}) {
  const id = useId();
  const navigation = useNavigation();
  const busy =
    navigation.state !== 'idle' &&
    navigation.formMethod === 'POST' &&
    navigation.formData?.get('kind') === 'refinement';
  const errors = messagesByField(result);
  const described = (name: string, hint?: boolean) =>
    [hint ? `${id}-${name}-hint` : null, errors[name] ? `${id}-${name}-error` : null]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <section aria-labelledby={`${id}-title`} className="card new-session">
      <h3 id={`${id}-title`}>New refinement session</h3>
      <Form method="post" className="new-session-form" aria-labelledby={`${id}-title`}>
        <input type="hidden" name="kind" value="refinement" />
        <div className="new-session-settings">
          <div className="field">
            <label htmlFor={`${id}-name`}>Title</label>
            <input
              id={`${id}-name`}
              name="title"
              required
              maxLength={200}
              defaultValue={options.defaultTitle}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={described('title')}
            />
            <ErrorList id={`${id}-title-error`} errors={[errors.title]} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-timebox`}>Minutes per item</label>
            <input
              id={`${id}-timebox`}
              name="timeboxMinutes"
              type="number"
              inputMode="numeric"
              min={1}
              max={240}
              step={1}
              required
              defaultValue={10}
              aria-invalid={errors.timeboxMinutes ? true : undefined}
              aria-describedby={described('timeboxMinutes', true)}
            />
            <p id={`${id}-timeboxMinutes-hint`} className="hint">
              Each item’s countdown starts when it becomes current.
            </p>
            <ErrorList id={`${id}-timeboxMinutes-error`} errors={[errors.timeboxMinutes]} />
          </div>
          <fieldset className="field radio-group deck-choice" aria-describedby={described('deck')}>
            <legend>Planning poker deck</legend>
            {deckNames.map((deck) => (
              <label key={deck}>
                <input type="radio" name="deck" value={deck} defaultChecked={deck === 'fibonacci'} />{' '}
                {deckLabels[deck]}
              </label>
            ))}
            {options.decks.map((deck) => (
              <label key={deck.id}>
                <input type="radio" name="deck" value={deck.id} /> {deck.name}{' '}
                <span className="muted">({deck.cards.join(', ')})</span>
              </label>
            ))}
            <ErrorList id={`${id}-deck-error`} errors={[errors.deck]} />
          </fieldset>
          <div className="field checkbox-field">
            <input id={`${id}-auto`} type="checkbox" name="autoReveal" aria-describedby={`${id}-auto-hint`} />
            <label htmlFor={`${id}-auto`}>Reveal automatically</label>
          </div>
          <p id={`${id}-auto-hint`} className="hint auto-hint">
            The cards turn over as soon as everyone who estimates has voted.
          </p>
          <div className="field">
            <label htmlFor={`${id}-facilitator`}>Facilitator</label>
            <select
              id={`${id}-facilitator`}
              name="facilitatorId"
              defaultValue={options.facilitators.find((f) => f.me)?.userId ?? ''}
              aria-invalid={errors.facilitatorId ? true : undefined}
              aria-describedby={described('facilitatorId', true)}
            >
              {options.facilitators.map((f) => (
                <option key={f.userId} value={f.userId}>
                  {f.name}
                  {f.me ? ' (you)' : ''} — {f.role === 'product_owner' ? 'product owner' : 'team member'}
                </option>
              ))}
            </select>
            <p id={`${id}-facilitatorId-hint`} className="hint">
              Moves the phases, runs the votes and ends the session. You keep those controls too.
            </p>
            <ErrorList id={`${id}-facilitatorId-error`} errors={[errors.facilitatorId]} />
          </div>
        </div>
        <AgendaPicker productId={productId} options={options} error={errors.agenda} />
        <div className="new-session-submit">
          <FormAlert message={errors.form} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create session and open the room'}
          </button>
        </div>
      </Form>
    </section>
  );
}
