import { useEffect, useRef, useState } from 'react';
import { CommandError, useSessionCommand } from './use-session-command';

let nextRow = 0;
const newRow = () => ({ key: nextRow++ });

/**
 * Splits the current item into stories: a title and optional Gherkin criteria per new story, rows added and
 * removed freely. The new stories land right below the item (or, for the product owner, at the top or bottom of
 * the backlog) and join the agenda after it.
 */
export function SplitForm({
  itemTitle,
  itemType,
  mayPlaceAtEnds,
}: {
  itemTitle: string;
  itemType: string;
  mayPlaceAtEnds: boolean;
}) {
  const command = useSessionCommand('splitItem');
  const [rows, setRows] = useState(() => [newRow(), newRow()]);
  const [open, setOpen] = useState(false);
  const titles = useRef(new Map<number, HTMLInputElement | null>());
  const focusKey = useRef<number | null>(null);
  const doneAt = command.done?.at;
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (focusKey.current !== null) {
      titles.current.get(focusKey.current)?.focus();
      focusKey.current = null;
    }
  });
  // After a split the form starts over, empty, with two rows.
  useEffect(() => {
    if (!doneAt) return;
    form.current?.reset();
    setRows([newRow(), newRow()]);
  }, [doneAt]);

  if (itemType !== 'story' && itemType !== 'epic') return null;
  const failedRow = command.error?.path?.match(/^children\[(\d+)\]/)?.[1];
  return (
    <details className="room-panel split" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="split-summary">
        <span className="split-summary-title">Split into stories</span>
        <span className="muted">
          {' '}
          —{' '}
          {itemType === 'story'
            ? 'the story becomes an epic holding them'
            : 'they become children of this epic'}
        </span>
      </summary>
      <command.fetcher.Form
        method="post"
        ref={form}
        className="split-form"
        aria-label={`Split “${itemTitle}” into stories`}
      >
        <input type="hidden" name="command" value="splitItem" />
        <ol className="split-rows">
          {rows.map((row, i) => {
            const invalid = failedRow !== undefined && Number(failedRow) === i;
            return (
              <li key={row.key} className="split-row">
                <fieldset>
                  <legend>New story {i + 1}</legend>
                  <div className="field">
                    <label htmlFor={`split-${row.key}-title`}>Title</label>
                    <input
                      id={`split-${row.key}-title`}
                      ref={(el) => {
                        titles.current.set(row.key, el);
                      }}
                      name={`children[${i}].title`}
                      required
                      maxLength={300}
                      aria-invalid={invalid ? true : undefined}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`split-${row.key}-criteria`}>
                      Acceptance criteria (Gherkin, optional)
                    </label>
                    <textarea
                      id={`split-${row.key}-criteria`}
                      name={`children[${i}].criteria`}
                      rows={3}
                      className="code"
                      placeholder={'Scenario: …\n  Given …\n  When …\n  Then …'}
                    />
                  </div>
                  {rows.length > 1 ? (
                    <button
                      type="button"
                      className="link-button remove-row"
                      onClick={() => {
                        const next = rows.filter((r) => r.key !== row.key);
                        focusKey.current = next[Math.max(0, i - 1)]?.key ?? null;
                        setRows(next);
                      }}
                    >
                      Remove story {i + 1}
                    </button>
                  ) : null}
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="split-actions">
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={rows.length >= 20}
            onClick={() => {
              const row = newRow();
              focusKey.current = row.key;
              setRows([...rows, row]);
            }}
          >
            Add another story
          </button>
          <fieldset className="radio-group split-position">
            <legend>Place the new stories</legend>
            <label>
              <input type="radio" name="position" value="below" defaultChecked /> Right below this item
            </label>
            {mayPlaceAtEnds ? (
              <>
                <label>
                  <input type="radio" name="position" value="top" /> At the top of the backlog
                </label>
                <label>
                  <input type="radio" name="position" value="bottom" /> At the bottom
                </label>
              </>
            ) : null}
          </fieldset>
        </div>
        <CommandError error={command.error} />
        <div aria-live="polite">
          {command.done ? (
            <p className="alert alert-success">
              Split. The new stories are on the agenda right after this item.
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={command.busy}>
          {command.busy
            ? 'Splitting…'
            : `Split into ${rows.length} ${rows.length === 1 ? 'story' : 'stories'}`}
        </button>
      </command.fetcher.Form>
    </details>
  );
}
