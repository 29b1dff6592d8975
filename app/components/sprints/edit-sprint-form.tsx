import { ControlError, useSprintCommand } from '~/components/review/use-sprint-command';

/** The product owner changes the sprint's name, dates, goal or capacity (until it is closed). */
export function EditSprintForm({
  action,
  sprint,
}: {
  action: string;
  sprint: { name: string; startDate: string; endDate: string; goal: string; capacity: number | null };
}) {
  const edit = useSprintCommand(action, 'update');
  return (
    <details className="card">
      <summary>Edit the sprint</summary>
      <edit.fetcher.Form method="post" action={action} className="stack">
        <input type="hidden" name="intent" value="update" />
        <div className="field">
          <label htmlFor="edit-name">Name</label>
          <input id="edit-name" name="name" defaultValue={sprint.name} required maxLength={120} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="edit-start">First day</label>
            <input id="edit-start" name="startDate" type="date" defaultValue={sprint.startDate} required />
          </div>
          <div className="field">
            <label htmlFor="edit-end">Last day</label>
            <input id="edit-end" name="endDate" type="date" defaultValue={sprint.endDate} required />
          </div>
          <div className="field">
            <label htmlFor="edit-capacity">Capacity (points)</label>
            <input
              id="edit-capacity"
              name="capacity"
              type="number"
              min={0}
              max={10000}
              defaultValue={sprint.capacity ?? ''}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="edit-goal">Sprint goal</label>
          <input id="edit-goal" name="goal" defaultValue={sprint.goal} maxLength={1000} />
        </div>
        <div className="actions">
          <button type="submit" className="button" disabled={edit.busy}>
            Save
          </button>
        </div>
        <ControlError error={edit.error} />
      </edit.fetcher.Form>
    </details>
  );
}
