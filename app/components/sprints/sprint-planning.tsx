import { itemStateLabels, type SprintViewData } from '~/components/review/types';
import { ControlError, useSprintCommand } from '~/components/review/use-sprint-command';
import { DebtShareLine } from './debt-share-line';
import { EditSprintForm } from './edit-sprint-form';

/**
 * Planning and running a sprint: committed points against the average velocity (or the capacity), the sprint's
 * items with done toggles, and the backlog's next items to pull in, in backlog order. An item that is not ready
 * says why; the product owner may pull it anyway with a reason.
 */
export function SprintPlanning({ data, action }: { data: SprintViewData; action: string }) {
  const start = useSprintCommand(action, 'start');
  const review = useSprintCommand(action, 'startReview');
  const done = useSprintCommand(action, 'done');
  const remove = useSprintCommand(action, 'remove');
  const add = useSprintCommand(action, 'add');
  const { sprint, commitment, may } = data;
  const inSprint = data.items.filter((i) => i.state !== 'removed');
  const reference =
    commitment.basis === 'velocity'
      ? `the average velocity of ${commitment.reference} points (last ${data.recentVelocity.sprints} sprints)`
      : commitment.basis === 'capacity'
        ? `the capacity of ${commitment.reference} points (not enough history for a velocity yet)`
        : 'no velocity or capacity yet';
  return (
    <div className="stack">
      <p className={commitment.over ? 'alert' : undefined} role="status">
        <strong>{commitment.committed} points committed</strong> against {reference}
        {commitment.over ? ': more than the team usually finishes.' : '.'}
      </p>
      <DebtShareLine debt={data.debt} productId={sprint.productId} />
      {may.decide ? (
        <div className="actions">
          {sprint.state === 'planned' ? (
            <button
              type="button"
              className="button"
              disabled={start.busy}
              onClick={() => start.submit('start')}
            >
              Start the sprint
            </button>
          ) : null}
          {sprint.state === 'active' && !data.review ? (
            <button
              type="button"
              className="button"
              disabled={review.busy}
              onClick={() => review.submit('startReview')}
            >
              Start the sprint review
            </button>
          ) : null}
        </div>
      ) : null}
      <ControlError error={start.error ?? review.error} />
      {may.decide ? <EditSprintForm action={action} sprint={sprint} /> : null}
      <div className="table-scroll">
        <table className="table">
          <caption>In this sprint ({inSprint.length})</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="num">
                Points
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {inSprint.map((i) => (
              <tr key={i.id}>
                <td>
                  {i.title}
                  {i.notReadyReason ? (
                    <span className="muted"> · pulled in not ready: {i.notReadyReason}</span>
                  ) : null}
                </td>
                <td className="num">{i.estimate ?? '–'}</td>
                <td>{itemStateLabels[i.state]}</td>
                <td className="inline-form">
                  {may.setDone && (i.state === 'committed' || i.state === 'done') ? (
                    <label className="checkbox-row">
                      <input
                        type="checkbox"
                        checked={i.state === 'done'}
                        aria-label={`Done: ${i.title}`}
                        disabled={done.busy}
                        onChange={(e) =>
                          done.submit('done', { itemId: i.id, done: String(e.currentTarget.checked) })
                        }
                      />{' '}
                      Done
                    </label>
                  ) : null}
                  {may.plan && (i.state === 'committed' || i.state === 'done') ? (
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      disabled={remove.busy}
                      onClick={() => remove.submit('remove', { itemId: i.id })}
                    >
                      Remove<span className="visually-hidden"> {i.title}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ControlError error={done.error ?? remove.error} />
      {may.plan && data.candidates.length > 0 ? (
        <section aria-labelledby="candidates-title" className="stack">
          <h3 id="candidates-title">Next in the backlog</h3>
          <p className="muted">
            In backlog order. Pull ready items from the top; an item that is not ready needs the product owner
            and a reason.
          </p>
          <ul className="plain-list stack">
            {data.candidates.map((c) => (
              <li key={c.id}>
                <add.fetcher.Form method="post" action={action} className="inline-form">
                  <input type="hidden" name="intent" value="add" />
                  <input type="hidden" name="itemId" value={c.id} />
                  <span>
                    {c.title} <span className="muted">· {c.estimate ?? '–'} points</span>{' '}
                    <span className={`badge ${c.ready ? 'badge-ok' : 'badge-warn'}`}>
                      {c.ready ? 'Ready' : 'Not ready'}
                    </span>
                  </span>
                  {!c.ready ? (
                    <>
                      <span className="hint">{c.problems.join('; ')}</span>
                      {may.decide ? (
                        <>
                          <label className="visually-hidden" htmlFor={`reason-${c.id}`}>
                            Reason to pull {c.title} in anyway
                          </label>
                          <input
                            id={`reason-${c.id}`}
                            name="reason"
                            placeholder="Reason to pull it in anyway"
                            maxLength={1000}
                          />
                        </>
                      ) : null}
                    </>
                  ) : null}
                  <button
                    type="submit"
                    className="button button-small"
                    disabled={add.busy || (!c.ready && !may.decide)}
                  >
                    Pull in<span className="visually-hidden"> {c.title}</span>
                  </button>
                </add.fetcher.Form>
              </li>
            ))}
          </ul>
          <ControlError error={add.error} />
        </section>
      ) : null}
    </div>
  );
}
