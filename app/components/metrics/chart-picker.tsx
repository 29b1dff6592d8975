import { Form, useSubmit } from '@remix-run/react';

/**
 * Picks what a chart shows (a sprint, an epic) with a GET form that submits on change, keeping the page's other
 * choices; without JavaScript a Show button submits it.
 */
export function ChartPicker({
  id,
  label,
  name,
  value,
  options,
  keep,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  /** the page's other choices, carried along */
  keep: Record<string, string | undefined>;
}) {
  const submit = useSubmit();
  return (
    <Form
      method="get"
      className="inline-form"
      onChange={(e) => submit(e.currentTarget, { preventScrollReset: true })}
    >
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {Object.entries(keep).map(([key, kept]) =>
        kept ? <input key={key} type="hidden" name={key} value={kept} /> : null,
      )}
      <noscript>
        <button type="submit" className="button button-small">
          Show
        </button>
      </noscript>
    </Form>
  );
}
