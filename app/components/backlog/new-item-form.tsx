import { Form, Link, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { typeLabels } from './labels';

export type CreateResult =
  | { ok: true; intent: 'create'; itemId: string; title: string; position: 'top' | 'bottom' }
  | { ok: true; intent: 'move' }
  | { ok: false; intent: string; formError: string; fieldErrors?: Record<string, string> };

/**
 * "New item": title, type and whether it goes to the top or the bottom of the order. Folded away, except when
 * `startOpen` (an empty backlog: writing the first item is the thing to do).
 */
export function NewItemForm({
  productId,
  result,
  startOpen = false,
}: {
  productId: string;
  result: CreateResult | undefined;
  startOpen?: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create';
  const form = useRef<HTMLFormElement>(null);
  const created = result?.ok && result.intent === 'create' ? result : null;
  const failed = result && !result.ok && result.intent === 'create' ? result : null;
  useEffect(() => {
    if (created) form.current?.reset();
  }, [created]);
  const titleError = failed?.fieldErrors?.title;
  return (
    // Stays open after an answer, so the message is seen (also without scripts) and the next item can follow.
    <details className="new-item card" open={Boolean(startOpen || failed || created)}>
      <summary>New item</summary>
      <Form method="post" ref={form} className="new-item-form" aria-label="New backlog item">
        <input type="hidden" name="intent" value="create" />
        <div className="field grow">
          <label htmlFor="new-title">Title</label>
          <input
            id="new-title"
            name="title"
            required
            maxLength={300}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={titleError ? 'new-title-error' : undefined}
          />
          {titleError ? (
            <p id="new-title-error" className="field-error">
              {titleError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="new-type">Type</label>
          <select id="new-type" name="type" defaultValue="story">
            {Object.entries(typeLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field radio-group">
          <legend>Place it</legend>
          <label>
            <input type="radio" name="position" value="top" /> At the top
          </label>
          <label>
            <input type="radio" name="position" value="bottom" defaultChecked /> At the bottom
          </label>
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Adding…' : 'Add item'}
        </button>
      </Form>
      <div aria-live="polite">
        {created ? (
          <p className="alert alert-success">
            Added <Link to={`/products/${productId}/items/${created.itemId}`}>{created.title}</Link> at the{' '}
            {created.position}.
          </p>
        ) : null}
        {failed ? (
          <p className="alert alert-error" role="alert">
            {failed.formError}
          </p>
        ) : null}
      </div>
    </details>
  );
}
