import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { backlogItems, decisions, sprintItems } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { createItem } from '~/services/backlog/items.server';
import { joinSession } from '~/services/sessions/commands.server';
import { seedTeam } from '~/services/testing/team.server';
import { addItemToSprint, setItemDone } from './planning.server';
import {
  acceptItem,
  rejectItem,
  reviewFeedbackForItem,
  setCriterionResult,
  startReview,
} from './review.server';
import { createSprint, updateSprint } from './sprints.server';

describe.each(testBackends)('sprint services on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    await updateDefinition(database.db, team.productId, team.po, {
      kind: 'done',
      checklist: [{ id: 'tests', text: 'Tests' }],
    });
  });
  afterAll(() => database.close());

  const sprint = (name: string) =>
    createSprint(database.db, team.productId, team.po, {
      name,
      startDate: '2026-11-02',
      endDate: '2026-11-13',
    });

  it('puts an item into one open sprint only, even when two people pull it at once', async () => {
    const item = await createItem(database.db, team.productId, team.po, { title: 'Contested', estimate: 3 });
    const [a, b] = await Promise.all([sprint('A'), sprint('B')]);
    const results = await Promise.allSettled([
      addItemToSprint(database.db, a.id, team.dev, { itemId: item.id }),
      addItemToSprint(database.db, b.id, team.po, { itemId: item.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rows = await database.db.select().from(sprintItems).where(eq(sprintItems.itemId, item.id));
    expect(rows).toHaveLength(1);
    const logged = await database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.itemId, item.id), eq(decisions.kind, 'sprint_item_added')));
    expect(logged).toHaveLength(1);
  });

  it('records one outcome: a reject goes through while an accept of the unmet item is refused, and the feedback stays for the next refinement', async () => {
    const s = await sprint('Race');
    const item = await createItem(database.db, team.productId, team.po, { title: 'Raced', estimate: 5 });
    await addItemToSprint(database.db, s.id, team.dev, { itemId: item.id });
    await updateSprint(database.db, s.id, team.po, { state: 'active' });
    await setItemDone(database.db, s.id, item.id, team.dev, true);
    const review = await startReview(database.db, s.id, team.po);
    await joinSession(database.db, review.sessionId, team.po);
    await setCriterionResult(database.db, s.id, item.id, team.po, { line: 'dod:tests', met: false });
    const outcomes = await Promise.allSettled([
      rejectItem(database.db, s.id, item.id, team.po, {
        feedback: [{ line: 'dod:tests', needed: 'A test for the empty calendar' }],
      }),
      acceptItem(database.db, s.id, item.id, team.po, {}),
    ]);
    expect(outcomes[0].status).toBe('fulfilled');
    expect(outcomes[1].status).toBe('rejected');
    const [row] = await database.db.select().from(backlogItems).where(eq(backlogItems.id, item.id));
    expect(row.status).toBe('rejected');
    expect(await reviewFeedbackForItem(database.db, item.id)).toMatchObject([
      {
        sprintName: 'Race',
        outcome: 'rejected',
        unmet: [{ line: 'dod:tests', label: 'Tests', feedback: 'A test for the empty calendar' }],
      },
    ]);
  });
});
