import { CloseSprintForm } from './close-sprint-form';
import { FeedbackPanel } from './feedback-panel';
import { ReviewChecklist } from './review-checklist';
import type { SprintViewData } from './types';
import { UnfinishedPanel } from './unfinished-panel';

/**
 * The review's working surface, shared by the review room and the sprint page: the done items with their
 * checklists (the current one first), accepted and rejected ones, feedback, unfinished items, and the close.
 */
export function ReviewBoard({
  data,
  action,
  currentItemId,
  nextSprints,
}: {
  data: SprintViewData;
  action: string;
  currentItemId: string | null;
  nextSprints: Array<{ id: string; name: string }>;
}) {
  const reviewed = data.items.filter((i) => ['done', 'accepted', 'rejected'].includes(i.state));
  const ordered = [
    ...reviewed.filter((i) => i.id === currentItemId),
    ...reviewed.filter((i) => i.id !== currentItemId),
  ];
  const open = data.sprint.state !== 'closed';
  return (
    <div className="stack">
      <p>
        <strong>Sprint goal:</strong> {data.sprint.goal || <span className="muted">none written</span>}
        {' · '}
        <strong>Accepted so far:</strong> {data.velocity} points
      </p>
      {ordered.length === 0 ? <p className="muted">No item of this sprint is done.</p> : null}
      {ordered.map((item) => (
        <ReviewChecklist key={item.id} item={item} action={action} mayDecide={data.may.decide} />
      ))}
      <UnfinishedPanel
        items={data.items}
        action={action}
        mayDecide={data.may.decide}
        nextSprints={nextSprints}
      />
      <FeedbackPanel
        feedback={data.feedback}
        items={data.items}
        action={action}
        mayGive={data.may.feedback}
        mayConvert={data.may.decide && open}
        currentItemId={currentItemId}
      />
      {open && data.may.decide && data.sprint.state === 'active' ? (
        <CloseSprintForm action={action} goal={data.sprint.goal} />
      ) : null}
    </div>
  );
}
