import { Form, Link } from '@remix-run/react';
import { statusLabels, typeLabels } from './labels';

export interface BacklogQueryValues {
  type?: string;
  status?: string;
  label?: string;
  epic?: string;
  q?: string;
  group: boolean;
}

/** A GET form: the filters live in the URL, so they work without scripts and can be shared as a link. */
export function BacklogFilters({
  query,
  epics,
  labels,
}: {
  query: BacklogQueryValues;
  epics: ReadonlyArray<{ id: string; title: string; status: string }>;
  labels: readonly string[];
}) {
  // The key resets the fields when the URL changes (e.g. "Clear"), since they are uncontrolled.
  const key = JSON.stringify(query);
  return (
    <Form method="get" className="filters" aria-label="Filter the backlog" key={key} role="search">
      <div className="field">
        <label htmlFor="filter-q">Search</label>
        <input
          id="filter-q"
          name="q"
          type="search"
          defaultValue={query.q ?? ''}
          placeholder="Title or description"
          maxLength={200}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-type">Type</label>
        <select id="filter-type" name="type" defaultValue={query.type ?? ''}>
          <option value="">Any type</option>
          {Object.entries(typeLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" name="status" defaultValue={query.status ?? ''}>
          <option value="">Any status (not archived)</option>
          {Object.entries(statusLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {value === 'archived' ? 'Archived items' : label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-label">Label</label>
        <select id="filter-label" name="label" defaultValue={query.label ?? ''}>
          <option value="">Any label</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-epic">Epic</label>
        <select id="filter-epic" name="epic" defaultValue={query.epic ?? ''}>
          <option value="">Any epic</option>
          {epics.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
              {e.status === 'archived' ? ' (archived)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field checkbox-field">
        <input id="filter-group" name="group" type="checkbox" value="epic" defaultChecked={query.group} />
        <label htmlFor="filter-group">Group by epic</label>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button button-secondary">
          Apply filters
        </button>
        <Link to="." className="button-link">
          Clear
        </Link>
      </div>
    </Form>
  );
}
