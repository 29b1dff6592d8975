import { useState } from 'react';
import { itemStateLabels, type ReviewChecklistItem, type ReviewLineView } from './types';
import { ControlError, useSprintCommand } from './use-sprint-command';

const mark = (met: boolean | null) => (met === true ? 'Met' : met === false ? 'Not met' : 'Not checked');

/**
 * Met or Not met for one line, a toggle: pressed, it is filled, bordered heavier and carries a ✓ or ✗ (so the
 * state does not rest on colour alone); aria-pressed says the same to screen readers.
 */
function TickButton({
  met,
  pressed,
  busy,
  label,
  onClick,
}: {
  met: boolean;
  pressed: boolean;
  busy: boolean;
  label: string;
  onClick: () => void;
}) {
  const word = met ? 'Met' : 'Not met';
  return (
    <button
      type="button"
      className={`button button-small tick-button ${met ? 'tick-met' : 'tick-unmet'}`}
      aria-pressed={pressed}
      // Not `disabled` while a tick is on its way: a disabled button would drop the keyboard focus to the page.
      aria-disabled={busy ? true : undefined}
      aria-label={`${word}: ${label}`}
      onClick={busy ? undefined : onClick}
    >
      <span className="tick-mark" aria-hidden="true">
        {pressed ? (met ? '✓' : '✗') : ''}
      </span>
      {word}
    </button>
  );
}

/**
 * Met and Not met for one line, with a request of its own: a tick on one line never waits for (or is dropped
 * because of) a tick on another still on its way. The tick shows as soon as the live document has it.
 */
function LineTicks({ action, itemId, line }: { action: string; itemId: string; line: ReviewLineView }) {
  const tick = useSprintCommand(action, `line-${itemId}-${line.line}`);
  const submit = (met: 'true' | 'false') => tick.submit('line', { itemId, line: line.line, met });
  return (
    <>
      <span className="inline-form">
        <TickButton
          met
          pressed={line.met === true}
          busy={tick.busy}
          label={line.label}
          onClick={() => submit('true')}
        />
        <TickButton
          met={false}
          pressed={line.met === false}
          busy={tick.busy}
          label={line.label}
          onClick={() => submit('false')}
        />
      </span>
      {/* Inserted with its text, so screen readers hear it; on a line of its own under the line. */}
      {tick.error ? (
        <p className="field-error line-error" role="alert">
          {tick.error}
        </p>
      ) : null}
    </>
  );
}

/**
 * One item's review checklist: its acceptance criteria (the Gherkin scenarios) and the Definition of Done, each line
 * met or not met. The product owner ticks them live; everyone else watches. Accept is offered only when every line
 * is met; reject asks what is needed for each unmet line.
 */
export function ReviewChecklist({
  item,
  action,
  mayDecide,
}: {
  item: ReviewChecklistItem;
  action: string;
  mayDecide: boolean;
}) {
  const tick = useSprintCommand(action, `line-${item.id}`);
  const accept = useSprintCommand(action, `accept-${item.id}`);
  const reject = useSprintCommand(action, `reject-${item.id}`);
  const [rejecting, setRejecting] = useState(false);
  const open = item.state === 'done' && mayDecide;
  const unmet = item.lines.filter((l) => l.met === false);
  const outdated = item.outdatedTicks ?? [];
  // A line ticked not met that has since changed or gone still counts until the product owner clears its tick.
  const blocking = outdated.filter((t) => !t.met);
  const allMet = item.lines.every((l) => l.met === true) && blocking.length === 0;
  const headingId = `review-item-${item.id}`;
  return (
    <section className="room-panel stack" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {item.title}{' '}
        <span className="muted">
          · {item.estimate ?? '–'} points · {itemStateLabels[item.state]}
        </span>
      </h3>
      {item.description ? (
        <div className="review-description">
          <h4 className="visually-hidden">Description</h4>
          <p>{item.description}</p>
        </div>
      ) : null}
      {item.lines.length === 0 ? (
        <p className="muted">This item has no criteria and the product has no Definition of Done.</p>
      ) : null}
      <ul
        className="checklist plain-list"
        aria-label={`Acceptance criteria and Definition of Done: ${item.title}`}
      >
        {item.lines.map((l) => (
          <li key={l.line} className="checklist-line">
            <div className="checklist-text">
              <span className={`badge${l.met === true ? ' badge-ok' : l.met === false ? ' badge-warn' : ''}`}>
                {mark(l.met)}
              </span>{' '}
              <span>{l.label}</span>
              {l.line.startsWith('dod:') ? <span className="muted"> (Definition of Done)</span> : null}
              {l.changedSinceTicked ? (
                <>
                  {' '}
                  <span className="badge badge-warn" title="Edited after it was ticked: judge it again">
                    Changed since ticked
                  </span>
                </>
              ) : null}
              {l.feedback ? <p className="hint">Needed: {l.feedback}</p> : null}
            </div>
            {open ? <LineTicks action={action} itemId={item.id} line={l} /> : null}
          </li>
        ))}
      </ul>
      {outdated.length > 0 ? (
        <div className="stack" role="status">
          <p className="alert">
            The criteria changed after these lines were ticked. Their ticks no longer count
            {blocking.length > 0 ? ', and one marked not met blocks the accept until it is cleared' : ''}.
          </p>
          <ul
            className="checklist plain-list"
            aria-label={`Ticked before the criteria changed: ${item.title}`}
          >
            {outdated.map((t) => (
              <li key={t.line} className="checklist-line">
                <span className="badge badge-warn">
                  {t.reason === 'changed' ? 'Changed since ticked' : 'Removed since ticked'}
                </span>{' '}
                <span>
                  <s>{t.label}</s>
                </span>{' '}
                <span className="muted">(was {t.met ? 'met' : 'not met'})</span>
                {open ? (
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    disabled={tick.busy}
                    aria-label={`Clear the outdated tick: ${t.label}`}
                    onClick={() => tick.submit('line', { itemId: item.id, line: t.line, met: '' })}
                  >
                    Clear
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ControlError error={tick.error} />
      {item.outcomeNote ? <p>Note: {item.outcomeNote}</p> : null}
      {open ? (
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={!allMet || accept.busy}
            onClick={() => accept.submit('accept', { itemId: item.id })}
          >
            Accept
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => setRejecting((r) => !r)}
            aria-expanded={rejecting}
          >
            Reject…
          </button>
          {!allMet ? (
            <span className="muted">
              {blocking.length > 0
                ? 'Accept needs every line met and the outdated not-met ticks cleared.'
                : 'Accept needs every line met.'}
            </span>
          ) : null}
        </div>
      ) : null}
      <ControlError error={accept.error} />
      {open && rejecting ? (
        <reject.fetcher.Form method="post" action={action} className="stack">
          <input type="hidden" name="intent" value="reject" />
          <input type="hidden" name="itemId" value={item.id} />
          {unmet.length === 0 ? (
            <p className="alert">Mark the lines that are not met first; the rejection names each of them.</p>
          ) : null}
          {unmet.map((l, i) => (
            <div className="field" key={l.line}>
              <input type="hidden" name={`feedback[${i}].line`} value={l.line} />
              <label htmlFor={`needed-${item.id}-${l.line}`}>What is needed for “{l.label}”?</label>
              <textarea
                id={`needed-${item.id}-${l.line}`}
                name={`feedback[${i}].needed`}
                required
                maxLength={2000}
                rows={2}
              />
            </div>
          ))}
          <div className="field">
            <label htmlFor={`note-${item.id}`}>Note (optional)</label>
            <input id={`note-${item.id}`} name="note" maxLength={2000} />
          </div>
          <div className="actions">
            <button
              type="submit"
              className="button button-danger"
              disabled={unmet.length === 0 || reject.busy}
            >
              Reject and return to the backlog
            </button>
          </div>
          <ControlError error={reject.error} />
        </reject.fetcher.Form>
      ) : null}
    </section>
  );
}
