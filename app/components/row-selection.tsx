import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldMetadata } from '@conform-to/react';
import { ErrorList, FormAlert, type ListOfErrors, TextareaField } from './forms';

/**
 * Checkboxes on table rows with a "select all" box in the header. The header box is also a form field
 * (`all=yes`), so without JavaScript "select all" still means every row; with JavaScript it ticks the rows, and
 * shows a mixed state when only some are ticked.
 */
export function useRowSelection(ids: readonly string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Rows that left the list (archived, reloaded) are no longer selected.
  const key = ids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `ids`
  useEffect(() => {
    setSelected((current) => {
      const present = new Set(ids);
      const kept = [...current].filter((id) => present.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [key]);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `ids`
  const toggleAll = useCallback((on: boolean) => setSelected(on ? new Set(ids) : new Set()), [key]);
  const clear = useCallback(() => setSelected((current) => (current.size === 0 ? current : new Set())), []);
  return { selected, all, some: selected.size > 0 && !all, toggle, toggleAll, clear };
}

/** The header's "select all" checkbox; `indeterminate` is not an attribute, so it is set on the element. */
export function SelectAllBox({
  id,
  all,
  some,
  onChange,
  label,
}: {
  id: string;
  all: boolean;
  some: boolean;
  onChange: (on: boolean) => void;
  label: string;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = some;
  }, [some]);
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        ref={box}
        id={id}
        type="checkbox"
        name="all"
        value="yes"
        checked={all}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </>
  );
}

/**
 * The part every "do this to the selected rows, with a reason" form shares: how many rows are chosen, the
 * required reason (kept in the decision log) and the errors the server answered with (Conform's field metadata
 * of the form's `reason` and `itemIds`, and the form's own errors when neither has one).
 */
export function SelectionReasonFields<Reason, Rows>({
  countText,
  reasonLabel,
  rows,
  maxLength,
  reason,
  itemIds,
  formErrors,
}: {
  countText: string;
  reasonLabel: string;
  rows: number;
  maxLength: number;
  reason: FieldMetadata<Reason>;
  itemIds: FieldMetadata<Rows>;
  formErrors: ListOfErrors;
}) {
  return (
    <>
      <p className="selection-count" aria-live="polite">
        {countText}
      </p>
      <ErrorList errors={itemIds.errors} />
      <TextareaField label={reasonLabel} meta={reason} rows={rows} required maxLength={maxLength} />
      {reason.errors || itemIds.errors ? null : <FormAlert errors={formErrors} />}
    </>
  );
}
