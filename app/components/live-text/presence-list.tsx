import type { LiveStatus } from '~/collab/use-live-document';
import { colorClass, type Presence } from '~/collab/use-item-text';

const statusLabels: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting… your typing is kept and sent when back',
  offline: 'Not connected: reload the page to try again',
};

export function ConnectionStatus({ status }: { status: LiveStatus }) {
  return (
    <p className={`live-status live-${status}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      <span className="visually-hidden">Live text connection: </span>
      {statusLabels[status]}
    </p>
  );
}

const fieldNames = { description: 'the description', criteria: 'the criteria' } as const;

/**
 * Who has the text open, where they are and who is typing. One entry per person: someone with two tabs open is
 * listed once (typing if either tab is).
 */
export function PresenceList({ people, labelledBy }: { people: readonly Presence[]; labelledBy: string }) {
  const byPerson = new Map<string, Presence>();
  for (const p of people) {
    const key = p.user.id || String(p.clientId);
    const seen = byPerson.get(key);
    if (!seen) byPerson.set(key, p);
    else
      byPerson.set(key, {
        ...seen,
        self: seen.self || p.self,
        typing: seen.typing || p.typing,
        field: seen.field ?? p.field,
      });
  }
  const list = [...byPerson.values()];
  return (
    <ul className="presence-list" aria-labelledby={labelledBy}>
      {list.map((p) => (
        <li key={p.user.id || p.clientId} className={`presence ${p.typing ? 'presence-typing' : ''}`}>
          <span className={`presence-dot ${colorClass(p.user.color)}`} aria-hidden="true" />
          <span className="presence-name">
            {p.user.name}
            {p.self ? ' (you)' : ''}
          </span>
          {p.user.readOnly ? (
            <span className="presence-where"> following</span>
          ) : p.typing && p.field ? (
            <span className="presence-where"> typing in {fieldNames[p.field]}…</span>
          ) : p.field ? (
            <span className="presence-where"> in {fieldNames[p.field]}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
