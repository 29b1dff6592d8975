import { useFetcher } from '@remix-run/react';
import { useEffect, useMemo } from 'react';
import { type LiveReview, liveFeedback, liveReviewItems } from '~/collab/review-state';
import { useReloadWhenStale } from '~/collab/use-live-document';
import { CopyField } from '~/components/copy-field';
import { GoalRiskHistory } from '~/components/sprints/goal-risk';
import { ReviewBoard } from './review-board';
import type { SprintViewData } from './types';

/**
 * The review room's centre for a session of kind 'review': the sprint's checklists, outcomes, feedback, unfinished
 * items and the close. It loads the sprint of this review and posts to the sprint page's action; when the room
 * reloads on a new live version, this fetcher reloads with it (Remix revalidates loaded fetchers).
 */
export function ReviewRoom({
  productId,
  sessionId,
  currentItemId,
  liveReview,
}: {
  productId: string;
  sessionId: string;
  currentItemId: string | null;
  /** the ticks as the live document has them, drawn before the room reloads */
  liveReview?: LiveReview | null;
}) {
  const fetcher = useFetcher<SprintViewData>({
    key: `review-${sessionId}`,
  });
  const url = `/products/${productId}/review-sprint/${sessionId}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per review; revalidation keeps it fresh.
  useEffect(() => {
    if (fetcher.state === 'idle' && !fetcher.data) fetcher.load(url);
  }, [url]);
  const loaded = fetcher.data;
  // The room reloads this data with its own; should a reload under load still end with data older than the review's
  // latest live change (an outcome the ticks no longer show), reload again once everything is quiet.
  const announce = useReloadWhenStale(loaded?.loadedAt ?? Number.MAX_SAFE_INTEGER);
  useEffect(() => {
    if (liveReview) announce(liveReview.at);
  }, [liveReview, announce]);
  // Ticks and new feedback from the live document at once; the reload that follows brings the rest.
  const data = useMemo(() => {
    if (!loaded) return null;
    const items = liveReviewItems(loaded.items, loaded.sprint.id, liveReview, loaded.loadedAt);
    const feedback = liveFeedback(loaded.feedback, loaded.sprint.id, liveReview, loaded.loadedAt, (n) => ({
      ...n,
      // given after this data was read: now is close enough for the order feedback is listed in
      createdAt: new Date(),
      createdItem: null,
    }));
    return items === loaded.items && feedback === loaded.feedback ? loaded : { ...loaded, items, feedback };
  }, [loaded, liveReview]);
  if (!data) return <p className="muted">Loading the sprint…</p>;
  return (
    <section aria-label={`Review of ${data.sprint.name}`} className="review-room stack">
      {data.joinUrl && data.review && !data.review.ended ? (
        <div className="room-panel">
          <CopyField label="Guest link" value={data.joinUrl} />
          <p className="hint">
            Guests open it, give a display name and follow the review: no account needed.
          </p>
        </div>
      ) : null}
      <ReviewBoard
        data={data}
        action={`/products/${productId}/sprints/${data.sprint.id}`}
        currentItemId={currentItemId}
        nextSprints={data.nextSprints}
      />
      <GoalRiskHistory history={data.goalRisk.history} headingLevel={3} />
    </section>
  );
}
