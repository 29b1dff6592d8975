import { Link } from '@remix-run/react';
import { phaseLabels, type SessionKind, sessionKindLabels } from '~/domain/session-rules';

export interface SessionRow {
  id: string;
  title: string;
  kind: SessionKind;
  phase: string;
  state: 'planned' | 'running' | 'ended';
  participants: number;
  createdAt: string;
  endedAt: string | null;
  /** votes before the meeting: open until, or closed at, a time already formatted for the viewer */
  votingWindow: { state: 'open' | 'closed'; closesAt: string } | null;
}

export const stateLabels = { planned: 'Planned', running: 'Running', ended: 'Ended' } as const;

/** The product's sessions, newest first: what each is, whether it runs, who took part, and where to go. */
export function SessionList({ productId, sessions }: { productId: string; sessions: SessionRow[] }) {
  return (
    <div className="table-scroll">
      <table className="table session-table">
        <caption className="visually-hidden">Sessions of this product, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              People
            </th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const room = `/products/${productId}/sessions/${s.id}`;
            return (
              <tr key={s.id}>
                <td className="title-cell">
                  <Link to={room} className="session-title-link">
                    {s.title}
                  </Link>
                </td>
                <td>{sessionKindLabels[s.kind]}</td>
                <td>
                  <span className={`state-badge state-${s.state}`}>{stateLabels[s.state]}</span>
                  {s.state === 'running' ? (
                    <span className="muted"> · {phaseLabels[s.phase] ?? s.phase}</span>
                  ) : null}
                  {s.votingWindow && s.state !== 'ended' ? (
                    <span className="voting-window-note">
                      {s.votingWindow.state === 'open'
                        ? `Voting before the meeting, until ${s.votingWindow.closesAt}`
                        : `Voting before the meeting closed ${s.votingWindow.closesAt}`}
                    </span>
                  ) : null}
                </td>
                <td className="num">
                  {s.participants}
                  <span className="visually-hidden">
                    {' '}
                    {s.participants === 1 ? 'participant' : 'participants'}
                  </span>
                </td>
                <td className="when">{s.createdAt}</td>
                <td className="session-links">
                  <Link to={room} aria-label={`${s.state === 'ended' ? 'Room' : 'Open room'}: ${s.title}`}>
                    {s.state === 'ended' ? 'Room' : 'Open room'}
                  </Link>
                  <Link to={`${room}/summary`} aria-label={`Summary of ${s.title}`}>
                    Summary
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
