/**
 * The slot for the current item's text: its "As a … I want … so that …" description and its Gherkin acceptance
 * criteria. For now it shows both read-only, from the room's data (they refresh with the room).
 *
 * To switch to live co-editing (app/components/live-text/), replace the body with
 *   <LiveItemText itemId={item.id} productId={productId} user={user} editable={editable}
 *     initial={{ description: item.description, criteria: item.criteria }} headingLevel={4} />
 * and add `liveTextStylesHref` to the room route's `links`. `editable` is already the room's `may.edit` while
 * the session is open (product owner and team); `user` is the signed-in person. Nothing else needs to change.
 */
export function CurrentItemText({
  item,
}: {
  item: { id: string; description: string; criteria: string };
  productId: string;
  user: { id: string; name: string };
  editable: boolean;
}) {
  return (
    <div className="item-text" data-slot="current-item-text">
      <section aria-labelledby="item-description-title">
        <h4 id="item-description-title">Description</h4>
        {item.description.trim() ? (
          <p className="prewrap item-description">{item.description}</p>
        ) : (
          <p className="muted">No description yet.</p>
        )}
      </section>
      <section aria-labelledby="item-criteria-title">
        <h4 id="item-criteria-title">Acceptance criteria</h4>
        {item.criteria.trim() ? (
          <pre className="code-block item-criteria">{item.criteria}</pre>
        ) : (
          <p className="muted">No acceptance criteria yet.</p>
        )}
      </section>
    </div>
  );
}
