import { type FieldMetadata, getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

/**
 * The form components of the one form pipeline (decision 0035): a labelled control whose errors (Conform's
 * `fields.<name>.errors`) are shown beside it and linked for screen readers, and the form's own errors on top.
 */

export type ListOfErrors = Array<string | null | undefined> | null | undefined;

/** A field's messages, read out as they appear. */
export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const messages = errors?.filter((message): message is string => Boolean(message)) ?? [];
  if (messages.length === 0) return null;
  return (
    <div id={id} role="alert">
      {messages.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
    </div>
  );
}

/** The form's own errors (those about no one field), above the fields. */
export function FormAlert({
  id,
  message,
  errors,
}: {
  /** the form's error id (Conform's `form.errorId`), which the form's `aria-describedby` names */
  id?: string;
  message?: string | null;
  errors?: ListOfErrors;
}) {
  const messages = [message, ...(errors ?? [])].filter((m): m is string => Boolean(m));
  if (messages.length === 0) return null;
  return (
    <div id={id} className="alert alert-error" role="alert">
      {messages.join(' ')}
    </div>
  );
}

interface FieldProps<Schema> {
  label: ReactNode;
  hint?: ReactNode;
  /** the field as Conform's useForm gives it: its name, id, value to show again and errors */
  meta: FieldMetadata<Schema>;
  className?: string;
}

/** Ids and aria attributes that tie a control to its hint and its errors. */
function useDescription(id: string, hint: ReactNode, errors: ListOfErrors) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.some(Boolean) ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return {
    hintId,
    errorId,
    aria: { 'aria-invalid': errorId ? true : undefined, 'aria-describedby': describedBy },
  };
}

/** The frame every field shares: its label, its hint (above the control, or below for a select) and its errors. */
function FieldFrame({
  id,
  label,
  hint,
  hintBelow = false,
  errors,
  className,
  description,
  children,
}: {
  id: string;
  label: ReactNode;
  hint: ReactNode;
  hintBelow?: boolean;
  errors: ListOfErrors;
  className: string;
  description: ReturnType<typeof useDescription>;
  children: ReactNode;
}) {
  const hintText = hint ? (
    <p id={description.hintId} className="hint">
      {hint}
    </p>
  ) : null;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {hintBelow ? null : hintText}
      {children}
      {hintBelow ? hintText : null}
      <ErrorList id={description.errorId} errors={errors} />
    </div>
  );
}

/** A labelled input, its hint and its errors (`aria-invalid`, `aria-describedby`). */
export function Field<Schema>({
  label,
  hint,
  meta,
  className = 'field',
  type = 'text',
  ...attributes
}: FieldProps<Schema> &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'type'> & {
    type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'search' | 'url' | 'tel';
  }) {
  // `key` is taken apart: React refuses it inside a spread.
  const { key, ...control } = getInputProps(meta, { type });
  const description = useDescription(meta.id, hint, meta.errors);
  return (
    <FieldFrame {...{ id: meta.id, label, hint, errors: meta.errors, className, description }}>
      <input key={key} {...control} {...attributes} {...description.aria} />
    </FieldFrame>
  );
}

/** A labelled select, its hint (below it) and its errors. */
export function SelectField<Schema>({
  label,
  hint,
  meta,
  className = 'field',
  children,
  ...attributes
}: FieldProps<Schema> & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id'>) {
  const { key, ...control } = getSelectProps(meta);
  const description = useDescription(meta.id, hint, meta.errors);
  return (
    <FieldFrame {...{ id: meta.id, label, hint, errors: meta.errors, className, description }} hintBelow>
      <select key={key} {...control} {...attributes} {...description.aria}>
        {children}
      </select>
    </FieldFrame>
  );
}

/** A labelled textarea, its hint (above it, as for an input) and its errors. */
export function TextareaField<Schema>({
  label,
  hint,
  meta,
  className = 'field',
  ...attributes
}: FieldProps<Schema> & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id'>) {
  const { key, ...control } = getTextareaProps(meta);
  const description = useDescription(meta.id, hint, meta.errors);
  return (
    <FieldFrame {...{ id: meta.id, label, hint, errors: meta.errors, className, description }}>
      <textarea key={key} {...control} {...attributes} {...description.aria} />
    </FieldFrame>
  );
}
