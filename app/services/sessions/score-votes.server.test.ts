import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../db/client';
import { sessionScores } from '../../../db/schema';
import { testBackends } from '../../../db/test-database';
import { joinSession } from './commands.server';
import { submitScores } from './score-votes.server';
import { outcome, votingProduct, votingSession } from './vote-test-fixtures';

describe.each(testBackends)('scores written together (group commit) on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof votingProduct>>['team'];
  let itemIds: string[];

  beforeAll(async () => {
    ({ database, team, itemIds } = await votingProduct(kind, ['A', 'B']));
  }, 60_000);
  afterAll(() => database?.close());

  it('writes a burst of scores in a few transactions, the latest pick of a part winning', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 30, ['wsjf', 'moscow']);
    const transaction = vi.spyOn(db, 'transaction');
    try {
      const answers = await Promise.all(
        actors.flatMap((actor) => [
          submitScores(db, id, actor, { itemId: itemIds[0], userBusinessValue: 3, moscow: 'could' }),
          submitScores(db, id, actor, { itemId: itemIds[0], userBusinessValue: 8 }),
        ]),
      );
      expect(answers.map((a) => a.parts)).toEqual(actors.flatMap(() => [2, 1]));
      expect(transaction.mock.calls.length).toBeLessThanOrEqual(5);
    } finally {
      transaction.mockRestore();
    }
    const stored = await db.select().from(sessionScores).where(eq(sessionScores.sessionId, id));
    expect(stored).toHaveLength(60);
    expect(stored.filter((s) => s.part === 'userBusinessValue').every((s) => s.value === '8')).toBe(true);
    expect(stored.filter((s) => s.part === 'moscow').every((s) => s.value === 'could')).toBe(true);
  });

  it('refuses each bad score in a batch on its own', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 2, ['wsjf']);
    await joinSession(db, id, team.dev);
    const answers = await Promise.all([
      outcome(submitScores(db, id, actors[0], { itemId: itemIds[0], jobSize: 5 })),
      outcome(submitScores(db, id, actors[0], { itemId: itemIds[0], moscow: 'must' })),
      outcome(
        submitScores(db, id, actors[1], { itemId: '00000000-0000-4000-8000-000000000000', jobSize: 5 }),
      ),
      outcome(submitScores(db, id, actors[1], { itemId: itemIds[1] })),
      outcome(submitScores(db, id, team.dev, { itemId: itemIds[1], jobSize: 5 })),
      outcome(submitScores(db, id, actors[1], { itemId: itemIds[1], timeCriticality: 13 })),
    ]);
    expect(answers).toEqual([
      { refused: 'forbidden', detail: 'Job size is given by the team' },
      { refused: 'conflict', detail: 'This session does not use moscow' },
      { refused: 'invalid', detail: expect.stringMatching(/not on this session’s agenda/) },
      { refused: 'invalid', detail: 'Give at least one score' },
      { itemId: itemIds[1], parts: 1 },
      { itemId: itemIds[1], parts: 1 },
    ]);
    const stored = await db.select().from(sessionScores).where(eq(sessionScores.sessionId, id));
    expect(stored.map((s) => `${s.part}=${s.value}`).sort()).toEqual(['jobSize=5', 'timeCriticality=13']);
  });
});
