import { Link } from '@remix-run/react';
import { FocusLink } from '~/components/focus-link';

/**
 * The backlog before its first item: what the backlog is for and the two ways to fill it (write an item in the
 * New item form just below, which is open, or import a CSV or Jira export). Members who may not add items read
 * who does.
 */
export function EmptyBacklog({ productId, mayEdit }: { productId: string; mayEdit: boolean }) {
  return (
    <section className="first-run card" aria-labelledby="empty-backlog-title">
      <h3 id="empty-backlog-title">Start the backlog</h3>
      <p>
        The backlog is the one ordered list of everything this product may build next: stories, bugs, epics,
        technical debt and spikes. The top is what your team refines in workshops and pulls into the next
        sprint.
      </p>
      {mayEdit ? (
        <>
          <p className="actions">
            <FocusLink target="new-title" className="button">
              Write the first item
            </FocusLink>
            <Link to={`/products/${productId}/import`} className="button button-secondary">
              Import a CSV or Jira file
            </Link>
          </p>
          <p className="hint">
            A title is enough to start; description, acceptance criteria and an estimate come in refinement.
          </p>
        </>
      ) : (
        <p className="muted">
          Nothing here yet. The product owner and the team add items; they appear here as soon as they do.
        </p>
      )}
    </section>
  );
}
