import type { Awareness } from 'y-protocols/awareness';

/**
 * Makes a document's awareness forget the clients that left (decision record 0023).
 *
 * y-protocols 1.0.7 keeps, per awareness client id, a `meta` entry (clock, last update) beside its state, and never
 * deletes it: `removeAwarenessStates`, which Hocuspocus 4.7 calls when a connection closes, deletes the state only.
 * A document that stays loaded (someone keeps the item open) therefore keeps one entry for every client that ever
 * joined, meeting after meeting, and the awareness's check interval walks all of them every 3 s.
 *
 * Once a client's state is removed its meta entry serves only to refuse an older state of that same client arriving
 * later; on this server a client's states come only through its own connection, in order, and that connection is
 * closed, so nothing can arrive. A state relayed late from another copy would be kept at most until the awareness
 * timeout (30 s), as any state that stops being renewed.
 *
 * The entries are deleted a moment after the removal (`afterMs`), in one sweep per burst of departures.
 * Reads and deletes `awareness.meta`, a public field of y-protocols' Awareness (pinned at 1.0.7, see
 * awareness-meta.test.ts). Returns the function that stops it.
 */
export function forgetDepartedClients(awareness: Awareness, afterMs = 1000): () => void {
  /** client id → when its state was removed */
  const departed = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer || departed.size === 0) return;
    timer = setTimeout(sweep, afterMs);
    timer.unref();
  };
  // Only entries removed at least `afterMs` ago: Hocuspocus broadcasts a removal later (a setImmediate, batched)
  // and encodes it with the client's clock, read from this very entry. A removal made in the same turn as the
  // sweep (e.g. a connection timed out in a timer) must keep its entry until that broadcast has gone out.
  const sweep = () => {
    timer = undefined;
    const now = Date.now();
    for (const [clientId, removedAt] of departed) {
      if (now - removedAt < afterMs) continue;
      departed.delete(clientId);
      if (!awareness.states.has(clientId)) awareness.meta.delete(clientId);
    }
    schedule();
  };
  const onUpdate = ({
    added,
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }) => {
    const now = Date.now();
    // Back again (a provider reconnects with the same client id): nothing to forget.
    for (const clientId of added.concat(updated)) departed.delete(clientId);
    // Its own entry holds the clock the server announces its own (empty) state with: kept.
    for (const clientId of removed) if (clientId !== awareness.clientID) departed.set(clientId, now);
    schedule();
  };
  const stop = () => {
    clearTimeout(timer);
    awareness.off('update', onUpdate);
  };
  awareness.on('update', onUpdate);
  awareness.on('destroy', stop);
  return stop;
}
