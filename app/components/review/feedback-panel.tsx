import type { FeedbackView, SprintItemView } from './types';
import { useClearAfterSend } from './use-clear-after-send';
import { ControlError, useSprintCommand } from './use-sprint-command';

/**
 * Feedback from stakeholders and guests, live. The product owner turns a note into a new backlog item at the top or
 * the bottom of the backlog: never a change to the current sprint.
 */
export function FeedbackPanel({
  feedback,
  items,
  action,
  mayGive,
  mayConvert,
  currentItemId,
}: {
  feedback: FeedbackView[];
  items: SprintItemView[];
  action: string;
  mayGive: boolean;
  mayConvert: boolean;
  currentItemId: string | null;
}) {
  const give = useSprintCommand(action, 'feedback');
  const giveForm = useClearAfterSend(give.busy, give.error !== null);
  const convert = useSprintCommand(action, 'convert');
  const titleOf = new Map(items.map((i) => [i.id, i.title]));
  return (
    <section className="room-panel stack" aria-labelledby="feedback-title">
      <h3 id="feedback-title">Feedback ({feedback.length})</h3>
      {feedback.length === 0 ? <p className="muted">No feedback yet.</p> : null}
      <ul className="plain-list stack">
        {feedback.map((f) => (
          <li key={f.id}>
            <p>
              <strong>{f.author}</strong>
              {f.itemId ? <span className="muted"> on {titleOf.get(f.itemId) ?? 'an item'}</span> : null}:{' '}
              {f.text}
            </p>
            {f.createdItem ? (
              <p className="muted">Became backlog item “{f.createdItem.title}”.</p>
            ) : mayConvert ? (
              <convert.fetcher.Form method="post" action={action} className="inline-form">
                <input type="hidden" name="intent" value="convert" />
                <input type="hidden" name="noteId" value={f.id} />
                <label className="visually-hidden" htmlFor={`convert-title-${f.id}`}>
                  Title of the new item
                </label>
                <input
                  id={`convert-title-${f.id}`}
                  name="title"
                  defaultValue={f.text.slice(0, 120)}
                  maxLength={300}
                />
                <label className="visually-hidden" htmlFor={`convert-position-${f.id}`}>
                  Place in the backlog
                </label>
                <select id={`convert-position-${f.id}`} name="position" defaultValue="top">
                  <option value="top">at the top</option>
                  <option value="bottom">at the bottom</option>
                </select>
                <button type="submit" className="button button-small" disabled={convert.busy}>
                  Make it a backlog item
                </button>
              </convert.fetcher.Form>
            ) : null}
          </li>
        ))}
      </ul>
      <ControlError error={convert.error} />
      {mayGive ? (
        <give.fetcher.Form method="post" action={action} className="stack" ref={giveForm}>
          <input type="hidden" name="intent" value="feedback" />
          <div className="field">
            <label htmlFor="feedback-item">About</label>
            <select id="feedback-item" name="itemId" defaultValue={currentItemId ?? ''}>
              <option value="">The sprint in general</option>
              {items
                .filter((i) => i.state !== 'removed')
                .map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.title}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="feedback-text">Your feedback</label>
            <textarea id="feedback-text" name="text" required maxLength={2000} rows={2} />
          </div>
          <button type="submit" className="button button-secondary" disabled={give.busy}>
            Add feedback
          </button>
          <ControlError error={give.error} />
        </give.fetcher.Form>
      ) : null}
    </section>
  );
}
