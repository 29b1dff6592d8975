import { describe, expect, it } from 'vitest';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { forgetDepartedClients } from './awareness-meta';

/** A client's awareness with one state set, as a provider would announce it. */
function client(state: Record<string, unknown>) {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(state);
  return awareness;
}

async function waitFor(check: () => boolean) {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const announce = (server: Awareness, from: Awareness) =>
  applyAwarenessUpdate(server, encodeAwarenessUpdate(from, [from.clientID]), 'connection');

describe('forgetDepartedClients (y-protocols 1.0.7 awareness)', () => {
  it('pins what it works around: removing a state keeps its meta entry', () => {
    const server = new Awareness(new Y.Doc());
    const a = client({ user: 'a' });
    announce(server, a);
    removeAwarenessStates(server, [a.clientID], null);
    expect(server.states.has(a.clientID)).toBe(false);
    expect(server.meta.has(a.clientID)).toBe(true);
    server.destroy();
    a.destroy();
  });

  it('drops the meta entry of every client whose state is removed, keeps its own, and accepts a client that comes back', async () => {
    const server = new Awareness(new Y.Doc());
    server.setLocalState(null);
    const stop = forgetDepartedClients(server, 10);
    const clients = Array.from({ length: 5 }, (_, i) => client({ user: `u${i}` }));
    for (const c of clients) announce(server, c);
    expect(server.meta.size).toBe(6);
    removeAwarenessStates(
      server,
      clients.map((c) => c.clientID),
      null,
    );
    // Not at once: a batched broadcast of the removal still reads the clocks in this turn.
    expect(server.meta.size).toBe(6);
    await waitFor(() => server.meta.size === 1);
    expect([...server.meta.keys()]).toEqual([server.clientID]);
    // The same client id announced again (a reconnect keeps its Y.Doc) is a new arrival, not refused as stale.
    clients[0].setLocalStateField('user', 'back');
    announce(server, clients[0]);
    expect(server.states.get(clients[0].clientID)).toEqual({ user: 'back' });
    // A client still present is untouched; after stop() nothing is forgotten any more.
    stop();
    removeAwarenessStates(server, [clients[0].clientID], null);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.meta.has(clients[0].clientID)).toBe(true);
    for (const c of clients) c.destroy();
    server.destroy();
  });

  it('keeps the entry of a client removed just before a sweep until its removal has been broadcast', async () => {
    const server = new Awareness(new Y.Doc());
    server.setLocalState(null);
    const stop = forgetDepartedClients(server, 50);
    const a = client({ user: 'a' });
    const b = client({ user: 'b' });
    announce(server, a);
    announce(server, b);
    // A departure starts the sweep's timer; another one lands in a timer of the same turn, just before the sweep
    // runs, and Hocuspocus broadcasts it in the next setImmediate, reading its clock from the meta entry.
    removeAwarenessStates(server, [a.clientID], null);
    const broadcast = new Promise<Uint8Array>((resolve, reject) => {
      setTimeout(() => {
        removeAwarenessStates(server, [b.clientID], null);
        setImmediate(() => {
          try {
            resolve(encodeAwarenessUpdate(server, [b.clientID]));
          } catch (error) {
            reject(error);
          }
        });
      }, 49);
    });
    await expect(broadcast).resolves.toBeInstanceOf(Uint8Array);
    await waitFor(() => !server.meta.has(a.clientID) && !server.meta.has(b.clientID));
    stop();
    a.destroy();
    b.destroy();
    server.destroy();
  });
});
