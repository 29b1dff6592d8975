/** Review feedback on a rejected item: what each sprint review found not met, and what is needed, for refinement. */
export interface ItemReviewFeedbackEntry {
  sprintId: string;
  sprintName: string;
  note: string;
  unmet: Array<{ line: string; label: string; feedback: string }>;
}

export function ItemReviewFeedback({ entries }: { entries: ItemReviewFeedbackEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="review-feedback-title" className="card stack">
      <h2 id="review-feedback-title">Review feedback</h2>
      {entries.map((e) => (
        <div key={e.sprintId}>
          <p>
            <strong>Rejected in {e.sprintName}</strong>
            {e.note ? `: ${e.note}` : ''}
          </p>
          <ul>
            {e.unmet.map((u) => (
              <li key={u.line}>
                Not met: {u.label}
                {u.feedback ? ` — needed: ${u.feedback}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
