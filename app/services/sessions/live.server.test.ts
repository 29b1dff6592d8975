import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../db/test-database';
import { createLogger } from '../../../server/logger';
import type { AppServices } from '~/context';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import { joinSession } from './commands.server';
import { publishSession } from './live.server';
import { createSession } from './sessions.server';

describe('publishing a session to its live document', () => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let sessionId: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    team = await seedTeam(database.db);
    const item = await createItem(database.db, team.productId, team.po, { title: 'Reports' });
    sessionId = (
      await createSession(database.db, team.productId, team.po, {
        title: 'Live',
        kind: 'refinement',
        agenda: [item.id],
      })
    ).id;
  });
  afterAll(() => database.close());

  it('coalesces publishes that arrive while one is being written, and answers every caller once the state has landed', async () => {
    const doc = new Y.Doc();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writes = 0;
    const services = {
      db: database.db,
      log: createLogger('silent'),
      live: {
        async update(_name: string, change: (d: Y.Doc) => void) {
          writes += 1;
          if (writes === 1) await gate; // the first write is slow: everything else arrives meanwhile
          change(doc);
        },
      },
    } as unknown as Pick<AppServices, 'db' | 'live' | 'log'>;
    const first = publishSession(services, sessionId, 'first');
    await new Promise((r) => setTimeout(r, 20));
    await joinSession(database.db, sessionId, team.dev);
    const rest = Array.from({ length: 20 }, (_, i) => publishSession(services, sessionId, `burst-${i}`));
    let settled = 0;
    for (const p of rest) void p.then(() => (settled += 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(0);
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toBe(2);
    const state = doc.getMap('session').toJSON();
    expect(state.version).toBe(2);
    expect(state.change.kind).toBe('burst-19');
    // The second write read the state after the burst's callers: the developer who joined meanwhile is in it.
    expect(state.state.participants.map((p: { userId: string }) => p.userId)).toContain(team.dev);

    // Quiet again: the next publish is written on its own.
    await publishSession(services, sessionId, 'later');
    expect(writes).toBe(3);
  });
});
