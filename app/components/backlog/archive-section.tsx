import { Form, useNavigation } from '@remix-run/react';
import type { FormFeedback } from './item-form';

/** The product owner archives an item with a reason (after a confirmation), or restores an archived one. */
export function ArchiveSection({
  archived,
  title,
  feedback,
}: {
  archived: boolean;
  title: string;
  feedback: FormFeedback | undefined;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === 'submitting' &&
    ['archive', 'restore'].includes(String(navigation.formData?.get('intent')));
  const mine =
    feedback && (feedback.intent === 'archive' || feedback.intent === 'restore') ? feedback : undefined;
  const error = mine && !mine.ok ? (mine.fieldErrors?.reason ?? mine.formError) : undefined;
  return (
    <section aria-labelledby="archive-title" className="card stack">
      <h2 id="archive-title">{archived ? 'Archived' : 'Archive'}</h2>
      <div aria-live="polite">{mine?.ok ? <p className="alert alert-success">{mine.message}</p> : null}</div>
      {archived ? (
        <Form method="post" key="restore">
          <input type="hidden" name="intent" value="restore" />
          <p>
            This item is out of the order and keeps all its data. Restoring puts it back at the bottom of the
            order.
          </p>
          <div className="field">
            <label htmlFor="restore-reason">Reason for restoring (optional)</label>
            <input
              id="restore-reason"
              name="reason"
              maxLength={1000}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'restore-error' : undefined}
            />
            {error ? (
              <p id="restore-error" className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button-secondary" disabled={busy}>
            Restore
          </button>
        </Form>
      ) : (
        <Form
          method="post"
          key="archive"
          onSubmit={(event) => {
            if (!window.confirm(`Archive “${title}”? It leaves the order; you can restore it later.`))
              event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="archive" />
          <p>Archived items leave the order and keep all their data. They can be restored.</p>
          <div className="field">
            <label htmlFor="archive-reason">Reason for archiving</label>
            <textarea
              id="archive-reason"
              name="reason"
              rows={2}
              required
              maxLength={1000}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'archive-error' : undefined}
            />
            {error ? (
              <p id="archive-error" className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button-danger" disabled={busy}>
            Archive…
          </button>
        </Form>
      )}
    </section>
  );
}
