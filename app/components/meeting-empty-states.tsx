import { Link } from '@remix-run/react';
import { FocusLink } from './focus-link';

/** Ids of the creation forms the calls to action lead to (set where the forms are placed). */
export const newRefinementId = 'new-refinement-session';
export const newPrioritisationId = 'new-prioritisation-session';
/** the sprint form's id: Conform names its fields `<form id>-<name>`, so its name field is `sprint-name` */
export const newSprintFormId = 'sprint';
export const newSprintFieldId = `${newSprintFormId}-name`;

/**
 * The Sessions tab before the first session: what each meeting is for and, for whoever may run one, the way to
 * plan it (the forms are below). A session needs backlog items for its agenda: with none, that comes first.
 */
export function NoSessionsYet({
  productId,
  mayCreate,
  hasItems,
}: {
  productId: string;
  mayCreate: boolean;
  hasItems: boolean;
}) {
  return (
    <section className="first-run card" aria-labelledby="no-sessions-title">
      <h3 id="no-sessions-title">No sessions yet: plan the first meeting</h3>
      {mayCreate && !hasItems ? (
        <p className="alert">
          A session works through backlog items, and this backlog is empty.{' '}
          <Link to={`/products/${productId}`}>Add the first items to the backlog</Link> first.
        </p>
      ) : null}
      <ul className="meeting-kinds">
        <li>
          <h4>Refinement workshop</h4>
          <p>
            You and the team take the top of the backlog: write and split stories, agree their acceptance
            criteria, tick the Definition of Ready and estimate with planning poker.
          </p>
          {mayCreate && hasItems ? (
            <FocusLink target={newRefinementId} className="button">
              Plan a refinement workshop
            </FocusLink>
          ) : null}
        </li>
        <li>
          <h4>Prioritisation session</h4>
          <p>
            Stakeholders spread dots and score items (WSJF, MoSCoW, business value, Kano), guests by a link
            without an account. The results propose a backlog order you accept with a reason.
          </p>
          {mayCreate && hasItems ? (
            <FocusLink target={newPrioritisationId} className="button button-secondary">
              Plan a prioritisation session
            </FocusLink>
          ) : null}
        </li>
        <li>
          <h4>Sprint review</h4>
          <p>
            At the end of a sprint the team shows the finished stories and the product owner accepts or
            rejects each against its criteria. It starts from the sprint.
          </p>
          <Link to={`/products/${productId}/sprints`}>Go to Sprints</Link>
        </li>
      </ul>
      {mayCreate ? null : (
        <p className="muted">
          The product owner plans sessions; when one is planned it appears here with a link to its room.
        </p>
      )}
    </section>
  );
}

/** The Sprints tab before the first sprint: what a sprint is, and the way to plan one (the form is below). */
export function NoSprintsYet({ mayPlan }: { mayPlan: boolean }) {
  return (
    <section className="first-run card" aria-labelledby="no-sprints-title">
      <h3 id="no-sprints-title">No sprints yet</h3>
      <p>
        A sprint is a fixed time-box, often two weeks, with one goal in value terms. The team pulls ready
        items from the top of the backlog into it; at its end you hold the sprint review here, and the
        accepted points become the velocity that forecasts the rest of the backlog.
      </p>
      {mayPlan ? (
        <p className="actions">
          <FocusLink target={newSprintFieldId} className="button">
            Plan the first sprint
          </FocusLink>
        </p>
      ) : (
        <p className="muted">The product owner plans sprints; they appear here.</p>
      )}
    </section>
  );
}
