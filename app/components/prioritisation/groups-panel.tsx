import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { anonymousWeightsRule } from '~/domain/score-results';

export interface Grouping {
  /** anonymous sessions weigh only groups large enough not to single anyone out */
  anonymous: boolean;
  groups: Array<{ name: string; weight: number }>;
  people: Array<{ id: string; name: string; groupName: string | null }>;
}

function GroupSelect({ person, groups }: { person: Grouping['people'][number]; groups: Grouping['groups'] }) {
  const c = useSessionCommand('setParticipantGroup', `group-${person.id}`);
  const id = `group-${person.id}`;
  return (
    <li className="group-person">
      <label htmlFor={id}>{person.name}</label>
      <select
        id={id}
        defaultValue={person.groupName ?? ''}
        disabled={c.busy}
        onChange={(e) => c.submit({ participantId: person.id, groupName: e.currentTarget.value })}
      >
        <option value="">No group (weight 1)</option>
        {groups.map((g) => (
          <option key={g.name} value={g.name}>
            {g.name} (weight {g.weight})
          </option>
        ))}
      </select>
      <CommandError error={c.error} />
    </li>
  );
}

/** The product owner puts each participant in a stakeholder group; a group's weight multiplies its members' scores. */
export function GroupsPanel({ grouping }: { grouping: Grouping }) {
  return (
    <section className="room-panel groups-panel" aria-labelledby="groups-title">
      <h3 id="groups-title">Stakeholder groups</h3>
      <p className="hint">A group’s weight multiplies its members’ scores in the results.</p>
      {grouping.anonymous ? <p className="hint">{anonymousWeightsRule}</p> : null}
      {grouping.people.length === 0 ? (
        <p className="muted">Nobody who votes has joined yet.</p>
      ) : (
        <ul className="group-people">
          {grouping.people.map((p) => (
            <GroupSelect key={p.id} person={p} groups={grouping.groups} />
          ))}
        </ul>
      )}
    </section>
  );
}
