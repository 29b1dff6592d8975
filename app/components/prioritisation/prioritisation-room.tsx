import { useFetchers } from '@remix-run/react';
import { RemoveGuest } from '~/components/session/guest-panel';
import { dotBudgetText } from '~/domain/dot-voting';
import { AgendaItems, useShownDots } from './agenda-items';
import { useServerNow } from './async-window-panel';
import { type Grouping, GroupsPanel } from './groups-panel';
import { ProposalPanel } from './proposal-panel';
import { ResultsPanel } from './results-panel';
import type { PrioritisationData } from './types';
import { VotingBar } from './voting-bar';

/** The dots this browser is sending right now, by item. */
function usePendingDots(): ReadonlyMap<string, number> {
  const fetchers = useFetchers();
  const pending = new Map<string, number>();
  for (const f of fetchers) {
    if (f.formData?.get('command') !== 'castDots') continue;
    const itemId = f.formData.get('itemId');
    const dots = Number(f.formData.get('dots'));
    if (typeof itemId === 'string' && Number.isInteger(dots)) pending.set(itemId, dots);
  }
  return pending;
}

/**
 * A prioritisation session's room, for the product owner, the facilitator, members and guests alike: what each
 * may do is decided by the server; the flags only choose which controls to show.
 */
export function PrioritisationRoom({
  data,
  mayVote,
  mayJobSize,
  facilitate,
  joinCode,
  ended,
  guests,
  grouping = null,
  serverNow,
}: {
  data: PrioritisationData;
  mayVote: boolean;
  mayJobSize: boolean;
  facilitate: boolean;
  joinCode: string | null;
  ended: boolean;
  /** the guests in the room, for the facilitator to remove */
  guests: Array<{ id: string; name: string }>;
  /** stakeholder groups, for the product owner to assign */
  grouping?: Grouping | null;
  /** the server's clock when the room loaded, for the time left to vote before the meeting */
  serverNow?: number;
}) {
  const { dots, used, left } = useShownDots(data, usePendingDots());
  const now = useServerNow(serverNow);
  const usesDots = data.settings.methods.includes('dots');
  return (
    <div className="prio-room">
      <VotingBar
        data={data}
        facilitate={facilitate}
        joinCode={joinCode}
        ended={ended}
        now={now}
        mayVote={mayVote}
        haveVoted={used > 0 || data.myScores.length > 0}
      />
      {facilitate && !ended && guests.length > 0 ? (
        <section className="room-panel guests-panel" aria-labelledby="guests-title">
          <h3 id="guests-title">Guests</h3>
          <ul className="guest-list">
            {guests.map((g) => (
              <li key={g.id}>
                <span>{g.name}</span> <RemoveGuest id={g.id} name={g.name} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {grouping && !ended ? <GroupsPanel grouping={grouping} /> : null}
      {data.results ? <ResultsPanel results={data.results} methods={data.settings.methods} /> : null}
      {data.proposal && !ended ? (
        <ProposalPanel proposal={data.proposal} methods={data.settings.methods} />
      ) : null}
      {mayVote && usesDots && !data.voting?.revealed ? (
        <p className={left <= 0 ? 'dot-budget is-spent' : 'dot-budget'} role="status">
          <strong>{dotBudgetText(left, data.settings.dots.budget)}</strong>{' '}
          <span className="muted">
            {left <= 0
              ? `(all ${data.settings.dots.budget} placed): take a dot off an item to move it.`
              : `(you placed ${used}; at most ${data.settings.dots.cap} on one item)`}
          </span>
        </p>
      ) : null}
      <AgendaItems
        data={data}
        dots={dots}
        left={left}
        mayVote={mayVote && !data.voting?.revealed && !ended}
        mayJobSize={mayJobSize}
        facilitate={facilitate && !ended}
      />
    </div>
  );
}
