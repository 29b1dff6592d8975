import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useNavigation } from '@remix-run/react';
import { ErrorList, Field, FormAlert, SelectField } from '~/components/forms';
import type { BacklogReply, NewItemFields } from '~/routes/products.$productId._index/backlog-page.server';
import { typeLabels } from './labels';

/**
 * "New item": title, type and whether it goes to the top or the bottom of the order. Folded away, except when
 * `startOpen` (an empty backlog: writing the first item is the thing to do).
 */
export function NewItemForm({
  productId,
  reply,
  startOpen = false,
}: {
  productId: string;
  /** the page's last form answer (this form's when its intent is "create") */
  reply: BacklogReply | undefined;
  startOpen?: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create';
  const mine = reply?.intent === 'create' ? reply : undefined;
  const created = mine?.created;
  // The ids stay "new-…": the empty backlog's "Write the first item" link focuses "new-title".
  const [form, fields] = useForm<NewItemFields>({
    id: 'new',
    lastResult: mine?.result,
    defaultValue: { type: 'story', position: 'bottom' },
  });
  const position = fields.position.initialValue ?? 'bottom';
  return (
    // Stays open after an answer, so the message is seen (also without scripts) and the next item can follow.
    <details className="new-item card" open={Boolean(startOpen || mine)}>
      <summary>New item</summary>
      <Form method="post" className="new-item-form" aria-label="New backlog item" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="create" />
        <Field label="Title" meta={fields.title} className="field grow" required maxLength={300} />
        <SelectField label="Type" meta={fields.type}>
          {Object.entries(typeLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <fieldset className="field radio-group">
          <legend>Place it</legend>
          <label>
            <input type="radio" name={fields.position.name} value="top" defaultChecked={position === 'top'} />{' '}
            At the top
          </label>
          <label>
            <input
              type="radio"
              name={fields.position.name}
              value="bottom"
              defaultChecked={position !== 'top'}
            />{' '}
            At the bottom
          </label>
          <ErrorList errors={fields.position.errors} />
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
        <FormAlert id={form.errorId} errors={form.errors} />
      </div>
    </details>
  );
}
