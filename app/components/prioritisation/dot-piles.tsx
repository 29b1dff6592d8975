import { dotPileText, dotPileUnit } from '~/domain/dot-voting';
import type { Results } from './types';

type Row = Results['items'][number];

/** Who put dots on one item, in words ("Sam ×2, Ana ×1"); null in an anonymous session. */
function giversOf(itemId: string, participants: Results['participants']): string | null {
  if (!participants) return null;
  const givers = participants
    .map((p) => ({ name: p.name, dots: p.dots.find((d) => d.itemId === itemId)?.dots ?? 0 }))
    .filter((g) => g.dots > 0)
    .sort((a, b) => b.dots - a.dots);
  return givers.length === 0 ? null : givers.map((g) => `${g.name} ×${g.dots}`).join(', ');
}

/**
 * The revealed dots as piles, one per item, most first, like dots stuck on a wall. The drawing is decoration: each
 * pile says its count in words beside it ("7 dots from 3 voters"), and who gave them unless the session is
 * anonymous. Names are text people typed, shown as text.
 */
export function DotPiles({ rows, participants }: { rows: Row[]; participants: Results['participants'] }) {
  const unit = dotPileUnit(Math.max(0, ...rows.map((r) => r.dots)));
  return (
    <>
      {unit > 1 ? (
        <p className="hint">
          Each <span className="pile-dot pile-dot-inline" aria-hidden="true" />
          <span className="visually-hidden">dot drawn</span> stands for {unit} dots.
        </p>
      ) : null}
      <ol className="dot-piles" aria-label="Dots per item, most first">
        {rows.map((r) => {
          const givers = giversOf(r.itemId, participants);
          return (
            <li key={r.itemId} className={r.contested ? 'dot-pile is-contested' : 'dot-pile'}>
              <div className="dot-pile-head">
                <span className="dot-pile-title">{r.title}</span>
                {r.contested ? <span className="tag tag-contested">Contested</span> : null}
                <span className="dot-pile-count">{dotPileText(r.dots, r.dotVoters)}</span>
              </div>
              <div className="dot-pile-dots" aria-hidden="true">
                {Array.from({ length: Math.ceil(r.dots / unit) }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the dots are positions, not data
                  <span key={i} className="pile-dot" />
                ))}
              </div>
              {givers ? <p className="dot-pile-givers">From {givers}</p> : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}
