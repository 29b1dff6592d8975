import { itemStateLabels, type SprintItemView } from './types';
import { ControlError, useSprintCommand } from './use-sprint-command';

/** Unfinished items: the product owner sends each back to the backlog (top or bottom) or into the next sprint. */
export function UnfinishedPanel({
  items,
  action,
  mayDecide,
  nextSprints,
}: {
  items: SprintItemView[];
  action: string;
  mayDecide: boolean;
  nextSprints: Array<{ id: string; name: string }>;
}) {
  const decide = useSprintCommand(action, 'unfinished');
  const unfinished = items.filter((i) => ['committed', 'returned', 'moved_on'].includes(i.state));
  if (unfinished.length === 0) return null;
  return (
    <section className="room-panel stack" aria-labelledby="unfinished-title">
      <h3 id="unfinished-title">Unfinished ({unfinished.length})</h3>
      <ul className="plain-list stack">
        {unfinished.map((i) => (
          <li key={i.id}>
            <p>
              <strong>{i.title}</strong>{' '}
              <span className="muted">
                · {i.estimate ?? '–'} points · {itemStateLabels[i.state]}
              </span>
              {i.nextSprintName ? <span className="muted"> ({i.nextSprintName})</span> : null}
            </p>
            {i.state === 'committed' && mayDecide ? (
              <decide.fetcher.Form method="post" action={action} className="inline-form">
                <input type="hidden" name="intent" value="unfinished" />
                <input type="hidden" name="itemId" value={i.id} />
                <label className="visually-hidden" htmlFor={`decision-${i.id}`}>
                  Decision for {i.title}
                </label>
                <select id={`decision-${i.id}`} name="decision" defaultValue="backlog">
                  <option value="backlog">Back to the backlog</option>
                  {nextSprints.length > 0 ? <option value="next_sprint">Into the next sprint</option> : null}
                </select>
                <label className="visually-hidden" htmlFor={`position-${i.id}`}>
                  Place in the backlog
                </label>
                <select id={`position-${i.id}`} name="position" defaultValue="top">
                  <option value="top">at the top</option>
                  <option value="bottom">at the bottom</option>
                </select>
                {nextSprints.length > 0 ? (
                  <>
                    <label className="visually-hidden" htmlFor={`next-${i.id}`}>
                      Next sprint
                    </label>
                    <select id={`next-${i.id}`} name="nextSprintId">
                      {nextSprints.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  </>
                ) : null}
                <button type="submit" className="button button-small" disabled={decide.busy}>
                  Decide
                </button>
              </decide.fetcher.Form>
            ) : null}
          </li>
        ))}
      </ul>
      <ControlError error={decide.error} />
    </section>
  );
}
