import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import { archiveItems } from './archive.server';
import { archiveCandidates } from './cleanup.server';
import { createItem, updateItem } from './items.server';

const password = 'correct horse battery staple';
const day = 86_400_000;

describe.each(testBackends)('archive candidates on %s', (kind) => {
  let database: Database;
  let po: string;
  let stakeholder: string;
  let outsider: string;
  let productId: string;
  const ids: Record<string, string> = {};
  const now = new Date('2030-06-01T12:00:00Z');

  /** Sets when an item was last touched, as if nobody had changed it since. */
  async function touchedDaysAgo(id: string, days: number) {
    await database.db
      .update(backlogItems)
      .set({ updatedAt: new Date(now.getTime() - days * day) })
      .where(eq(backlogItems.id, id));
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    po = (await signUp(db, { email: 'po@example.com', displayName: 'PO', password })).id;
    stakeholder = (await signUp(db, { email: 'sh@example.com', displayName: 'SH', password })).id;
    outsider = (await signUp(db, { email: 'out@example.com', displayName: 'Out', password })).id;
    productId = (await createProduct(db, po, { name: 'Main', description: '' })).id;
    const invite = await createInvite(db, productId, po, { role: 'stakeholder', expiresInDays: 7 });
    await acceptInvite(db, invite.token, stakeholder);
    // WSJF: (b+t+r)/size. High 20/1... low 3/20.
    const scored = [
      ['high', [20, 20, 20, 1]],
      ['good', [13, 8, 5, 2]],
      ['fair', [5, 3, 2, 2]],
      ['low', [1, 1, 1, 20]],
      ['lower', [1, 1, 1, 13]],
    ] as const;
    for (const [name, [userBusinessValue, timeCriticality, riskReduction, jobSize]] of scored) {
      const item = await createItem(db, productId, po, {
        title: name,
        userBusinessValue,
        timeCriticality,
        riskReduction,
        jobSize,
      });
      ids[name] = item.id;
    }
    for (const name of ['unscored', 'stale', 'staleInSprint', 'staleDone', 'staleArchived', 'fresh']) {
      ids[name] = (await createItem(db, productId, po, { title: name })).id;
    }
    await updateItem(db, ids.staleInSprint, po, { status: 'in_sprint' });
    await updateItem(db, ids.staleDone, po, { status: 'done' });
    await archiveItems(db, productId, po, { itemIds: [ids.staleArchived], reason: 'Gone' });
    for (const name of Object.keys(ids)) await touchedDaysAgo(ids[name], 5);
    await touchedDaysAgo(ids.stale, 120);
    await touchedDaysAgo(ids.staleInSprint, 200);
    await touchedDaysAgo(ids.staleDone, 200);
    await touchedDaysAgo(ids.staleArchived, 200);
    await touchedDaysAgo(ids.lower, 95);
  });

  afterAll(async () => {
    await database.close();
  });

  it('lists untouched items and the bottom WSJF quartile, in backlog order, each with its reasons', async () => {
    const result = await archiveCandidates(database.db, productId, po, { untouchedDays: 90 }, now);
    // Scores: high 60, good 13, fair 5, low 0.15, lower 0.23: the first quartile of five is the second lowest.
    expect(result.bottomQuartile).toBe(0.23);
    expect(result.maxWsjf).toBe(0.23);
    expect(result.scoredCount).toBe(5);
    expect(result.items.map((i) => i.title)).toEqual(['low', 'lower', 'stale']);
    const byTitle = new Map(result.items.map((i) => [i.title, i]));
    expect(byTitle.get('low')!.reasons).toEqual([{ kind: 'low_wsjf', wsjf: 0.15, maxWsjf: 0.23 }]);
    expect(byTitle.get('lower')!.reasons).toEqual([
      { kind: 'untouched', days: 95 },
      { kind: 'low_wsjf', wsjf: 0.23, maxWsjf: 0.23 },
    ]);
    expect(byTitle.get('stale')!.reasons).toEqual([{ kind: 'untouched', days: 120 }]);
    // Positions are places in the whole order (archived items are out of it).
    expect(byTitle.get('low')!.position).toBe(4);
    expect(byTitle.get('stale')!.position).toBe(7);
  });

  it('never lists in-sprint, done or archived work, however old', async () => {
    const result = await archiveCandidates(
      database.db,
      productId,
      po,
      { untouchedDays: 1, maxWsjf: 1000 },
      now,
    );
    const titles = result.items.map((i) => i.title);
    expect(titles).not.toContain('staleInSprint');
    expect(titles).not.toContain('staleDone');
    expect(titles).not.toContain('staleArchived');
    expect(titles).toContain('fresh');
    expect(titles).toContain('unscored');
  });

  it('takes a chosen threshold and number of days, and no WSJF criterion when asked', async () => {
    const threshold = await archiveCandidates(
      database.db,
      productId,
      stakeholder,
      { untouchedDays: 180, maxWsjf: 5 },
      now,
    );
    expect(threshold.items.map((i) => i.title)).toEqual(['fair', 'low', 'lower']);
    expect(threshold.maxWsjf).toBe(5);
    expect(threshold.bottomQuartile).toBe(0.23);
    const ageOnly = await archiveCandidates(
      database.db,
      productId,
      po,
      { untouchedDays: 60, maxWsjf: null },
      now,
    );
    expect(ageOnly.maxWsjf).toBeNull();
    expect(ageOnly.items.map((i) => [i.title, i.reasons.map((r) => r.kind)])).toEqual([
      ['lower', ['untouched']],
      ['stale', ['untouched']],
    ]);
  });

  it('drops an archived candidate from the list', async () => {
    await archiveItems(database.db, productId, po, {
      itemIds: [ids.stale],
      reason: 'Nobody asked for it in four months',
    });
    const result = await archiveCandidates(
      database.db,
      productId,
      po,
      { untouchedDays: 90, maxWsjf: null },
      now,
    );
    expect(result.items.map((i) => i.title)).toEqual(['lower']);
  });

  it('refuses non-members and bad options without a crash', async () => {
    await expect(
      archiveCandidates(database.db, productId, outsider, { untouchedDays: 90 }, now),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      archiveCandidates(database.db, productId, po, { untouchedDays: 0 }, now),
    ).rejects.toMatchObject({
      code: 'invalid',
      extra: { field: 'untouchedDays' },
    });
    await expect(
      archiveCandidates(database.db, productId, po, { untouchedDays: 30, maxWsjf: -1 }, now),
    ).rejects.toMatchObject({
      code: 'invalid',
      extra: { field: 'maxWsjf' },
    });
  });

  it('has no WSJF criterion when nothing is scored', async () => {
    const empty = (await createProduct(database.db, po, { name: 'Empty', description: '' })).id;
    await createItem(database.db, empty, po, { title: 'Just one' });
    const result = await archiveCandidates(database.db, empty, po, { untouchedDays: 30 });
    expect(result).toMatchObject({ bottomQuartile: null, maxWsjf: null, scoredCount: 0, items: [] });
  });

  describe('beyond the next three sprints at full capacity', () => {
    let planned: string;
    const named: Record<string, string> = {};

    /** A closed sprint whose one accepted item counted `points`: its velocity. */
    async function closedSprint(n: number, points: number) {
      const db = database.db;
      const start = new Date(Date.UTC(2030, 0, 1 + (n - 1) * 14));
      const end = new Date(start.getTime() + 13 * day);
      const [sprint] = await db
        .insert(sprints)
        .values({
          productId: planned,
          name: `Sprint ${n}`,
          startDate: start.toISOString().slice(0, 10),
          endDate: end.toISOString().slice(0, 10),
          state: 'closed',
          startedAt: start,
          closedAt: end,
        })
        .returning();
      const done = await createItem(db, planned, po, { title: `Delivered in sprint ${n}`, estimate: points });
      await updateItem(db, done.id, po, { status: 'accepted' });
      await db.insert(sprintItems).values({
        sprintId: sprint.id,
        itemId: done.id,
        pointsAtCommit: points,
        statusBefore: 'ready',
        doneAt: end,
        outcome: 'accepted',
        pointsAtReview: points,
        decidedAt: end,
      });
    }

    const fresh = { untouchedDays: 90, maxWsjf: null };

    beforeAll(async () => {
      const db = database.db;
      planned = (await createProduct(db, po, { name: 'Planned', description: '' })).id;
      // 20 + 16 = 36 points fill the next three sprints at the highest velocity (12); what comes after does not fit.
      for (const [title, estimate] of [
        ['soon', 20],
        ['fills the third sprint', 16],
        ['late', 5],
        ['unestimated', null],
      ] as const) {
        named[title] = (
          await createItem(db, planned, po, estimate === null ? { title } : { title, estimate })
        ).id;
      }
      named.epic = (await createItem(db, planned, po, { title: 'Epic with a late story', type: 'epic' })).id;
      named.story = (
        await createItem(db, planned, po, { title: 'Late story', estimate: 3, parentId: named.epic })
      ).id;
    });

    it('lists nothing for that rule below three closed sprints, and says so', async () => {
      await closedSprint(1, 10);
      await closedSprint(2, 12);
      const result = await archiveCandidates(database.db, planned, po, fresh);
      expect(result.horizon).toEqual({ kind: 'no_history', sprintsOfHistory: 2 });
      expect(result.items).toEqual([]);
    });

    it('lists the items that cannot be done by the third sprint even at the highest velocity, with the sprints named', async () => {
      await closedSprint(3, 8);
      const result = await archiveCandidates(database.db, planned, po, fresh);
      expect(result.horizon).toEqual({
        kind: 'sprints',
        firstSprint: 'Sprint 4',
        lastSprint: 'Sprint 6',
        highestVelocity: 12,
        capacity: 36,
      });
      // The epic is as late as its story, but it is judged by its stories: only the story is listed.
      expect(result.items.map((i) => [i.title, i.reasons])).toEqual([
        [
          'late',
          [{ kind: 'beyond_horizon', earliest: 'Sprint 7', lastSprint: 'Sprint 6', lowerBound: false }],
        ],
        [
          'unestimated',
          [{ kind: 'beyond_horizon', earliest: 'Sprint 7', lastSprint: 'Sprint 6', lowerBound: true }],
        ],
        [
          'Late story',
          [{ kind: 'beyond_horizon', earliest: 'Sprint 7', lastSprint: 'Sprint 6', lowerBound: true }],
        ],
      ]);
    });

    it('is left out on request, and follows the estimates above: a smaller one brings the rest within the horizon', async () => {
      const off = await archiveCandidates(database.db, planned, po, { ...fresh, beyondHorizon: false });
      expect(off.beyondHorizon).toBe(false);
      expect(off.items).toEqual([]);
      await updateItem(database.db, named.soon, po, { estimate: 8 });
      const after = await archiveCandidates(database.db, planned, po, fresh);
      expect(after.items.map((i) => i.title)).toEqual([]);
    });
  });
});
