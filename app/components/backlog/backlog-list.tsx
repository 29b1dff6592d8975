import { Link } from '@remix-run/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type DragEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type Entry as GroupedEntry, groupByEpic } from './group-by-epic';
import { type ItemStatus, type ItemType, moscowShort, statusLabels, typeLabels } from './labels';
import type { MoveTarget } from './use-backlog-moves';

export interface BacklogRowData {
  id: string;
  type: ItemType;
  title: string;
  status: ItemStatus;
  estimate: number | null;
  wsjf: number | null;
  moscow: keyof typeof moscowShort | null;
  labels: string[];
  parentId: string | null;
  position: number | null;
  dorMet: number;
  dorTotal: number;
  openBlockers: number;
  blockersBelow: number[];
  /** the sprints in which it is expected, e.g. "14–16" (app/domain/forecast.ts forecastCell); null without history */
  forecast?: string | null;
  /** its key in Jira, when it came from or is linked to a Jira issue */
  externalKey?: string | null;
  /** a three amigos session on it ended in a shared understanding */
  threeAmigos?: boolean;
}

type Entry = GroupedEntry<BacklogRowData>;

const ROW_HEIGHT = 44;
const GROUP_HEIGHT = 40;

/** The small mark beside the readiness badge: three amigos were held on the item. */
function ThreeAmigosMark({ row }: { row: BacklogRowData }) {
  if (!row.threeAmigos) return null;
  return (
    <span className="amigos-mark" title="Three amigos held">
      {' '}
      <span aria-hidden="true">· 3A</span>
      <span className="visually-hidden">Three amigos held</span>
    </span>
  );
}

function Readiness({ row }: { row: BacklogRowData }) {
  if (row.blockersBelow.length > 0) {
    const where = row.blockersBelow.map((p) => `#${p}`).join(', ');
    return (
      <span className="readiness readiness-warn" title={`Sits above ${where}, which it is blocked by`}>
        <span aria-hidden="true">⚠ </span>Above blocker {where}
      </span>
    );
  }
  if (row.openBlockers > 0) {
    return (
      <span className="readiness readiness-blocked" title="Blocked by items that are not done yet">
        <span aria-hidden="true">⊘ </span>Blocked by {row.openBlockers}
      </span>
    );
  }
  if (row.dorTotal === 0)
    return (
      <span className="readiness muted">
        –<ThreeAmigosMark row={row} />
      </span>
    );
  const met = row.dorMet === row.dorTotal;
  return (
    <span
      className={`readiness ${met ? 'readiness-ok' : 'muted'}`}
      title={`Definition of Ready: ${row.dorMet} of ${row.dorTotal} checked`}
    >
      {met ? <span aria-hidden="true">✓ </span> : null}
      <span className="visually-hidden">Definition of Ready </span>
      <span aria-hidden="true">DoR </span>
      {row.dorMet}/{row.dorTotal}
      <ThreeAmigosMark row={row} />
    </span>
  );
}

const moveActions: Array<{ target: 'up' | 'down' | 'top' | 'bottom'; label: string; keys: string }> = [
  { target: 'up', label: 'Move up', keys: 'Alt+ArrowUp' },
  { target: 'down', label: 'Move down', keys: 'Alt+ArrowDown' },
  { target: 'top', label: 'To top', keys: 'Alt+Home' },
  { target: 'bottom', label: 'To bottom', keys: 'Alt+End' },
];

const keyTargets: Record<string, 'up' | 'down' | 'top' | 'bottom'> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'top',
  End: 'bottom',
};

type FocusPart = 'title' | 'move';

export function BacklogList({
  productId,
  rows,
  epics,
  grouped,
  movable,
  onMove,
  total = rows.length,
  groupSizes = null,
}: {
  productId: string;
  /** in the order, or grouped: the top of the grouped order while not all rows are there */
  rows: readonly BacklogRowData[];
  epics: ReadonlyArray<{ id: string; title: string }>;
  grouped: boolean;
  /** the product owner, in the plain (ungrouped, unarchived) order */
  movable: boolean;
  onMove: (id: string, target: MoveTarget) => number | null;
  /** all the rows there are; more than `rows` while the rest is still being fetched */
  total?: number;
  /** grouped, while not all rows are there: the size of every group (by epic id, '' for none) */
  groupSizes?: Readonly<Record<string, number>> | null;
}) {
  const complete = rows.length >= total;
  const entries = useMemo<Entry[]>(
    () =>
      grouped
        ? groupByEpic(rows, epics, complete ? undefined : (groupSizes ?? undefined))
        : rows.map((row, index) => ({ kind: 'item', key: row.id, row, index })),
    [rows, epics, grouped, complete, groupSizes],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (entries[i].kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    getItemKey: (i) => entries[i].key,
    overscan: 12,
    // The server renders the first screenful, so the list is there before scripts run.
    initialRect: { width: 1000, height: 640 },
  });

  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ id: string; part: FocusPart } | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: string; side: 'before' | 'after' } | null>(null);

  // Moving a row re-inserts its element (and a far move unmounts it): bring it into view and give it the focus back.
  useEffect(() => {
    if (!focusRequest) return;
    const index = entries.findIndex((e) => e.kind === 'item' && e.row.id === focusRequest.id);
    if (index < 0) return;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const el = scroller.current?.querySelector<HTMLElement>(
        `[data-row-id="${focusRequest.id}"] [data-focus="${focusRequest.part}"]`,
      );
      if (el) {
        if (document.activeElement !== el) el.focus();
        setFocusRequest(null);
      } else if (tries++ < 20) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [focusRequest, entries, virtualizer]);

  const move = (id: string, target: MoveTarget, part: FocusPart) => {
    onMove(id, target);
    setFocusRequest({ id, part });
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLLIElement>, row: BacklogRowData, index: number) => {
    const target = keyTargets[event.key];
    const part: FocusPart = (event.target as HTMLElement).dataset.focus === 'move' ? 'move' : 'title';
    if (event.key === 'Escape' && menuFor === row.id) {
      setMenuFor(null);
      setFocusRequest({ id: row.id, part: 'move' });
      return;
    }
    if (movable && target && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      setMenuFor(null);
      move(row.id, target, part);
      return;
    }
    // Plain arrows walk the titles, so a long list can be browsed without tabbing through every control.
    if (
      (event.key === 'ArrowDown' || event.key === 'ArrowUp') &&
      !event.altKey &&
      part === 'title' &&
      (event.target as HTMLElement).dataset.focus
    ) {
      const items = entries.filter((e): e is Extract<Entry, { kind: 'item' }> => e.kind === 'item');
      const next = items[index + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next) {
        event.preventDefault();
        setFocusRequest({ id: next.row.id, part: 'title' });
      }
    }
  };

  const dragHandlers = (row: BacklogRowData) =>
    movable
      ? {
          draggable: true,
          onDragStart: (event: DragEvent<HTMLLIElement>) => {
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', row.title);
            setDragId(row.id);
            setMenuFor(null);
          },
          onDragOver: (event: DragEvent<HTMLLIElement>) => {
            if (!dragId) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            const box = event.currentTarget.getBoundingClientRect();
            const side = event.clientY < box.top + box.height / 2 ? 'before' : 'after';
            if (dropTarget?.id !== row.id || dropTarget.side !== side) setDropTarget({ id: row.id, side });
          },
          onDrop: (event: DragEvent<HTMLLIElement>) => {
            event.preventDefault();
            const side = dropTarget?.id === row.id ? dropTarget.side : 'before';
            if (dragId && dragId !== row.id)
              onMove(dragId, side === 'before' ? { beforeId: row.id } : { afterId: row.id });
            setDragId(null);
            setDropTarget(null);
          },
          onDragEnd: () => {
            setDragId(null);
            setDropTarget(null);
          },
        }
      : {};

  // Until the rest arrives, the list already has its full height, so the scrollbar does not jump when it does.
  const groupCount = grouped ? (complete || !groupSizes ? 0 : Object.keys(groupSizes).length) : 0;
  const height = complete
    ? virtualizer.getTotalSize()
    : Math.max(virtualizer.getTotalSize(), total * ROW_HEIGHT + groupCount * GROUP_HEIGHT);
  return (
    <div className="backlog-table">
      <div className={`backlog-columns${movable ? ' movable' : ''}`} aria-hidden="true">
        {movable ? <span /> : null}
        <span>#</span>
        <span>Type</span>
        <span>Title</span>
        <span>Status</span>
        <span className="num">Est.</span>
        <span className="num">WSJF</span>
        <span>MoSCoW</span>
        <span>Labels</span>
        <span>Readiness</span>
        <span title="The sprints in which each item is expected">Forecast</span>
        {movable ? <span>Order</span> : null}
      </div>
      <div ref={scroller} className="backlog-scroll">
        <ol className="backlog virtual" aria-label="Backlog in priority order" style={{ height }}>
          {virtualizer.getVirtualItems().map((v) => {
            const entry = entries[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: v.size };
            if (entry.kind === 'group') {
              return (
                <li key={entry.key} className="backlog-group" style={style}>
                  <h3>
                    {entry.epicId ? (
                      <Link className="group-link" to={`/products/${productId}/items/${entry.epicId}`}>
                        {entry.title}
                      </Link>
                    ) : (
                      entry.title
                    )}
                    <span className="muted"> · {entry.count} items</span>
                  </h3>
                </li>
              );
            }
            const { row } = entry;
            const drop = dropTarget?.id === row.id ? ` drop-${dropTarget.side}` : '';
            return (
              <li
                key={entry.key}
                data-row-id={row.id}
                className={`backlog-row item-${row.type}${movable ? ' movable' : ''}${dragId === row.id ? ' dragging' : ''}${drop}`}
                style={style}
                aria-setsize={total}
                aria-posinset={entry.index + 1}
                onKeyDown={(event) => onRowKeyDown(event, row, entry.index)}
                {...dragHandlers(row)}
              >
                {movable ? (
                  <span className="drag-handle" aria-hidden="true" title="Drag to reorder">
                    ⠿
                  </span>
                ) : null}
                <span className="rank">
                  <span className="visually-hidden">Position </span>
                  {row.position ?? '–'}
                </span>
                <span className={`type type-${row.type}`}>{typeLabels[row.type]}</span>
                <span className="row-title-cell">
                  {row.externalKey ? (
                    // The Jira key, seen at a glance (also for a screen reader, before the title's link).
                    <span className="row-key">{row.externalKey}</span>
                  ) : null}
                  <Link
                    className="row-title"
                    data-focus="title"
                    to={`/products/${productId}/items/${row.id}`}
                    prefetch="intent"
                  >
                    {row.title}
                  </Link>
                </span>
                <span className={`status status-${row.status}`}>
                  <span className="visually-hidden">Status: </span>
                  {statusLabels[row.status]}
                </span>
                <span className="num" title="Estimate in story points">
                  {row.estimate ?? '–'}
                  <span className="visually-hidden"> points</span>
                </span>
                <span className="num" title="WSJF score">
                  <span className="visually-hidden">WSJF </span>
                  {row.wsjf ?? '–'}
                </span>
                <span className="moscow">
                  <span className="visually-hidden">MoSCoW: </span>
                  {row.moscow ? moscowShort[row.moscow] : '–'}
                </span>
                <span className="labels" title={row.labels.join(', ')}>
                  {row.labels.length > 0 ? <span className="visually-hidden">Labels: </span> : null}
                  {row.labels.map((l) => (
                    <span key={l} className="label">
                      {l}
                    </span>
                  ))}
                </span>
                <Readiness row={row} />
                <span
                  className="forecast"
                  title={
                    row.forecast
                      ? row.forecast === 'now'
                        ? 'In the running sprint'
                        : `Expected in sprint ${row.forecast}`
                      : undefined
                  }
                >
                  {row.forecast ? (
                    <span className="visually-hidden">
                      {row.forecast === 'now' ? 'Forecast: ' : 'Forecast: sprint '}
                    </span>
                  ) : null}
                  {row.forecast ?? '–'}
                </span>
                {movable ? (
                  <fieldset
                    className="move-cell"
                    aria-label="Order"
                    onBlur={(event) => {
                      // The menu closes when the focus leaves it (a click elsewhere, or Tab past it).
                      if (
                        menuFor === row.id &&
                        !event.currentTarget.contains(event.relatedTarget as Node | null)
                      )
                        setMenuFor(null);
                    }}
                  >
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      data-focus="move"
                      aria-expanded={menuFor === row.id}
                      aria-controls={menuFor === row.id ? `move-${row.id}` : undefined}
                      onClick={() => setMenuFor(menuFor === row.id ? null : row.id)}
                    >
                      Move<span className="visually-hidden"> “{row.title}”</span>
                    </button>
                    {menuFor === row.id ? (
                      <span className="move-menu" id={`move-${row.id}`}>
                        {moveActions.map((a) => (
                          <button
                            key={a.target}
                            type="button"
                            className="button button-small"
                            aria-keyshortcuts={a.keys}
                            onClick={() => {
                              setMenuFor(null);
                              move(row.id, a.target, 'move');
                            }}
                          >
                            {a.label}
                          </button>
                        ))}
                      </span>
                    ) : null}
                  </fieldset>
                ) : null}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
