import { ControlError, useSprintCommand } from './use-sprint-command';

/** The product owner closes the sprint at the review: was the goal met? With a note. */
export function CloseSprintForm({ action, goal }: { action: string; goal: string }) {
  const close = useSprintCommand(action, 'close');
  return (
    <close.fetcher.Form
      method="post"
      action={action}
      className="room-panel stack"
      aria-labelledby="close-title"
    >
      <h3 id="close-title">Close the sprint</h3>
      <input type="hidden" name="intent" value="close" />
      <fieldset className="radio-group">
        <legend>Was the sprint goal met? “{goal || 'no goal written'}”</legend>
        <label>
          <input type="radio" name="goalMet" value="yes" required /> Met
        </label>
        <label>
          <input type="radio" name="goalMet" value="no" /> Not met
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="close-note">Note on the goal</label>
        <textarea id="close-note" name="note" required maxLength={2000} rows={2} />
      </div>
      <button type="submit" className="button" disabled={close.busy}>
        Close the sprint
      </button>
      <p className="hint">
        Every done item must be accepted or rejected and every unfinished one decided. Afterwards nothing
        changes.
      </p>
      <ControlError error={close.error} />
    </close.fetcher.Form>
  );
}
