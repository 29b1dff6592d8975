import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { asyncVoteWindows, decisions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { setAsyncWindow } from './async-window.server';
import { startAsyncVotingWorker } from './async-worker.server';
import { createSession, listSessions } from './sessions.server';

const log = { info() {}, warn() {}, error() {}, debug() {} } as never;

describe.each(testBackends)('the async voting worker on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  }, 60_000);
  afterAll(() => database?.close());

  it('lists each session with its window of votes before the meeting: open until when, closed when, or none', async () => {
    const db = database.db;
    const item = await createItem(db, team.productId, team.po, { title: 'Listed' });
    const make = (title: string) =>
      createSession(db, team.productId, team.po, {
        title,
        kind: 'prioritisation',
        agenda: [item.id],
        methods: ['dots'],
      } as never);
    const [open, closed, none] = [
      await make('Open early'),
      await make('Closed early'),
      await make('No window'),
    ];
    const closesAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000);
    for (const session of [open, closed])
      await setAsyncWindow(db, session.id, team.po, { action: 'open', closesAt: closesAt.toISOString() });
    const closedBefore = new Date();
    await setAsyncWindow(db, closed.id, team.po, { action: 'close' });

    const listed = new Map((await listSessions(db, team.productId, team.stakeholder)).map((s) => [s.id, s]));
    expect(listed.get(open.id)?.votingWindow).toEqual({ state: 'open', closesAt });
    expect(listed.get(closed.id)?.votingWindow?.state).toBe('closed');
    // Closed by hand: the time it closed, not the time it would have.
    expect(listed.get(closed.id)?.votingWindow?.closesAt.getTime()).toBeGreaterThanOrEqual(
      closedBefore.getTime() - 1000,
    );
    expect(listed.get(closed.id)?.votingWindow?.closesAt.getTime()).toBeLessThan(closesAt.getTime());
    expect(listed.get(none.id)?.votingWindow).toBeNull();
  });

  it('closes a window at its closing time once, tells the room, and hands due reminders to the delivery seam', async () => {
    const db = database.db;
    const item = await createItem(db, team.productId, team.po, { title: 'A' });
    const session = await createSession(db, team.productId, team.po, {
      title: 'Early',
      kind: 'prioritisation',
      agenda: [item.id],
      methods: ['dots'],
    } as never);
    const other = await createSession(db, team.productId, team.po, {
      title: 'Reminded',
      kind: 'prioritisation',
      agenda: [item.id],
      methods: ['dots'],
    } as never);
    await setAsyncWindow(db, session.id, team.po, {
      action: 'open',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    // Opened two days ago, closing in an hour: the two-hour reminder is due.
    await setAsyncWindow(
      db,
      other.id,
      team.po,
      { action: 'open', closesAt: new Date(Date.now() + 3_600_000).toISOString() },
      new Date(Date.now() - 47 * 3_600_000),
    );
    await db
      .update(asyncVoteWindows)
      .set({ closesAt: new Date(Date.now() - 1000) })
      .where(eq(asyncVoteWindows.sessionId, session.id));
    const published: string[] = [];
    const delivered: Array<{ sessionId: string; reminder: string }> = [];
    const copies = [0, 1].map(() =>
      startAsyncVotingWorker(
        { db, log, live: { update: async (name: string) => void published.push(name) } },
        { tickMs: 20, deliver: (reminders) => void delivered.push(...reminders) },
      ),
    );
    try {
      await vi.waitFor(
        async () => {
          const [row] = await db
            .select()
            .from(asyncVoteWindows)
            .where(eq(asyncVoteWindows.sessionId, session.id));
          expect(row.closedAt).not.toBeNull();
          expect(delivered.filter((r) => r.sessionId === other.id)).toHaveLength(3);
        },
        { timeout: 15_000, interval: 50 },
      );
    } finally {
      await Promise.all(copies.map((c) => c.stop()));
    }
    // Two copies ticking: one close in the log, each reminder once.
    const closes = await db.select().from(decisions).where(eq(decisions.sessionId, session.id));
    expect(closes.filter((d) => d.kind === 'async_voting_closed')).toHaveLength(1);
    expect(new Set(delivered.filter((r) => r.sessionId === other.id).map((r) => r.reminder))).toEqual(
      new Set(['2h']),
    );
    expect(published.some((name) => name.includes(session.id))).toBe(true);
  });
});
