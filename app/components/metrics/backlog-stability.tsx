import {
  noReasonGiven,
  type ReshuffleCause,
  reshuffleDistance,
  reshuffleMinItems,
  reshuffleShare,
} from '~/domain/backlog-stability';
import { percent } from '~/domain/quality-metrics';
import { formatCalendarDate, formatDateTime } from '~/utils/dates';

export interface StabilityMoveRow {
  at: Date | string;
  itemId: string;
  title: string;
  hidden: boolean;
  kind: 'moved' | 'proposal_applied';
  mode: string | null;
  from: number;
  to: number;
  distance: number;
  actor: string;
  reason: string;
  noReason: boolean;
}

export interface StabilityWeekRow {
  start: string;
  isoWeek: string;
  itemsMoved: number;
  totalDistance: number;
  largestMove: number;
  stabilityIndex: number;
  reshuffle: boolean;
  causes: ReshuffleCause[];
  moves: StabilityMoveRow[];
}

const causeText: Record<ReshuffleCause, string> = {
  share: `more than ${reshuffleShare * 100} % of the items moved`,
  distance: `a move of ${reshuffleDistance} places or more`,
};

const modeText: Record<string, string> = { wsjf: 'WSJF', moscow_wsjf: 'MoSCoW then WSJF' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * How much the order moved each week, from the decision log: a row per week with changes, each with its moves and
 * the reasons written down for them, so a reshuffle can be explained to stakeholders. Every text is rendered as
 * text (no HTML from titles or reasons).
 */
export function BacklogStability({
  productId,
  windowWeeks,
  backlogSize,
  weeks,
  timeZone,
}: {
  productId: string;
  windowWeeks: number;
  backlogSize: number;
  weeks: StabilityWeekRow[];
  timeZone: string;
}) {
  return (
    <section aria-labelledby="stability-title" className="stack" data-testid="backlog-stability">
      <div className="row-heading">
        <h2 id="stability-title">Backlog stability</h2>
      </div>
      <p className="muted">
        How much the order moved each week ({backlogSize} items in the order now). Stability is the share of
        the order that did not move that week. A week is a reshuffle when more than {reshuffleShare * 100} %
        of the items moved (at least {reshuffleMinItems}) or one item moved {reshuffleDistance} places or
        more.
      </p>
      {weeks.length === 0 ? (
        <p className="card muted">No reorders in the last {plural(windowWeeks, 'week')}.</p>
      ) : (
        <div className="table-scroll">
          <table className="table stability-table">
            <caption className="visually-hidden">
              Backlog order changes per week, newest first, in the last {plural(windowWeeks, 'week')}
            </caption>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col" className="num">
                  Items moved
                </th>
                <th scope="col" className="num">
                  Largest move
                </th>
                <th scope="col" className="num">
                  Stability
                </th>
                <th scope="col">Moves and reasons</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr key={week.start} data-week={week.isoWeek}>
                  <th scope="row">
                    Week of {formatCalendarDate(week.start)} <small className="muted">({week.isoWeek})</small>
                    {week.reshuffle ? (
                      <>
                        {' '}
                        <span className="badge badge-warn">Reshuffle</span>
                        <small className="muted stability-cause">
                          {' '}
                          {week.causes.map((c) => causeText[c]).join('; ')}
                        </small>
                      </>
                    ) : null}
                  </th>
                  <td className="num">{week.itemsMoved}</td>
                  <td className="num">{plural(week.largestMove, 'place')}</td>
                  <td className="num">{percent(week.stabilityIndex)}</td>
                  <td>
                    <details>
                      <summary>
                        {plural(week.moves.length, 'move')}, {plural(week.totalDistance, 'place')} in all
                      </summary>
                      <ol className="plain-list stability-moves">
                        {week.moves.map((move) => (
                          <li
                            key={`${move.itemId}-${new Date(move.at).getTime()}-${move.kind}`}
                            className="stability-move"
                          >
                            {move.hidden ? (
                              <span className="muted">{move.title}</span>
                            ) : (
                              <a href={`/products/${productId}/items/${move.itemId}`}>{move.title}</a>
                            )}{' '}
                            <span aria-hidden="true">
                              {move.from} → {move.to}
                            </span>
                            <span className="visually-hidden">
                              from place {move.from} to place {move.to}
                            </span>
                            {move.kind === 'proposal_applied' ? (
                              <small className="muted">
                                {' '}
                                (applied {modeText[move.mode ?? ''] ?? 'a'} proposal; places among its items)
                              </small>
                            ) : null}
                            <br />
                            <small className="muted">
                              {move.actor}, {formatDateTime(move.at, timeZone)}:{' '}
                            </small>
                            {move.noReason ? (
                              <em className="muted">{noReasonGiven}</em>
                            ) : (
                              <q>{move.reason}</q>
                            )}
                          </li>
                        ))}
                      </ol>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
