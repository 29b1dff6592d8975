import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';
import { type DecisionEntry, describeDecision } from './decision-text';

/** The decision log as a list of sentences, newest first; reasons quoted as typed (escaped by React). */
export function DecisionList({
  entries,
  titles,
  label,
}: {
  entries: readonly DecisionEntry[];
  titles: Readonly<Record<string, string>>;
  label: string;
}) {
  const timeZone = useTimeZone();
  if (entries.length === 0) return <p className="muted">No decisions recorded yet.</p>;
  return (
    <ol className="decision-log" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.id} className="decision-entry">
          <p className="decision-text">{describeDecision(entry, (id) => titles[id])}</p>
          {entry.reason ? <p className="decision-reason">“{entry.reason}”</p> : null}
          <p className="decision-meta">
            <time dateTime={new Date(entry.createdAt).toISOString()}>
              {formatDateTime(entry.createdAt, timeZone)}
            </time>
          </p>
        </li>
      ))}
    </ol>
  );
}
