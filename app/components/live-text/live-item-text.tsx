import { useId } from 'react';
import { type LiveTextUser, useItemText } from '~/collab/use-item-text';
import type { ParsedCriteria } from '~/domain/gherkin';
import { CriteriaEditor } from './criteria-editor';
import { DescriptionEditor } from './description-editor';
import { ConnectionStatus, PresenceList } from './presence-list';

export { default as liveTextStylesHref } from '~/styles/live-text.css?url';

export interface LiveItemTextProps {
  itemId: string;
  productId: string;
  /** the signed-in person, shown to the others by name with their caret */
  user: LiveTextUser;
  /** whether this person may edit the text (the server decides too: a read-only role never writes) */
  editable: boolean;
  /** the text from Postgres, shown until the live document has arrived (and when it cannot be reached) */
  initial?: { description: string; criteria: string };
  /** level of the section's heading (the fields get the next level); 2 by default */
  headingLevel?: 2 | 3 | 4;
  /** where this browser gets its live token: a session guest's room has its own */
  tokenUrl?: string;
  /** told each parse of the criteria as they are typed (by anyone), with the text parsed */
  onCriteriaParsed?: (parsed: ParsedCriteria, source: string) => void;
}

/**
 * An item's description and acceptance criteria, edited by several people at once: named coloured carets, who
 * is here and who is typing, the connection status, Gherkin errors at their line. Everything shown comes from
 * the live document through the editors (never from HTML). Add `liveTextStylesHref` to the route's links.
 */
export function LiveItemText({
  itemId,
  productId,
  user,
  editable,
  initial,
  headingLevel = 2,
  tokenUrl,
  onCriteriaParsed,
}: LiveItemTextProps) {
  const text = useItemText(itemId, user, tokenUrl);
  const id = useId();
  const mayWrite = editable && text.writable;
  const ready = text.provider !== null && text.synced;
  const Heading = `h${headingLevel}` as 'h2';
  const FieldHeading = `h${headingLevel + 1}` as 'h3';
  const ids = {
    title: `${id}-title`,
    people: `${id}-people`,
    description: `${id}-description`,
    descriptionHint: `${id}-description-hint`,
    criteria: `${id}-criteria`,
    criteriaHint: `${id}-criteria-hint`,
    readOnly: `${id}-read-only`,
  };

  return (
    <section
      className="live-text"
      aria-labelledby={ids.title}
      data-item-id={itemId}
      data-product-id={productId}
    >
      <div className="live-text-header">
        <Heading id={ids.title}>Description and acceptance criteria</Heading>
        <ConnectionStatus status={text.status} />
      </div>
      <div className="live-text-people">
        <span id={ids.people} className="live-text-people-label">
          Here now:
        </span>
        <PresenceList people={text.people} labelledBy={ids.people} />
      </div>
      {text.notice ? (
        <div className="live-text-notice" role="alert">
          <p>{text.notice}</p>
          <button type="button" className="button button-secondary" onClick={text.dismissNotice}>
            Dismiss
          </button>
        </div>
      ) : null}
      {ready && !mayWrite ? (
        <p id={ids.readOnly} className="live-text-read-only">
          <span className="badge">Read-only</span> You see the text as it is written, but cannot change it.
        </p>
      ) : null}

      <div className="live-field">
        <FieldHeading id={`${ids.description}-label`}>Description</FieldHeading>
        <p className="hint" id={ids.descriptionHint}>
          {mayWrite ? 'As a … I want … so that … Saved for everyone as you type.' : 'The story in words.'}
        </p>
        {ready && text.provider ? (
          <DescriptionEditor
            provider={text.provider}
            text={text}
            editable={mayWrite}
            id={ids.description}
            describedBy={mayWrite ? ids.descriptionHint : `${ids.descriptionHint} ${ids.readOnly}`}
          />
        ) : (
          <Fallback text={initial?.description} empty="No description yet." className="live-fallback" />
        )}
      </div>

      <div className="live-field">
        <FieldHeading id={`${ids.criteria}-label`}>Acceptance criteria</FieldHeading>
        <p className="hint" id={ids.criteriaHint}>
          Gherkin: Scenario, Given, When, Then, And, But (also Background, Rule, Scenario Outline with
          Examples). Each scenario is one criterion.
        </p>
        {ready && text.provider ? (
          <CriteriaEditor
            provider={text.provider}
            text={text}
            editable={mayWrite}
            id={ids.criteria}
            hintId={ids.criteriaHint}
            onParsed={onCriteriaParsed}
          />
        ) : (
          <Fallback text={initial?.criteria} empty="No criteria yet." className="live-fallback code-block" />
        )}
      </div>
    </section>
  );
}

/** The stored text as plain text (React escapes it), until the editors are ready. */
function Fallback({
  text,
  empty,
  className,
}: {
  text: string | undefined;
  empty: string;
  className: string;
}) {
  if (text === undefined) return <p className="live-fallback muted">Loading…</p>;
  if (text.trim() === '') return <p className="live-fallback muted">{empty}</p>;
  return <div className={`${className} prewrap`}>{text}</div>;
}
