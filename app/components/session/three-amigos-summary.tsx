import type { ThreeAmigosSummary } from '~/domain/session-summary';

/** A three amigos session's record: the story, who marked the shared understanding, and what the three wrote. */
export function ThreeAmigosRecord({ data }: { data: ThreeAmigosSummary }) {
  return (
    <section aria-labelledby="summary-amigos-title" className="card stack">
      <div className="panel-heading">
        <h3 id="summary-amigos-title">Three amigos on “{data.story}”</h3>
        <p className={data.agreed ? 'readiness-ok' : 'readiness-warn'}>
          {data.agreed
            ? 'All three marked a shared understanding'
            : 'No shared understanding marked by all three yet'}
        </p>
      </div>
      <ul className="summary-list" aria-label="The three">
        {data.people.map((p) => (
          <li key={p.part}>
            <strong>{p.name}</strong> <span className="muted">({p.part})</span>:{' '}
            {p.marked ? 'shares the understanding' : 'not marked'}
          </li>
        ))}
      </ul>
      <div className="summary-grid">
        <div className="stack">
          <NoteList
            id="summary-amigos-questions"
            title="Questions"
            entries={data.questions.map((q) => ({ text: q.text, note: q.answered ? 'answered' : 'open' }))}
          />
          <NoteList
            id="summary-amigos-dependencies"
            title="Dependencies"
            entries={data.dependencies.map((d) => ({ text: d.text, note: d.on ? `on “${d.on}”` : null }))}
          />
          <NoteList
            id="summary-amigos-assumptions"
            title="Assumptions"
            entries={data.assumptions.map((text) => ({ text, note: null }))}
          />
        </div>
        <section aria-labelledby="summary-amigos-cases" className="stack">
          <h4 id="summary-amigos-cases">Cases added</h4>
          {data.cases.length === 0 ? (
            <p className="muted">The tester added no case.</p>
          ) : (
            data.cases.map((text, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no note ids; its order is fixed
              <pre key={i} className="prewrap">
                {text}
              </pre>
            ))
          )}
        </section>
      </div>
    </section>
  );
}

function NoteList({
  id,
  title,
  entries,
}: {
  id: string;
  title: string;
  entries: Array<{ text: string; note: string | null }>;
}) {
  return (
    <section aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      {entries.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="summary-list">
          {entries.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the summary has no note ids; its order is fixed
            <li key={i}>
              <span className="prewrap">{e.text}</span>
              {e.note ? <span className="muted"> ({e.note})</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
