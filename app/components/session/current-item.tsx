import { Link } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { statusLabels, typeLabels } from '~/components/backlog/labels';
import { CurrentItemText } from './current-item-text';
import { CommandError, useSessionCommand } from './use-session-command';

export interface CurrentItemData {
  id: string;
  title: string;
  type: string;
  status: string;
  estimate: number | null;
  description: string;
  criteria: string;
  definitionOfReady: Array<{ id: string; text: string; checked: boolean }>;
  readiness: {
    ready: boolean;
    met: number;
    total: number;
    blockedByDependencies?: boolean;
    overridden?: boolean;
  };
  /** a blocker of another product the viewer is not a member of comes hidden: no id, a stand-in title */
  blockers: Array<{ id: string | null; title: string; status: string; hidden: boolean }>;
}

const label = (labels: Record<string, string>, key: string) => labels[key] ?? key;
const resolved = new Set(['done', 'accepted', 'archived']);

/** One line of the Definition of Ready: ticked live by the product owner and the team. */
function ReadyLine({
  line,
  editable,
}: {
  line: { id: string; text: string; checked: boolean };
  editable: boolean;
}) {
  const command = useSessionCommand('setReadyCheck');
  // The tick shows at once (the fetcher's pending state arrives a moment after the click); the server's answer
  // takes over when the line changes or the command is refused.
  const [local, setLocal] = useState<boolean | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the line's state or a refusal comes in
  useEffect(() => setLocal(null), [line.checked, command.error]);
  const pending = command.pending?.get('checked');
  const checked = command.pending ? pending === 'true' : (local ?? line.checked);
  const id = `dor-${line.id}`;
  if (!editable) {
    return (
      <li className={checked ? 'dor-met' : 'dor-open'}>
        <span aria-hidden="true" className="dor-mark">
          {checked ? '✓' : '○'}
        </span>
        <span className="visually-hidden">{checked ? 'Met: ' : 'Not met: '}</span>
        {line.text}
      </li>
    );
  }
  return (
    <li className={checked ? 'dor-met' : 'dor-open'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          const next = e.currentTarget.checked;
          setLocal(next);
          command.submit({ checkId: line.id, checked: String(next) });
        }}
      />
      <label htmlFor={id}>{line.text}</label>
      <CommandError error={command.error} />
    </li>
  );
}

/**
 * The item under discussion: what it is, whether it is ready, what blocks it, and its text. A session guest sees it
 * too (`guest`): without links to item pages they cannot open, following the text with their room's live token.
 */
export function CurrentItem({
  item,
  productId,
  user,
  editable,
  guest = null,
}: {
  item: CurrentItemData;
  productId: string;
  /** the signed-in person (for the live text editors' carets and presence) */
  user: { id: string; name: string };
  editable: boolean;
  guest?: { tokenUrl: string } | null;
}) {
  const openBlockers = item.blockers.filter((b) => !resolved.has(b.status));
  const { readiness } = item;
  const readyText = readiness.ready
    ? readiness.overridden
      ? 'Ready (overridden by the product owner)'
      : 'Ready'
    : readiness.blockedByDependencies || openBlockers.length > 0
      ? 'Not ready: blocked'
      : 'Not ready yet';
  return (
    <section aria-labelledby="current-title" className="room-panel current-item">
      <div className="current-heading">
        <p className="current-kicker">Current item</p>
        <h3 id="current-title">
          {guest ? (
            item.title
          ) : (
            <Link className="current-title-link" to={`/products/${productId}/items/${item.id}`}>
              {item.title}
            </Link>
          )}
        </h3>
        <p className="item-meta">
          <span className={`type type-${item.type}`}>{label(typeLabels, item.type)}</span>
          <span className="badge">{label(statusLabels, item.status)}</span>
          <span>
            Estimate <strong>{item.estimate ?? '–'}</strong>
            {item.estimate !== null ? ' pts' : ''}
          </span>
        </p>
      </div>
      <div className="current-body">
        <section aria-labelledby="dor-title" className="dor">
          <div className="panel-heading">
            <h4 id="dor-title">Definition of Ready</h4>
            <p className={readiness.ready ? 'readiness-ok' : 'readiness-warn'}>
              {readyText} · {readiness.met} of {readiness.total}
            </p>
          </div>
          {item.definitionOfReady.length === 0 ? (
            <p className="muted">This product has no Definition of Ready yet (Settings).</p>
          ) : (
            <>
              <progress
                className="dor-bar"
                max={readiness.total || 1}
                value={readiness.met}
                aria-label="Definition of Ready met"
              />
              <ul className="dor-list" aria-label="Definition of Ready checklist">
                {item.definitionOfReady.map((line) => (
                  <ReadyLine key={line.id} line={line} editable={editable} />
                ))}
              </ul>
            </>
          )}
          {item.blockers.length > 0 ? (
            <div className="blockers">
              <h4 id="blockers-title">Blocked by</h4>
              <ul aria-labelledby="blockers-title">
                {item.blockers.map((b, i) => (
                  <li
                    key={b.id ?? `hidden-${i}`}
                    className={resolved.has(b.status) ? 'blocker-resolved' : 'blocker-open'}
                  >
                    {b.id === null || guest ? (
                      <span className={b.id === null ? 'muted' : undefined}>{b.title}</span>
                    ) : (
                      <Link to={`/products/${productId}/items/${b.id}`}>{b.title}</Link>
                    )}{' '}
                    <span className="muted">({label(statusLabels, b.status)})</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
        <CurrentItemText
          item={item}
          productId={productId}
          user={user}
          editable={editable}
          tokenUrl={guest?.tokenUrl}
        />
      </div>
    </section>
  );
}

/**
 * The item the facilitator just moved the room to, while its text is on its way: its title at once (from the
 * agenda), so everyone sees the move as it happens.
 */
export function OpeningItem({ title }: { title: string }) {
  return (
    <section aria-labelledby="current-title" aria-busy="true" className="room-panel current-item">
      <div className="current-heading">
        <p className="current-kicker">Current item</p>
        <h3 id="current-title">{title}</h3>
      </div>
      <p className="muted" role="status">
        Opening the item…
      </p>
    </section>
  );
}
