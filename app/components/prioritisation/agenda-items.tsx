import { typeLabels } from '~/components/backlog/labels';
import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { DotControl } from './dot-control';
import { ScoreForm } from './score-form';
import { windowOpenAt } from './async-window-panel';
import type { PrioritisationData } from './types';

function ResetItem({ itemId, title }: { itemId: string; title: string }) {
  const c = useSessionCommand('resetItem', `reset-${itemId}`);
  return (
    <c.fetcher.Form method="post" className="reset-item">
      <input type="hidden" name="command" value="resetItem" />
      <input type="hidden" name="itemId" value={itemId} />
      <button type="submit" className="link-button" disabled={c.busy}>
        Reset votes<span className="visually-hidden"> on “{title}”</span>
      </button>
      <CommandError error={c.error} />
    </c.fetcher.Form>
  );
}

/** The dots being sent right now, per item, so the count and the budget follow the click at once. */
export function useShownDots(data: PrioritisationData, pending: ReadonlyMap<string, number>) {
  const dots = new Map(data.myDots.map((d) => [d.itemId, d.dots]));
  for (const [id, n] of pending) dots.set(id, n);
  const used = [...dots.values()].reduce((s, n) => s + n, 0);
  return { dots, used, left: data.settings.dots.budget - used };
}

/**
 * The agenda as stakeholders vote on it: each item with its description and acceptance criteria, the viewer's
 * dots and scores. Text people typed is shown as text, never as HTML.
 */
export function AgendaItems({
  data,
  dots,
  left,
  mayVote,
  mayJobSize,
  facilitate,
}: {
  data: PrioritisationData;
  dots: ReadonlyMap<string, number>;
  left: number;
  mayVote: boolean;
  mayJobSize: boolean;
  facilitate: boolean;
}) {
  // Votes are taken while the live vote is open, or before it while the window for votes before the meeting is.
  const open =
    (data.voting?.state === 'open' || windowOpenAt(data.voting?.window, Date.now())) &&
    !data.voting?.revealed;
  const texts = new Map(data.texts.map((t) => [t.itemId, t]));
  const usesDots = data.settings.methods.includes('dots');
  return (
    <ol className="prio-items" aria-label="Items to prioritise">
      {data.agenda.map((item) => {
        const text = texts.get(item.itemId);
        const mine = new Map(
          data.myScores.filter((s) => s.itemId === item.itemId).map((s) => [s.part, s.value]),
        );
        return (
          <li key={item.itemId} className="room-panel prio-item">
            <div className="prio-item-head">
              <h4 id={`prio-item-${item.itemId}`}>{item.title}</h4>
              <span className="tag">{typeLabels[item.type as keyof typeof typeLabels] ?? item.type}</span>
              {item.estimate !== null ? <span className="tag">{item.estimate} pts</span> : null}
              {facilitate && (data.voting?.revealed || data.voting?.state !== 'not_open') ? (
                <ResetItem itemId={item.itemId} title={item.title} />
              ) : null}
            </div>
            {text?.description ? (
              <p className="prio-description">{text.description}</p>
            ) : (
              <p className="muted">No description yet.</p>
            )}
            {text?.criteria ? (
              <details className="prio-criteria">
                <summary>Acceptance criteria</summary>
                <pre>{text.criteria}</pre>
              </details>
            ) : null}
            {mayVote ? (
              <div className="prio-vote">
                {usesDots ? (
                  <DotControl
                    itemId={item.itemId}
                    title={item.title}
                    dots={dots.get(item.itemId) ?? 0}
                    cap={data.settings.dots.cap}
                    left={left}
                    disabled={!open}
                  />
                ) : null}
                <ScoreForm
                  itemId={item.itemId}
                  title={item.title}
                  methods={data.settings.methods}
                  mine={mine}
                  mayJobSize={mayJobSize}
                  disabled={!open}
                />
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
