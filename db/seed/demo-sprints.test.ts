import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSprints } from '../../app/services/sprints/sprints.server';
import { reviewReport, sprintView } from '../../app/services/sprints/view.server';
import type { Database } from '../client';
import { decisions, products, users } from '../schema';
import { openTestDatabase, testBackends } from '../test-database';
import { demoPeople, seedDemo } from './demo';

describe.each(testBackends)('demo sprints on %s', (kind) => {
  let database: Database;
  let productId: string;
  let owner: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    [{ id: productId }] = await database.db.select({ id: products.id }).from(products);
    [{ id: owner }] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, demoPeople[0].email));
  });
  afterAll(() => database.close());

  it('has three closed sprints with a velocity, the running Sprint 4 and a planned Sprint 5', async () => {
    const listed = await listSprints(database.db, productId, owner);
    expect(listed.sprints.map((s) => [s.name, s.state, s.velocity, s.accepted, s.rejected])).toEqual([
      ['Sprint 5', 'planned', 0, 0, 0],
      ['Sprint 4', 'active', 0, 0, 0],
      ['Sprint 3', 'closed', 10, 3, 1],
      ['Sprint 2', 'closed', 13, 3, 0],
      ['Sprint 1', 'closed', 13, 3, 1],
    ]);
    expect(listed.velocity).toEqual({ average: 12, lowest: 10, highest: 13, sprints: 3 });
    const running = await sprintView(database.db, listed.sprints[1].id, owner);
    expect(running.items.map((i) => [i.title, i.state])).toEqual([
      ['Book a first assessment online', 'done'],
      ['See free slots per clinic and therapist', 'committed'],
      ['Slot list shows times in UTC instead of clinic time', 'committed'],
    ]);
    expect(running.commitment).toMatchObject({ committed: 15, reference: 12, basis: 'velocity' });
  });

  it('reports the last review: a rejection with feedback, and feedback that became a backlog item', async () => {
    const listed = await listSprints(database.db, productId, owner);
    const report = await reviewReport(database.db, listed.sprints[2].id, owner);
    expect(report.sprint.goalMet).toBe(false);
    expect(report.rejected[0].lines.find((l) => l.met === false)).toMatchObject({
      line: 'dod:a11y',
      feedback: expect.stringMatching(/Keyboard/),
    });
    expect(report.newItems.map((n) => n.title)).toEqual(['Add the appointment to the phone calendar']);
    expect(report.feedback.map((f) => f.author)).toEqual(['Marta (Porto front desk)', 'Olivia Owner']);
    const carried = (await reviewReport(database.db, listed.sprints[3].id, owner)).unfinished;
    expect(carried).toMatchObject([
      {
        title: 'Calendar sync for therapists',
        unfinishedDecision: 'next_sprint',
        nextSprintName: 'Sprint 3',
      },
    ]);
  });

  it('logs every scope change with its sprint and points, dated within the sprints', async () => {
    const rows = await database.db.select().from(decisions).where(eq(decisions.productId, productId));
    const sprintEntries = rows.filter((r) => (r.after as { sprintId?: string } | null)?.sprintId);
    expect(new Set(sprintEntries.map((r) => r.kind))).toEqual(
      new Set([
        'sprint_created',
        'sprint_started',
        'sprint_closed',
        'sprint_item_added',
        'sprint_item_done',
        'sprint_item_accepted',
        'sprint_item_rejected',
        'sprint_item_unfinished',
        'created',
      ]),
    );
    for (const r of sprintEntries.filter((e) => e.kind.startsWith('sprint_item_'))) {
      expect(r.itemId).not.toBeNull();
      expect(r.after).toHaveProperty('points');
      expect(r.createdAt.getTime()).toBeLessThan(Date.now());
    }
  });
});
