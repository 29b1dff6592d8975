import { useFetcher, useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BacklogReply } from '~/routes/products.$productId._index/backlog-page.server';
import { firstError } from '~/utils/form-submission';

export type MoveTarget = 'up' | 'down' | 'top' | 'bottom' | { beforeId: string } | { afterId: string };

export interface MovableRow {
  id: string;
  title: string;
  position: number | null;
}

export interface MoveMessage {
  kind: 'status' | 'error';
  text: string;
}

/** Where the item lands in the shown list, and what the server is told (relative to a neighbour, or an end). */
function plan<R extends MovableRow>(rows: readonly R[], id: string, target: MoveTarget) {
  const from = rows.findIndex((r) => r.id === id);
  if (from < 0) return null;
  const rest = rows.filter((r) => r.id !== id);
  let at: number;
  let fields: Record<string, string>;
  if (target === 'up') {
    if (from === 0) return null;
    at = from - 1;
    fields = { beforeId: rows[from - 1].id };
  } else if (target === 'down') {
    if (from === rows.length - 1) return null;
    at = from + 1;
    fields = { afterId: rows[from + 1].id };
  } else if (target === 'top' || target === 'bottom') {
    at = target === 'top' ? 0 : rest.length;
    if (at === from) return null;
    fields = { position: target };
  } else {
    const ref = 'beforeId' in target ? target.beforeId : target.afterId;
    if (ref === id) return null;
    const index = rest.findIndex((r) => r.id === ref);
    if (index < 0) return null;
    at = 'beforeId' in target ? index : index + 1;
    if (at === from) return null;
    fields = 'beforeId' in target ? { beforeId: ref } : { afterId: ref };
  }
  const next = [...rest.slice(0, at), rows[from], ...rest.slice(at)];
  // The shown rows keep their slots in the whole order; exact without filters, close enough with them until
  // the server's order arrives a moment later.
  const slots = rows.map((r) => r.position).filter((p): p is number => p !== null);
  const numbered = slots.length === rows.length ? next.map((r, i) => ({ ...r, position: slots[i] })) : next;
  return { next: numbered, index: at, fields, item: rows[from] };
}

/** Where the shown rows stand: the whole list, and whether it is the latest the server sent. */
export interface RowsState {
  /** every row is shown (not only the first screen) */
  complete: boolean;
  /** the rows are those of the latest page data (false while a reload's rows are on their way) */
  settled: boolean;
}

/**
 * Moves with an optimistic order: the list shows the new order at once, the server is told through a fetcher, and
 * when the server refuses, the order on screen goes back to the server's with the reason. Each move is relative to
 * a neighbour in the order shown, so quick successive moves stay meaningful even if an earlier one fails. While
 * only the first screen is there, a move past its end waits for the rest: its neighbour is not known yet.
 */
export function useBacklogMoves<R extends MovableRow>(
  rows: readonly R[],
  { complete, settled }: RowsState = { complete: true, settled: true },
) {
  const fetcher = useFetcher<BacklogReply>({ key: 'backlog-move' });
  const [optimistic, setOptimistic] = useState<R[] | null>(null);
  const [message, setMessage] = useState<MoveMessage | null>(null);
  // A saved move keeps its optimistic order until the rows read after it are all in, not only the reload's first
  // screen: otherwise the list would jump back to the old order for a moment.
  const [awaitingRows, setAwaitingRows] = useState(false);
  const previous = useRef(fetcher.state);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const settledNow = useRef(settled);
  settledNow.current = settled;

  useEffect(() => {
    if (previous.current !== 'idle' && fetcher.state === 'idle') {
      const reply = fetcher.data?.intent === 'move' ? fetcher.data : undefined;
      const refusal = firstError(reply?.result);
      if (refusal) {
        setMessage({
          kind: 'error',
          text: `The move was not saved: ${refusal.message} The previous order is shown again.`,
        });
        // A refusal often means the view was out of date (e.g. the item was archived meanwhile): fetch the truth.
        revalidate.current();
      } else if (reply?.moved) {
        setMessage({ kind: 'status', text: `Moved “${reply.moved.title}” to position ${reply.moved.to}.` });
      }
      // Success: the revalidated rows hold the new order (once all of them are in). Failure: the server's rows are
      // the rollback.
      if (reply?.moved && !settledNow.current) setAwaitingRows(true);
      else setOptimistic(null);
    }
    previous.current = fetcher.state;
  }, [fetcher.state, fetcher.data]);

  useEffect(() => {
    if (awaitingRows && settled && fetcher.state === 'idle') {
      setAwaitingRows(false);
      setOptimistic(null);
    }
  }, [awaitingRows, settled, fetcher.state]);

  const shown = optimistic ?? rows;

  const move = useCallback(
    (id: string, target: MoveTarget): number | null => {
      const item = shown.find((r) => r.id === id);
      const last = shown.at(-1)?.id === id;
      if (!complete && item && (target === 'bottom' || (target === 'down' && last))) {
        setMessage({
          kind: 'status',
          text: `The rest of the backlog is still loading; move “${item.title}” again in a moment.`,
        });
        return null;
      }
      const planned = plan(shown, id, target);
      if (!planned) {
        if (item && (target === 'up' || target === 'top'))
          setMessage({ kind: 'status', text: `“${item.title}” is already at the top.` });
        if (item && (target === 'down' || target === 'bottom'))
          setMessage({ kind: 'status', text: `“${item.title}” is already at the bottom.` });
        return null;
      }
      setOptimistic(planned.next as R[]);
      const position = planned.next[planned.index].position;
      setMessage({
        kind: 'status',
        text: `Moving “${planned.item.title}”${position ? ` to position ${position}` : ''}…`,
      });
      fetcher.submit({ intent: 'move', itemId: id, ...planned.fields }, { method: 'post' });
      return planned.index;
    },
    [shown, fetcher, complete],
  );

  return { rows: shown, move, message, pending: fetcher.state !== 'idle' };
}
