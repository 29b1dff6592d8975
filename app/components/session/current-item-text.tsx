import { LiveItemText } from '~/components/live-text/live-item-text';

/**
 * The current item's text in the room: its description and Gherkin acceptance criteria, co-edited live by the
 * product owner and the team (named carets, who is typing, parse errors at their line); everyone else follows it
 * read-only (a session guest too, with the live token of their room). The server decides who may write, whatever
 * `editable` says.
 */
export function CurrentItemText({
  item,
  productId,
  user,
  editable,
  tokenUrl,
}: {
  item: { id: string; description: string; criteria: string };
  productId: string;
  user: { id: string; name: string };
  editable: boolean;
  tokenUrl?: string;
}) {
  return (
    <div className="item-text" data-slot="current-item-text">
      <LiveItemText
        key={item.id}
        itemId={item.id}
        productId={productId}
        user={user}
        editable={editable}
        initial={{ description: item.description, criteria: item.criteria }}
        headingLevel={4}
        tokenUrl={tokenUrl}
      />
    </div>
  );
}
