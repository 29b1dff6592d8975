import { Link } from '@remix-run/react';
import { useId } from 'react';
import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { nothingMovedMessage, sessionOrderLabels } from '~/domain/order-proposals';
import { ScrollRegion } from './scroll-region';
import type { Proposal } from './types';

function Move({ move }: { move: number }) {
  if (move === 0) return <span className="move move-none">stays</span>;
  return (
    <span className={move > 0 ? 'move move-up' : 'move move-down'}>
      <span aria-hidden="true">{move > 0 ? '▲' : '▼'} </span>
      {move > 0 ? `up ${move}` : `down ${-move}`}
    </span>
  );
}

/**
 * For the product owner: the order the results propose beside the current one, with each item's move, and
 * applying all or some of it with a written reason (and, if chosen, storing the results on the items).
 */
export function ProposalPanel({ proposal, methods }: { proposal: Proposal; methods: string[] }) {
  const id = useId();
  const apply = useSessionCommand('applyOrder');
  const choices = (['dots', 'wsjf', 'combined'] as const).filter((m) =>
    m === 'combined' ? methods.includes('dots') && methods.includes('wsjf') : methods.includes(m),
  );
  return (
    <section className="room-panel proposal-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Proposed order</h3>
      <nav className="button-row order-methods" aria-label="Order the proposal">
        {choices.map((m) => (
          <Link
            key={m}
            to={`?order=${m}`}
            preventScrollReset
            replace
            className={`button button-small${m === proposal.method ? '' : ' button-secondary'}`}
            aria-current={m === proposal.method ? 'true' : undefined}
          >
            {sessionOrderLabels[m]}
          </Link>
        ))}
      </nav>
      <apply.fetcher.Form method="post" className="proposal-form">
        <input type="hidden" name="command" value="applyOrder" />
        <input type="hidden" name="method" value={proposal.method} />
        <ScrollRegion label="Proposed order (scrolls sideways)">
          <table className="results-table proposal-table">
            <caption>
              Proposed ({lowerFirst(sessionOrderLabels[proposal.method])}) beside the current order
            </caption>
            <thead>
              <tr>
                <th scope="col">Apply</th>
                <th scope="col" className="num">
                  Proposed
                </th>
                <th scope="col">Item</th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col">Move</th>
              </tr>
            </thead>
            <tbody>
              {proposal.rows.map((r) => (
                <tr key={r.itemId}>
                  <td>
                    <input
                      type="checkbox"
                      name="itemIds"
                      value={r.itemId}
                      defaultChecked
                      id={`${id}-${r.itemId}`}
                    />
                    <label htmlFor={`${id}-${r.itemId}`} className="visually-hidden">
                      Apply the proposed place of “{r.title}”
                    </label>
                  </td>
                  <td className="num">{r.proposedPosition}</td>
                  <th scope="row">{r.title}</th>
                  <td className="num">{r.currentPosition}</td>
                  <td>
                    <Move move={r.move} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p className="hint">
          Unticked items keep their places; the ticked ones take the proposed order among the places they
          hold.
        </p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Why this order (goes into the decision log)</label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            required
            maxLength={2000}
            rows={3}
            aria-describedby={apply.error ? `${id}-error` : undefined}
          />
        </div>
        <div className="field checkbox-field">
          <input id={`${id}-store`} type="checkbox" name="storeResults" />
          <label htmlFor={`${id}-store`}>
            Also store the results on the items (WSJF parts, MoSCoW, Kano category)
          </label>
        </div>
        <div className="button-row">
          <button type="submit" className="button" disabled={apply.busy}>
            {apply.busy ? 'Applying…' : 'Apply this order'}
          </button>
          {apply.done && !apply.busy ? (
            <span
              role="status"
              className={apply.done.message === nothingMovedMessage ? 'hint' : 'saved-note'}
            >
              {apply.done.message ?? 'Applied: the backlog and the decision log show it.'}
            </span>
          ) : null}
        </div>
        <CommandError error={apply.error} id={`${id}-error`} />
      </apply.fetcher.Form>
    </section>
  );
}

/** "By WSJF" reads "by WSJF" inside a sentence: only the first letter is lowered, so acronyms stay. */
const lowerFirst = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);
