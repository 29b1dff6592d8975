import { useFetcher } from '@remix-run/react';
import { type ControlReply, firstError } from '~/utils/form-submission';
import { ReviewChecklist } from './review-checklist';
import { useClearAfterSend } from './use-clear-after-send';
import type { GuestReviewData } from '~/routes/guest.$sessionId.room/guest-room.server';

export type { GuestReviewData };

const outcomeText = (item: GuestReviewData['items'][number]) =>
  item.outcome === 'accepted'
    ? 'Accepted'
    : item.outcome === 'rejected'
      ? 'Rejected'
      : item.done
        ? 'Done, in review'
        : 'Not finished';

/**
 * A sprint review as a guest takes part in it: what the sprint was for, the items and their outcome so far, and
 * feedback, given and read live. The product owner decides; feedback never changes the sprint.
 */
export function GuestReview({ review }: { review: GuestReviewData }) {
  const fetcher = useFetcher<ControlReply>();
  const busy = fetcher.state !== 'idle';
  const error = firstError(fetcher.data?.result)?.message ?? null;
  const feedbackForm = useClearAfterSend(busy, error !== null);
  return (
    <div className="guest-review stack">
      <section className="room-panel stack" aria-labelledby="guest-review-sprint">
        <h2 id="guest-review-sprint">{review.sprintName}</h2>
        <p>
          <strong>Sprint goal:</strong> {review.goal || <span className="muted">no goal written</span>}
        </p>
        <ul className="plain-list">
          {review.items.map((item) => (
            <li key={item.id} className="row">
              <span>{item.title}</span>
              <span
                className={
                  item.outcome === 'accepted'
                    ? 'badge badge-ok'
                    : item.outcome === 'rejected'
                      ? 'badge badge-warn'
                      : 'badge'
                }
              >
                {outcomeText(item)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {review.checklists.length > 0 ? (
        <section className="stack" aria-labelledby="guest-review-checklists">
          <h2 id="guest-review-checklists">Under review</h2>
          <p className="muted">The product owner checks each line; the ticks appear here as they are made.</p>
          {review.checklists.map((item) => (
            <ReviewChecklist key={item.id} item={item} action="" mayDecide={false} />
          ))}
        </section>
      ) : null}
      <section className="room-panel stack" aria-labelledby="guest-review-feedback">
        <h2 id="guest-review-feedback">Feedback ({review.feedback.length})</h2>
        {review.feedback.length === 0 ? <p className="muted">No feedback yet: be the first.</p> : null}
        <ul className="plain-list stack">
          {review.feedback.map((f) => (
            <li key={f.id}>
              <strong>{f.author}</strong>
              {f.about ? <span className="muted"> on {f.about}</span> : null}: {f.text}
            </li>
          ))}
        </ul>
        {review.mayFeedback ? (
          <fetcher.Form method="post" className="stack" ref={feedbackForm}>
            <input type="hidden" name="command" value="addReviewFeedback" />
            <div className="field">
              <label htmlFor="guest-feedback-item">About</label>
              <select id="guest-feedback-item" name="itemId" defaultValue="">
                <option value="">The item being reviewed now</option>
                {review.items.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.title}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="guest-feedback-text">Your feedback</label>
              <textarea
                id="guest-feedback-text"
                name="text"
                required
                maxLength={2000}
                rows={3}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'guest-feedback-error' : undefined}
              />
            </div>
            {error ? (
              <p id="guest-feedback-error" className="field-error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Sending…' : 'Send feedback'}
            </button>
          </fetcher.Form>
        ) : (
          <p className="muted">Feedback is closed: the review has not started or has ended.</p>
        )}
      </section>
    </div>
  );
}
