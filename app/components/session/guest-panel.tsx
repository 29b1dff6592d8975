import { useEffect, useState } from 'react';
import { CopyField } from '~/components/copy-field';
import { CommandError, useSessionCommand } from './use-session-command';

export interface RefinementGuests {
  joinUrl: string;
  open: boolean;
  estimate: boolean;
  guests: Array<{ id: string; name: string; spectator: boolean }>;
}

/** Lets the guests estimate (a checkbox; the room follows the server's answer). */
function EstimateSwitch({ estimate }: { estimate: boolean }) {
  const command = useSessionCommand('setGuestEstimating');
  const [local, setLocal] = useState<boolean | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the server's state or a refusal takes over
  useEffect(() => setLocal(null), [estimate, command.error]);
  const pending = command.pending?.get('allowed');
  const checked = command.pending ? pending === 'true' : (local ?? estimate);
  return (
    <div className="guest-estimate">
      <div className="checkbox-field">
        <input
          id="guests-estimate"
          type="checkbox"
          checked={checked}
          aria-describedby="guests-estimate-hint"
          onChange={(event) => {
            const next = event.currentTarget.checked;
            setLocal(next);
            command.submit({ allowed: String(next) });
          }}
        />
        <label htmlFor="guests-estimate">Let guests estimate</label>
      </div>
      <p className="hint" id="guests-estimate-hint">
        {checked
          ? 'Guests get the deck and their cards count, secret until the reveal like everyone’s.'
          : 'Guests watch the round. Turning this off withdraws their cards from a round not yet revealed.'}
      </p>
      <CommandError error={command.error} />
    </div>
  );
}

/** Removes a guest from the session (facilitator): their votes stop counting and their live view closes. */
export function RemoveGuest({ id, name }: { id: string; name: string }) {
  const command = useSessionCommand('removeParticipant', `remove-${id}`);
  return (
    <command.fetcher.Form method="post" className="remove-guest">
      <input type="hidden" name="command" value="removeParticipant" />
      <input type="hidden" name="participantId" value={id} />
      <button type="submit" className="link-button" disabled={command.busy}>
        Remove<span className="visually-hidden"> guest {name}</span>
      </button>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}

/**
 * For whoever runs a refinement: the guest link to share (absolute, with a copy button), closing or reopening it,
 * letting guests estimate, and the guests in the room, each with a Remove button.
 */
export function GuestPanel({ data }: { data: RefinementGuests }) {
  const link = useSessionCommand('setGuestLink');
  return (
    <section className="room-panel guests-panel" aria-labelledby="guests-title">
      <div className="panel-heading">
        <h3 id="guests-title">Guests</h3>
        <p className="muted">{data.guests.length === 0 ? 'none yet' : `${data.guests.length} in the room`}</p>
      </div>
      <CopyField label="Guest link" value={data.joinUrl} />
      <p className="hint">
        {data.open
          ? 'Anyone with the link joins with a display name, no account: they follow the current item and the round, raise a hand and ask questions.'
          : 'The link is closed: new guests cannot join. Guests already here stay.'}
      </p>
      <link.fetcher.Form method="post">
        <input type="hidden" name="command" value="setGuestLink" />
        <button
          type="submit"
          name="open"
          value={data.open ? 'false' : 'true'}
          className="button button-small button-secondary"
          disabled={link.busy}
        >
          {data.open ? 'Close the guest link' : 'Reopen the guest link'}
        </button>
        <CommandError error={link.error} />
      </link.fetcher.Form>
      <EstimateSwitch estimate={data.estimate} />
      {data.guests.length > 0 ? (
        <ul className="guest-list" aria-label="Guests in the room">
          {data.guests.map((g) => (
            <li key={g.id}>
              <span>{g.name}</span>
              {g.spectator ? <span className="tag tag-watching">watching</span> : null}{' '}
              <RemoveGuest id={g.id} name={g.name} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
