import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { forecastCell } from '~/domain/forecast';
import { ranksForCount } from '~/domain/rank';
import { signUp } from '~/services/accounts.server';
import { createProduct } from '~/services/products.server';
import { forecastCache, forecastCacheLimits, forecastCells } from './forecast-cells.server';
import { computeBacklogForecast } from './forecast.server';

// The backlog list's forecast cells come from a per-process cache of the decoded order, validated against Postgres
// on every use. Every change below is made straight in the database, as another process (or a command that forgets
// to say so) would: the next read must show it. Each step first checks that the change does move some forecast, so
// a cache that missed it would answer the cells of before and fail.

const password = 'correct horse battery staple';

describe.each(testBackends)('forecast cells of the backlog list on %s', (kind) => {
  let database: Database;
  let productId: string;
  let ids: string[];
  let ranks: string[];
  let epic: string;
  let running: string;

  /** The reference: the whole forecast computed from scratch, as a cell per item of the product. */
  async function expected() {
    const whole = await computeBacklogForecast(database.db, productId);
    const all = await database.db.select({ id: backlogItems.id }).from(backlogItems);
    return Object.fromEntries(
      all.map(({ id }) => {
        const row = whole.rows.get(id);
        return [id, row ? forecastCell(row.forecast) : null];
      }),
    );
  }
  async function actual() {
    const cells = await forecastCells(database.db, productId);
    const all = await database.db.select({ id: backlogItems.id }).from(backlogItems);
    return Object.fromEntries(all.map(({ id }) => [id, cells.cellOf(id)]));
  }
  /** Reads once (filling the cache), makes the change, then the cells must be the new ones. */
  async function afterChange(change: () => Promise<unknown>) {
    expect(await actual()).toEqual(await expected());
    expect(forecastCache.size).toBe(1);
    const before = await expected();
    await change();
    const after = await expected();
    expect(after, 'the change moves some forecast').not.toEqual(before);
    expect(await actual()).toEqual(after);
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const po = (await signUp(db, { email: 'po@example.com', displayName: 'PO', password })).id;
    productId = (await createProduct(db, po, { name: 'Forecast', description: '' })).id;
    ids = Array.from({ length: 60 }, () => randomUUID());
    ranks = ranksForCount(200);
    epic = ids[59];
    await db.insert(backlogItems).values(
      ids.map((id, i) => ({
        id,
        productId,
        rank: ranks[i * 3 + 1],
        type: id === epic ? ('epic' as const) : ('story' as const),
        title: `Item ${i + 1}`,
        estimate: i % 9 === 8 ? null : [1, 2, 3, 5, 8][i % 5],
        parentId: i === 10 || i === 30 ? epic : null,
        status: i < 6 ? ('accepted' as const) : ('ready' as const),
      })),
    );
    // Three closed sprints delivered the first six items (velocities 3, 8, 9), and a fourth one runs.
    for (const [s, delivered] of [
      [0, [0, 1]],
      [1, [2, 3]],
      [2, [4, 5]],
    ] as const) {
      const [sprint] = await db
        .insert(sprints)
        .values({
          productId,
          name: `Sprint ${s + 1}`,
          startDate: `2026-0${s + 1}-05`,
          endDate: `2026-0${s + 1}-16`,
          state: 'closed',
          closedAt: new Date(`2026-0${s + 1}-16T17:00:00Z`),
        })
        .returning({ id: sprints.id });
      await db.insert(sprintItems).values(
        delivered.map((i) => ({
          sprintId: sprint.id,
          itemId: ids[i],
          statusBefore: 'ready' as const,
          pointsAtReview: [1, 2, 3, 5, 8][i % 5],
          outcome: 'accepted' as const,
        })),
      );
    }
    running = (
      await db
        .insert(sprints)
        .values({
          productId,
          name: 'Sprint 4',
          startDate: '2026-04-06',
          endDate: '2026-04-17',
          state: 'active',
        })
        .returning({ id: sprints.id })
    )[0].id;
    await db
      .insert(sprintItems)
      .values({ sprintId: running, itemId: ids[20], statusBefore: 'ready', pointsAtCommit: 5 });
  });

  afterAll(async () => {
    forecastCache.clear();
    await database.close();
  });

  beforeEach(() => {
    forecastCache.clear();
  });

  const item = (i: number) => eq(backlogItems.id, ids[i]);
  const update = (i: number, values: Partial<typeof backlogItems.$inferInsert>) =>
    database.db.update(backlogItems).set(values).where(item(i));

  it('gives every open item the cell of the whole forecast, and none to items that are not forecast', async () => {
    const cells = await actual();
    expect(cells).toEqual(await expected());
    expect(cells[ids[0]]).toBeNull(); // accepted
    expect(cells[ids[20]]).toBe('now'); // in the running sprint
    expect(cells[ids[6]]).toBe('5'); // 2 points at the top after the running sprint (4)
    expect(cells[epic]).toBe(cells[ids[30]]); // an epic is done with its last child
    const summary = await forecastCells(database.db, productId);
    expect(summary.history).toMatchObject({
      velocities: [3, 8, 9],
      runningSprint: 'Sprint 4',
      firstSprint: 5,
    });
  });

  it('sees a move', () => afterChange(() => update(50, { rank: ranks[0] })));

  it('sees an estimate change, to a number and to none', async () => {
    await afterChange(() => update(7, { estimate: 40 }));
    await afterChange(() => update(7, { estimate: null }));
  });

  it('sees items leave and return to the open order (done, accepted, archived, restored)', async () => {
    await afterChange(() => update(8, { status: 'done' }));
    await afterChange(() => update(9, { status: 'archived' }));
    await afterChange(() => update(11, { status: 'accepted' }));
    await afterChange(() => update(8, { status: 'ready' }));
  });

  it('sees a new item and a deleted one', async () => {
    const added = randomUUID();
    await afterChange(() =>
      database.db
        .insert(backlogItems)
        .values({ id: added, productId, rank: ranks[2], title: 'New', estimate: 13, status: 'new' }),
    );
    await afterChange(() => database.db.delete(backlogItems).where(eq(backlogItems.id, added)));
  });

  it('sees a parent change: a child joins an epic, and the epic loses its children', async () => {
    await afterChange(() => update(55, { parentId: epic }));
    await afterChange(async () => {
      await database.db.update(backlogItems).set({ parentId: null }).where(eq(backlogItems.parentId, epic));
    });
  });

  it('sees the running sprint’s items change', async () => {
    await afterChange(() =>
      database.db
        .insert(sprintItems)
        .values({ sprintId: running, itemId: ids[40], statusBefore: 'ready', pointsAtCommit: 3 }),
    );
    await afterChange(() =>
      database.db
        .update(sprintItems)
        .set({ removedAt: new Date() })
        .where(and(eq(sprintItems.sprintId, running), eq(sprintItems.itemId, ids[40]))),
    );
  });

  it('sees a closed sprint’s velocity change, the running sprint close and the next one start', async () => {
    await afterChange(() =>
      database.db.update(sprintItems).set({ pointsAtReview: 30 }).where(eq(sprintItems.itemId, ids[0])),
    );
    await afterChange(async () => {
      await database.db
        .update(sprintItems)
        .set({ outcome: 'accepted', pointsAtReview: 5 })
        .where(eq(sprintItems.sprintId, running));
      await update(20, { status: 'accepted' });
      await database.db.update(sprints).set({ state: 'closed' }).where(eq(sprints.id, running));
    });
    await afterChange(async () => {
      const [next] = await database.db
        .insert(sprints)
        .values({
          productId,
          name: 'Sprint 5',
          startDate: '2026-04-20',
          endDate: '2026-05-01',
          state: 'active',
        })
        .returning({ id: sprints.id });
      await database.db
        .insert(sprintItems)
        .values({ sprintId: next.id, itemId: ids[45], statusBefore: 'ready', pointsAtCommit: 2 });
    });
  });

  it('keeps no more products and items than its bounds', async () => {
    const saved = { ...forecastCacheLimits };
    try {
      forecastCacheLimits.products = 2;
      const db = database.db;
      const owner = (await signUp(db, { email: 'bounds@example.com', displayName: 'B', password })).id;
      const others = [];
      for (const n of [1, 2, 3]) {
        const other = (await createProduct(db, owner, { name: `Other ${n}`, description: '' })).id;
        await db.insert(backlogItems).values(
          ranksForCount(n * 10).map((rank, i) => ({
            productId: other,
            rank,
            title: `Item ${i}`,
            estimate: 1,
          })),
        );
        others.push(other);
      }
      for (const other of others) await forecastCells(db, other);
      expect(forecastCache.size).toBe(2);
      expect(forecastCache.items).toBe(50);
      forecastCacheLimits.items = 45;
      await forecastCells(db, others[0]);
      // 10 + 30 fit; 20 + 30 + 10 did not.
      expect(forecastCache.size).toBe(2);
      expect(forecastCache.items).toBe(40);
      forecastCacheLimits.items = 5;
      // A product larger than the whole budget is answered, not kept.
      const cells = await forecastCells(db, others[1]);
      expect(cells.cellOf('nothing')).toBeNull();
      expect(forecastCache.size).toBe(0);
      expect(forecastCache.items).toBe(0);
    } finally {
      Object.assign(forecastCacheLimits, saved);
    }
  });
});
