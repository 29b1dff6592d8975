import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { liveSessions, notifications } from '../../../db/schema';
import { testBackends } from '../../../db/test-database';
import { guestActor } from './access.server';
import { setPhase } from './commands.server';
import { castDots } from './dot-votes.server';
import { joinAsGuest } from './guests.server';
import { setVoting } from './prioritisation.server';
import { createSession } from './sessions.server';
import { outcome, votingProduct } from './vote-test-fixtures';

// The room's Voting step opens the vote: a prioritisation room that says "Voting" while nobody can vote leaves
// everyone waiting for a second button.
describe.each(testBackends)('moving a prioritisation room to its Voting step on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof votingProduct>>['team'];
  let itemIds: string[];
  beforeAll(async () => {
    ({ database, team, itemIds } = await votingProduct(kind, ['A', 'B']));
  }, 60_000);
  afterAll(() => database?.close());

  const newSession = () =>
    createSession(database.db, team.productId, team.po, {
      title: `Votes ${Math.random()}`,
      kind: 'prioritisation',
      agenda: itemIds,
      methods: ['dots'],
    } as never);
  const stateOf = async (id: string) =>
    (await database.db.select().from(liveSessions).where(eq(liveSessions.id, id)))[0];
  const toldOf = async (id: string) =>
    (
      await database.db
        .select({ data: notifications.data })
        .from(notifications)
        .where(and(eq(notifications.kind, 'votes_opened'), eq(notifications.userId, team.stakeholder)))
    ).filter((n) => (n.data as { sessionId?: string }).sessionId === id);

  it('opens the vote once, tells the product’s people, and guests can vote', async () => {
    const session = await newSession();
    const guest = await joinAsGuest(
      database.db,
      'voting-open-test-secret-at-least-32-chars',
      session.joinCode!,
      {
        displayName: 'Gail',
      },
    );
    const actor = guestActor(guest.participantId);
    expect(
      await outcome(castDots(database.db, session.id, actor, { itemId: itemIds[0], dots: 1 })),
    ).toMatchObject({
      refused: 'conflict',
    });
    await setPhase(database.db, session.id, team.po, 'voting');
    expect(await stateOf(session.id)).toMatchObject({
      phase: 'voting',
      voting: 'open',
      startedAt: expect.any(Date),
    });
    expect(await castDots(database.db, session.id, actor, { itemId: itemIds[0], dots: 1 })).toMatchObject({
      used: 1,
    });
    expect(await toldOf(session.id)).toHaveLength(1);
    // Back to the lobby and to Voting again: still open, nobody told twice.
    await setPhase(database.db, session.id, team.po, 'lobby');
    await setPhase(database.db, session.id, team.po, 'voting');
    expect((await stateOf(session.id)).voting).toBe('open');
    expect(await toldOf(session.id)).toHaveLength(1);
  });

  it('leaves a vote closed on purpose closed', async () => {
    const session = await newSession();
    await setVoting(database.db, session.id, team.po, 'open');
    await setVoting(database.db, session.id, team.po, 'close');
    await setPhase(database.db, session.id, team.po, 'results');
    await setPhase(database.db, session.id, team.po, 'voting');
    expect(await stateOf(session.id)).toMatchObject({ phase: 'voting', voting: 'closed' });
  });

  it('is the facilitator’s alone', async () => {
    const session = await newSession();
    expect(await outcome(setPhase(database.db, session.id, team.stakeholder, 'voting'))).toMatchObject({
      refused: 'forbidden',
    });
    expect((await stateOf(session.id)).voting).toBe('not_open');
  });
});
