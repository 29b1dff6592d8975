import { Form } from '@remix-run/react';
import { type ReactNode, useId } from 'react';
import { ErrorList, FormAlert } from '~/components/forms';

/**
 * The requester's answer when the product owner asked for more: on the requests page (a member) and on the
 * follow page (someone with the request's private link). `children` carries the form's hidden fields.
 */
export function RequestAnswerForm({
  error,
  formError,
  rows,
  children,
}: {
  error: string | undefined;
  formError?: string;
  rows: number;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <Form method="post" aria-label="Answer the product owner">
      {children}
      <FormAlert message={formError} />
      <div className="field">
        <label htmlFor={`${id}-answer`}>Your answer</label>
        <textarea
          id={`${id}-answer`}
          name="answer"
          rows={rows}
          maxLength={5000}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-answer-error` : undefined}
        />
        <ErrorList id={`${id}-answer-error`} errors={error ? [error] : undefined} />
      </div>
      <button type="submit" className="button">
        Send the answer
      </button>
    </Form>
  );
}
