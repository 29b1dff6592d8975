import type { DirectConnection, Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';

/** How long the server keeps its connection to a document after its last change. */
export const publisherIdleMs = 3000;

/**
 * The server's own writes to live documents (a session's public state after each command, a backlog's change
 * notice). One direct connection per document is kept while changes keep coming and closed once the document has
 * been quiet for `idleMs`: a burst of 200 votes then costs one open, and its stores follow Hocuspocus's debounce
 * instead of one full store of the document per change (decision 0027). Closing stores at once and unloads the
 * document when no client holds it, as before.
 */
export function createPublisher(hocuspocus: Hocuspocus, idleMs = publisherIdleMs) {
  const held = new Map<
    string,
    { connection: Promise<DirectConnection>; timer?: NodeJS.Timeout; busy: number }
  >();
  const running = new Set<Promise<unknown>>();

  function release(name: string) {
    const entry = held.get(name);
    if (!entry || entry.busy > 0) return;
    held.delete(name);
    const closed = entry.connection.then((connection) => connection.disconnect()).catch(() => {});
    running.add(closed);
    void closed.finally(() => running.delete(closed));
  }

  async function update(name: string, change: (doc: Y.Doc) => void) {
    let entry = held.get(name);
    if (!entry) {
      entry = {
        connection: hocuspocus.openDirectConnection(name, { userId: 'server', role: 'server' }),
        busy: 0,
      };
      held.set(name, entry);
      // A connection that could not open is forgotten, so the next change tries again.
      entry.connection.catch(() => held.get(name) === entry && held.delete(name));
    }
    clearTimeout(entry.timer);
    entry.busy += 1;
    const work = entry.connection.then((connection) => connection.transact((doc) => change(doc)));
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
      entry.busy -= 1;
      if (held.get(name) === entry && entry.busy === 0) {
        entry.timer = setTimeout(() => release(name), idleMs);
        entry.timer.unref();
      }
    }
  }

  return {
    update,
    /** Changes being written and connections being closed: a flush waits for them. */
    pending: () => [...running],
    /** Closes every held connection (each stores its document at once); for shutdown. */
    async closeAll() {
      for (const [name, entry] of held) {
        clearTimeout(entry.timer);
        entry.busy = 0;
        release(name);
      }
      await Promise.allSettled([...running]);
    },
  };
}
