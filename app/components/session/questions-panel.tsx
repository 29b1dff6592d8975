import { useEffect, useRef } from 'react';
import { CommandError, useSessionCommand } from './use-session-command';

export interface Question {
  id: string;
  text: string;
  itemId: string | null;
  resolved: boolean;
  author: string;
}

function ResolveButton({ question }: { question: Question }) {
  const command = useSessionCommand('resolveNote');
  return (
    <command.fetcher.Form method="post" className="resolve-form">
      <input type="hidden" name="command" value="resolveNote" />
      <input type="hidden" name="noteId" value={question.id} />
      <button
        type="submit"
        className="link-button"
        disabled={command.busy}
        aria-label={`Mark answered: ${question.text}`}
      >
        {command.busy ? 'Marking…' : 'Mark answered'}
      </button>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}

/** Open questions raised in the room; the facilitator marks them answered. The summary lists those left open. */
export function QuestionsPanel({
  questions,
  titles,
  mayAsk,
  facilitate,
  maxLength = 2000,
}: {
  questions: Question[];
  titles: Record<string, string>;
  mayAsk: boolean;
  facilitate: boolean;
  /** the longest question the server takes from this person (guests: shorter) */
  maxLength?: number;
}) {
  const add = useSessionCommand('addNote');
  const form = useRef<HTMLFormElement>(null);
  const doneAt = add.done?.at;
  useEffect(() => {
    if (doneAt) form.current?.reset();
  }, [doneAt]);
  const open = questions.filter((q) => !q.resolved);
  const answered = questions.length - open.length;
  return (
    <section aria-labelledby="questions-title" className="room-panel questions">
      <div className="panel-heading">
        <h3 id="questions-title">Open questions</h3>
        <p className="muted">{answered > 0 ? `${answered} answered` : ''}</p>
      </div>
      {open.length === 0 ? (
        <p className="muted">No open questions.</p>
      ) : (
        <ul className="question-list" aria-labelledby="questions-title">
          {open.map((q) => (
            <li key={q.id}>
              <p className="question-text">{q.text}</p>
              <p className="question-meta">
                {q.author}
                {q.itemId && titles[q.itemId] ? ` · on “${titles[q.itemId]}”` : ''}
              </p>
              {facilitate ? <ResolveButton question={q} /> : null}
            </li>
          ))}
        </ul>
      )}
      {mayAsk ? (
        <add.fetcher.Form method="post" ref={form} className="question-form">
          <input type="hidden" name="command" value="addNote" />
          <label htmlFor="new-question">Ask a question</label>
          <textarea
            id="new-question"
            name="text"
            rows={2}
            required
            maxLength={maxLength}
            aria-describedby="question-hint"
          />
          <p className="hint" id="question-hint">
            Up to {maxLength} characters. It is attached to the current item and listed in the summary until
            answered.
          </p>
          <CommandError error={add.error} />
          <button type="submit" className="button button-small" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add question'}
          </button>
        </add.fetcher.Form>
      ) : null}
    </section>
  );
}
