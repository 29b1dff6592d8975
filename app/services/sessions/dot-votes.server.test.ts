import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../db/client';
import { dotVotes } from '../../../db/schema';
import { testBackends } from '../../../db/test-database';
import { joinSession } from './commands.server';
import { castDots } from './dot-votes.server';
import { removeParticipant, setVoting } from './prioritisation.server';
import { outcome, votingProduct, votingSession } from './vote-test-fixtures';

describe.each(testBackends)('dot votes written together (group commit) on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof votingProduct>>['team'];
  let itemIds: string[];

  beforeAll(async () => {
    ({ database, team, itemIds } = await votingProduct(kind, ['A', 'B', 'C']));
  }, 60_000);
  afterAll(() => database?.close());

  it('never lets concurrent votes of one person exceed the budget, and answers each with what was stored', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 12, ['dots']);
    // Each guest asks for 3 + 3 + 3 dots at once: with a budget of 5 at most one or two of the three can land.
    const votes = actors.flatMap((actor) =>
      itemIds.map((itemId) => ({
        actor,
        itemId,
        answer: outcome(castDots(db, id, actor, { itemId, dots: 3 })),
      })),
    );
    const answers = await Promise.all(votes.map((v) => v.answer));
    const stored = await db.select().from(dotVotes).where(eq(dotVotes.sessionId, id));
    for (const actor of actors) {
      const participantId = actor.slice('guest:'.length);
      const mine = stored.filter((row) => row.participantId === participantId);
      expect(mine.reduce((sum, row) => sum + row.dots, 0)).toBeLessThanOrEqual(5);
      const accepted = votes.filter((v, i) => v.actor === actor && !('refused' in (answers[i] as object)));
      expect(accepted.map((v) => v.itemId).sort()).toEqual(mine.map((row) => row.itemId).sort());
    }
    expect(answers.filter((a) => 'refused' in (a as object))).toContainEqual({
      refused: 'conflict',
      detail: expect.stringMatching(/over your budget of 5 dots/),
    });
  });

  it('writes a burst of votes in a few transactions, not one each', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 40, ['dots']);
    const transaction = vi.spyOn(db, 'transaction');
    try {
      const answers = await Promise.all(
        actors.map((actor, i) => castDots(db, id, actor, { itemId: itemIds[i % 3], dots: 2 })),
      );
      expect(answers.every((a) => a.used === 2 && a.left === 3)).toBe(true);
      expect(transaction.mock.calls.length).toBeLessThanOrEqual(5);
    } finally {
      transaction.mockRestore();
    }
    const stored = await db.select().from(dotVotes).where(eq(dotVotes.sessionId, id));
    expect(stored.reduce((sum, row) => sum + row.dots, 0)).toBe(80);
  });

  it('refuses each bad vote in a batch on its own and counts the good ones', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 3, ['dots']);
    const other = await votingSession(database.db, team, itemIds, 1, ['dots']);
    const [removed, kept, alsoKept] = actors;
    await removeParticipant(db, id, team.po, removed.slice('guest:'.length));
    await joinSession(db, id, team.stakeholder, { spectator: true });
    const answers = await Promise.all([
      outcome(castDots(db, id, kept, { itemId: itemIds[0], dots: 2 })),
      outcome(castDots(db, id, removed, { itemId: itemIds[0], dots: 2 })),
      outcome(castDots(db, id, other.actors[0], { itemId: itemIds[0], dots: 2 })),
      outcome(castDots(db, id, team.stakeholder, { itemId: itemIds[0], dots: 1 })),
      outcome(castDots(db, id, alsoKept, { itemId: '00000000-0000-4000-8000-000000000000', dots: 1 })),
      outcome(castDots(db, id, alsoKept, { itemId: itemIds[1], dots: 4 })),
      outcome(castDots(db, id, alsoKept, { itemId: itemIds[1], dots: 3 })),
      outcome(castDots(db, id, 'not-a-user', { itemId: itemIds[1], dots: 3 })),
    ]);
    expect(answers).toEqual([
      { used: 2, left: 3 },
      { refused: 'not_found', detail: expect.stringMatching(/removed/) },
      { refused: 'not_found', detail: expect.any(String) },
      { refused: 'forbidden', detail: expect.stringMatching(/Spectators watch/) },
      { refused: 'invalid', detail: expect.stringMatching(/not on this session’s agenda/) },
      { refused: 'conflict', detail: expect.stringMatching(/At most 3 dots on one item/) },
      { used: 3, left: 2 },
      { refused: 'not_found', detail: expect.any(String) },
    ]);
    const stored = await db.select().from(dotVotes).where(eq(dotVotes.sessionId, id));
    expect(stored.map((row) => row.dots).sort()).toEqual([2, 3]);
  });

  it('refuses every vote that arrives after voting closed, and takes dots off with 0', async () => {
    const db = database.db;
    const { id, actors } = await votingSession(database.db, team, itemIds, 2, ['dots']);
    expect(await castDots(db, id, actors[0], { itemId: itemIds[2], dots: 3 })).toEqual({ used: 3, left: 2 });
    expect(await castDots(db, id, actors[0], { itemId: itemIds[2], dots: 0 })).toEqual({ used: 0, left: 5 });
    await setVoting(db, id, team.po, 'close');
    const late = await Promise.all(
      actors.map((a) => outcome(castDots(db, id, a, { itemId: itemIds[0], dots: 1 }))),
    );
    expect(late).toEqual([
      { refused: 'conflict', detail: 'Voting is closed' },
      { refused: 'conflict', detail: 'Voting is closed' },
    ]);
    expect(await db.select().from(dotVotes).where(eq(dotVotes.sessionId, id))).toEqual([]);
  });
});
