import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { ErrorList } from '~/components/forms';
import type {
  ItemReply,
  ReasonFormFields,
} from '~/routes/products.$productId.items.$itemId/item-page.server';
import { firstError } from '~/utils/form-submission';

/** aria attributes of the reason field: it carries the section's refusal, whichever form it came from. */
const described = (errorId: string, error: string | undefined) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? errorId : undefined,
});

/** The product owner archives an item with a reason (after a confirmation), or restores an archived one. */
export function ArchiveSection({
  archived,
  title,
  reply,
}: {
  archived: boolean;
  title: string;
  /** the page's last form answer (this section's when its intent is "archive" or "restore") */
  reply: ItemReply | undefined;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === 'submitting' &&
    ['archive', 'restore'].includes(String(navigation.formData?.get('intent')));
  const mine = reply && (reply.intent === 'archive' || reply.intent === 'restore') ? reply : undefined;
  const intent = archived ? 'restore' : 'archive';
  const [form, fields] = useForm<ReasonFormFields>({
    id: intent,
    lastResult: mine?.intent === intent ? mine.result : undefined,
  });
  // A refusal is said beside the reason: its own problem, or the form's (e.g. restoring an item no longer archived).
  const error = mine ? (mine.result.error?.reason?.[0] ?? firstError(mine.result)?.message) : undefined;
  const done = mine?.message && !error ? mine.message : null;
  const reason = fields.reason;
  return (
    <section aria-labelledby="archive-title" className="card stack">
      <h2 id="archive-title">{archived ? 'Archived' : 'Archive'}</h2>
      <div aria-live="polite">{done ? <p className="alert alert-success">{done}</p> : null}</div>
      {archived ? (
        <Form method="post" key="restore" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="restore" />
          <p>
            This item is out of the order and keeps all its data. Restoring puts it back at the bottom of the
            order.
          </p>
          <div className="field">
            <label htmlFor={reason.id}>Reason for restoring (optional)</label>
            <input
              {...getInputProps(reason, { type: 'text', ariaAttributes: false })}
              maxLength={1000}
              {...described(reason.errorId, error)}
            />
            <ErrorList id={reason.errorId} errors={[error]} />
          </div>
          <button type="submit" className="button button-secondary" disabled={busy}>
            Restore
          </button>
        </Form>
      ) : (
        <Form
          method="post"
          key="archive"
          {...getFormProps(form)}
          onSubmit={(event) => {
            if (!window.confirm(`Archive “${title}”? It leaves the order; you can restore it later.`))
              event.preventDefault();
            else form.onSubmit(event);
          }}
        >
          <input type="hidden" name="intent" value="archive" />
          <p>Archived items leave the order and keep all their data. They can be restored.</p>
          <div className="field">
            <label htmlFor={reason.id}>Reason for archiving</label>
            <textarea
              {...getTextareaProps(reason, { ariaAttributes: false })}
              rows={2}
              required
              maxLength={1000}
              {...described(reason.errorId, error)}
            />
            <ErrorList id={reason.errorId} errors={[error]} />
          </div>
          <button type="submit" className="button button-danger" disabled={busy}>
            Archive…
          </button>
        </Form>
      )}
    </section>
  );
}
