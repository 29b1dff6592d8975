import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { createLogger } from '../../../server/logger';
import { apiClient, testServices } from '~/api/test-harness.server';
import { createApiToken } from '~/services/api-tokens.server';
import { nudgedIn, readNudge } from '~/collab/nudge';
import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import { guestActor } from './access.server';
import { joinSession } from './commands.server';
import { runSessionCommand } from './dispatch.server';
import { joinAsGuest, setGuestLink } from './guests.server';
import { createSession } from './sessions.server';

describe.each(testBackends)('nudging who has not voted, on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  let sessionId: string;
  let guestId: string;
  const docs = new Map<string, Y.Doc>();
  let services: Pick<AppServices, 'db' | 'live' | 'log'>;
  const doc = () => docs.get(`session:${sessionId}`) ?? new Y.Doc();

  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error instanceof AppError ? error.code : String(error);
    }
    return 'allowed';
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    other = await seedTeam(database.db, 'Other');
    services = {
      db: database.db,
      log: createLogger('silent'),
      live: {
        async update(name: string, change: (d: Y.Doc) => void) {
          if (!docs.has(name)) docs.set(name, new Y.Doc());
          change(docs.get(name)!);
        },
      },
    } as unknown as Pick<AppServices, 'db' | 'live' | 'log'>;
    const item = await createItem(database.db, team.productId, team.po, { title: 'Reports' });
    const session = await createSession(database.db, team.productId, team.po, {
      title: 'Refine',
      kind: 'refinement',
      agenda: [item.id],
    });
    sessionId = session.id;
    await joinSession(database.db, sessionId, team.po);
    await joinSession(database.db, sessionId, team.dev);
    await joinSession(database.db, sessionId, team.stakeholder);
    await setGuestLink(database.db, sessionId, team.po, true);
    const [row] = await database.db.query.liveSessions.findMany({
      where: (s, { eq }) => eq(s.id, sessionId),
    });
    const guest = await joinAsGuest(database.db, 'secret-for-tests-0123456789abcdef', row.joinCode!, {
      displayName: 'Gwen Guest',
    });
    guestId = guest.participantId;
  });
  afterAll(() => database.close());

  it('is refused while no round is open', async () => {
    expect(await refusal(runSessionCommand(services, 'nudge', sessionId, team.po, {}))).toBe('conflict');
  });

  it('names exactly who has not voted, reaches the live document, and is the facilitator’s alone', async () => {
    await runSessionCommand(services, 'startEstimateRound', sessionId, team.po, {});
    await runSessionCommand(services, 'castEstimate', sessionId, team.po, { value: '3' });

    // Nobody but the facilitator may nudge: a team member, a stakeholder, a guest, another product's owner.
    for (const actor of [team.dev, team.stakeholder, guestActor(guestId), other.po, other.dev]) {
      expect(await refusal(runSessionCommand(services, 'nudge', sessionId, actor, {}))).not.toBe('allowed');
    }
    expect(readNudge(doc())).toBeNull();

    const nudge = await runSessionCommand(services, 'nudge', sessionId, team.po, {});
    const participants = await database.db.query.sessionParticipants.findMany({
      where: (p, { eq }) => eq(p.sessionId, sessionId),
    });
    const dev = participants.find((p) => p.userId === team.dev)!;
    const po = participants.find((p) => p.userId === team.po)!;
    // Stakeholders and guests watch (no card to ask for); the product owner has voted.
    expect(nudge.participantIds).toEqual([dev.id]);
    const live = readNudge(doc());
    expect(live).toEqual(nudge);
    expect(nudgedIn(live, nudge.roundId, dev.id)).toBe(true);
    expect(nudgedIn(live, nudge.roundId, po.id)).toBe(false);
    // Public: it never carries a card.
    expect(JSON.stringify(doc().getMap('session').toJSON())).not.toContain('"3"');

    await runSessionCommand(services, 'castEstimate', sessionId, team.dev, { value: '5' });
    expect(await refusal(runSessionCommand(services, 'nudge', sessionId, team.po, {}))).toBe('conflict');
  });
  it('over the API: 204 for the facilitator; refused to a team member, a stakeholder and another product', async () => {
    await runSessionCommand(services, 'revealEstimates', sessionId, team.po, {});
    await runSessionCommand(services, 'startEstimateRound', sessionId, team.po, {});
    const call = apiClient({ ...testServices(database), live: services.live });
    const tokenOf = async (userId: string) => (await createApiToken(database.db, userId, 'nudge test')).token;
    const nudge = async (userId: string) =>
      (await call('POST', `/sessions/${sessionId}/nudge`, { token: await tokenOf(userId), body: {} })).status;
    expect(await nudge(team.dev)).toBe(403);
    expect(await nudge(team.stakeholder)).toBe(403);
    expect([403, 404]).toContain(await nudge(other.po));
    const before = readNudge(doc());
    expect(await nudge(team.po)).toBe(204);
    const after = readNudge(doc());
    expect(after?.id).not.toBe(before?.id);
    expect(after?.participantIds.length).toBe(2);
  });
});
