import { statusLabels, typeLabels } from '~/components/backlog/labels';
import { CommandError, useSessionCommand } from './use-session-command';

export interface AgendaEntry {
  itemId: string;
  position: number;
  timeboxSeconds: number;
  title: string;
  type: string;
  status: string;
  estimate: number | null;
  parentId: string | null;
}

const label = (labels: Record<string, string>, key: string) => labels[key] ?? key;

function EntryMeta({ entry }: { entry: AgendaEntry }) {
  return (
    <span className="agenda-meta">
      <span className={`type type-${entry.type}`}>{label(typeLabels, entry.type)}</span>
      <span>{label(statusLabels, entry.status)}</span>
      <span className={entry.estimate === null ? 'muted' : 'agenda-estimate'}>
        {entry.estimate === null ? 'no estimate' : `${entry.estimate} pts`}
      </span>
    </span>
  );
}

/**
 * The agenda in order, the current item marked. The facilitator makes another item current by pressing it;
 * everyone else follows.
 */
export function AgendaPanel({
  agenda,
  currentItemId,
  facilitate,
}: {
  agenda: AgendaEntry[];
  currentItemId: string | null;
  facilitate: boolean;
}) {
  const command = useSessionCommand('setCurrentItem');
  const pendingId = command.pending?.get('itemId');
  const current = typeof pendingId === 'string' ? pendingId : currentItemId;
  const done = agenda.filter((a) => a.estimate !== null).length;
  return (
    <section aria-labelledby="agenda-title" className="room-panel agenda-panel">
      <div className="panel-heading">
        <h3 id="agenda-title">Agenda</h3>
        <p className="muted">{agenda.length === 0 ? 'empty' : `${done} of ${agenda.length} estimated`}</p>
      </div>
      {agenda.length === 0 ? (
        <p className="muted">No items on the agenda.</p>
      ) : (
        <command.fetcher.Form method="post">
          <input type="hidden" name="command" value="setCurrentItem" />
          {facilitate ? (
            <p className="hint" id="agenda-hint">
              Press an item to take the room there; its countdown starts.
            </p>
          ) : null}
          <ol className="agenda-list">
            {agenda.map((entry) => {
              const isCurrent = entry.itemId === current;
              const child = entry.parentId !== null && agenda.some((a) => a.itemId === entry.parentId);
              return (
                <li
                  key={entry.itemId}
                  className={`agenda-entry${isCurrent ? ' is-current' : ''}${child ? ' is-child' : ''}`}
                  aria-current={isCurrent ? 'true' : undefined}
                >
                  {facilitate && !isCurrent ? (
                    <button
                      type="submit"
                      name="itemId"
                      value={entry.itemId}
                      className="agenda-button"
                      disabled={command.busy}
                      aria-describedby="agenda-hint"
                    >
                      <span className="agenda-title">{entry.title}</span>
                      <EntryMeta entry={entry} />
                    </button>
                  ) : (
                    <div className="agenda-static">
                      <span className="agenda-title">
                        {isCurrent ? <span className="now-marker">Now</span> : null}
                        {isCurrent ? <span className="visually-hidden">: </span> : null}
                        {entry.title}
                      </span>
                      <EntryMeta entry={entry} />
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </command.fetcher.Form>
      )}
      <CommandError error={command.error} />
    </section>
  );
}
