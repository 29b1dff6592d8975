import { useEffect, useId, useRef } from 'react';
import {
  type Amigo,
  amigoLabels,
  amigoNoteKinds,
  amigoNoteLabels,
  maxCaseLength,
  maxNoteLength,
} from '~/domain/three-amigos';
import { CommandError, useSessionCommand } from './use-session-command';

/** A three amigos session as the room shows it (the API's `threeAmigos`, or the live state's `amigos`). */
export interface AmigosData {
  itemId: string;
  people: Array<{ userId: string; name: string; part: Amigo; marked: boolean }>;
  notes: Array<{
    id: string;
    kind: 'question' | 'dependency' | 'assumption' | 'case';
    text: string;
    answered: boolean;
    linkedItem: { id: string; title: string } | null;
  }>;
  completedAt: string | null;
}

/** Clears a form once its command went through. */
function useResetOnDone(done: { at?: number } | null) {
  const form = useRef<HTMLFormElement>(null);
  const at = done?.at;
  useEffect(() => {
    if (at) form.current?.reset();
  }, [at]);
  return form;
}

/** The three and their marks; each of the three marks "We share an understanding" or takes it back. */
function Understanding({ data, myPart, ended }: { data: AmigosData; myPart: Amigo | null; ended: boolean }) {
  const mark = useSessionCommand('markUnderstanding');
  const me = myPart ? data.people.find((p) => p.part === myPart) : null;
  const count = data.people.filter((p) => p.marked).length;
  return (
    <section aria-labelledby="amigos-understanding" className="room-panel amigos-understanding">
      <div className="panel-heading">
        <h3 id="amigos-understanding">Shared understanding</h3>
        <p className="muted" aria-live="polite" data-testid="amigos-count">
          {count} of 3 marked
        </p>
      </div>
      <ul className="amigos-people">
        {data.people.map((p) => (
          <li key={p.userId} data-marked={p.marked ? 'yes' : 'no'}>
            <strong>{p.name}</strong> <span className="muted">({amigoLabels[p.part]})</span>{' '}
            {p.marked ? (
              <span className="readiness-ok">✓ shares the understanding</span>
            ) : (
              <span className="muted">not yet</span>
            )}
          </li>
        ))}
      </ul>
      {me && !ended ? (
        <mark.fetcher.Form method="post">
          <input type="hidden" name="command" value="markUnderstanding" />
          <input type="hidden" name="agreed" value={me.marked ? 'false' : 'true'} />
          <button type="submit" className={me.marked ? 'button secondary' : 'button'} disabled={mark.busy}>
            {me.marked ? 'Take back my mark' : 'We share an understanding'}
          </button>
          <p className="hint">The session ends when all three have marked it.</p>
          <CommandError error={mark.error} />
        </mark.fetcher.Form>
      ) : null}
    </section>
  );
}

function AnswerToggle({ note }: { note: AmigosData['notes'][number] }) {
  const answer = useSessionCommand('answerAmigoNote');
  return (
    <answer.fetcher.Form method="post" className="resolve-form">
      <input type="hidden" name="command" value="answerAmigoNote" />
      <input type="hidden" name="noteId" value={note.id} />
      <input type="hidden" name="answered" value={note.answered ? 'false' : 'true'} />
      <button
        type="submit"
        className="link-button"
        disabled={answer.busy}
        aria-label={`${note.answered ? 'Open again' : 'Mark answered'}: ${note.text}`}
      >
        {note.answered ? 'Open again' : 'Mark answered'}
      </button>
      <CommandError error={answer.error} />
    </answer.fetcher.Form>
  );
}

/** The developer's list: questions, dependencies and assumptions; the developer adds, any of the three answers. */
function Notes({
  data,
  myPart,
  ended,
  linkable,
}: {
  data: AmigosData;
  myPart: Amigo | null;
  ended: boolean;
  linkable: Array<{ id: string; title: string }>;
}) {
  const id = useId();
  const add = useSessionCommand('addAmigoNote');
  const form = useResetOnDone(add.done);
  const notes = data.notes.filter((n) => n.kind !== 'case');
  const errorId = `${id}-error`;
  return (
    <section aria-labelledby="amigos-notes" className="room-panel amigos-notes">
      <div className="panel-heading">
        <h3 id="amigos-notes">Questions, dependencies and assumptions</h3>
      </div>
      {notes.length === 0 ? (
        <p className="muted">
          Nothing recorded yet. The developer records questions, dependencies and assumptions here.
        </p>
      ) : (
        <ul className="question-list" aria-labelledby="amigos-notes">
          {notes.map((n) => (
            <li key={n.id} data-kind={n.kind}>
              <p className="question-text">
                <strong>{amigoNoteLabels[n.kind as keyof typeof amigoNoteLabels]}:</strong> {n.text}
              </p>
              <p className="question-meta">
                {n.linkedItem ? `Depends on “${n.linkedItem.title}” · ` : ''}
                {n.answered ? 'answered' : 'open'}
              </p>
              {myPart && !ended ? <AnswerToggle note={n} /> : null}
            </li>
          ))}
        </ul>
      )}
      {myPart === 'developer' && !ended ? (
        <add.fetcher.Form method="post" ref={form} className="question-form" aria-describedby={errorId}>
          <input type="hidden" name="command" value="addAmigoNote" />
          <div className="field">
            <label htmlFor={`${id}-kind`}>Kind</label>
            <select id={`${id}-kind`} name="kind" defaultValue="question">
              {amigoNoteKinds.map((k) => (
                <option key={k} value={k}>
                  {amigoNoteLabels[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-text`}>Note</label>
            <textarea id={`${id}-text`} name="text" required maxLength={maxNoteLength} rows={2} />
          </div>
          {linkable.length > 0 ? (
            <div className="field">
              <label htmlFor={`${id}-link`}>Depends on (optional, dependencies only)</label>
              <select id={`${id}-link`} name="linkedItemId" defaultValue="">
                <option value="">No item</option>
                {linkable.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="button" disabled={add.busy}>
            {add.busy ? 'Recording…' : 'Record'}
          </button>
          <CommandError error={add.error} id={errorId} />
        </add.fetcher.Form>
      ) : null}
    </section>
  );
}

/** The tester's cases: each a Gherkin Scenario appended to the story's acceptance criteria, live. */
function Cases({ data, myPart, ended }: { data: AmigosData; myPart: Amigo | null; ended: boolean }) {
  const id = useId();
  const add = useSessionCommand('addCase');
  const form = useResetOnDone(add.done);
  const cases = data.notes.filter((n) => n.kind === 'case');
  return (
    <section aria-labelledby="amigos-cases" className="room-panel amigos-cases">
      <div className="panel-heading">
        <h3 id="amigos-cases">Cases added</h3>
        <p className="muted">{cases.length}</p>
      </div>
      {cases.length === 0 ? (
        <p className="muted">No case added yet. The tester adds the cases the criteria miss.</p>
      ) : (
        <ul className="question-list">
          {cases.map((c) => (
            <li key={c.id}>
              <p className="question-text">{c.text.split('\n')[0]}</p>
            </li>
          ))}
        </ul>
      )}
      {myPart === 'tester' && !ended ? (
        <add.fetcher.Form method="post" ref={form} className="question-form">
          <input type="hidden" name="command" value="addCase" />
          <label htmlFor={`${id}-scenario`}>Add a case</label>
          <textarea
            id={`${id}-scenario`}
            name="scenario"
            required
            maxLength={maxCaseLength}
            rows={5}
            className="mono"
            placeholder={'Scenario: …\n  Given …\n  When …\n  Then …'}
            aria-describedby={`${id}-hint ${id}-error`}
            aria-invalid={add.error ? true : undefined}
          />
          <p id={`${id}-hint`} className="hint">
            One Gherkin scenario: a “Scenario:” line, then Given, When and Then steps. It is appended to the
            acceptance criteria.
          </p>
          <button type="submit" className="button" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add the case'}
          </button>
          <CommandError error={add.error} id={`${id}-error`} />
        </add.fetcher.Form>
      ) : null}
    </section>
  );
}

/** The tools of a three amigos room, beside the story's live text. Watchers see them read-only. */
export function ThreeAmigosPanel({
  data,
  myPart,
  ended,
  linkable,
}: {
  data: AmigosData;
  myPart: Amigo | null;
  ended: boolean;
  linkable: Array<{ id: string; title: string }>;
}) {
  return (
    <div className="three-amigos">
      {myPart === null && !ended ? (
        <p className="alert" role="note">
          You are watching: only the product owner, the developer and the tester named for this session act in
          it.
        </p>
      ) : null}
      <Understanding data={data} myPart={myPart} ended={ended} />
      <Cases data={data} myPart={myPart} ended={ended} />
      <Notes data={data} myPart={myPart} ended={ended} linkable={linkable} />
    </div>
  );
}
