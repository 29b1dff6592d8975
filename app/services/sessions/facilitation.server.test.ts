import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { createLogger } from '../../../server/logger';
import { apiClient, testServices } from '~/api/test-harness.server';
import { readPublicState } from '~/collab/public-state';
import type { AppServices } from '~/context';
import { AppError } from '~/domain/errors';
import { createApiToken } from '~/services/api-tokens.server';
import { createItem } from '~/services/backlog/items.server';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { removeMember } from '~/services/products.server';
import { seedTeam } from '~/services/testing/team.server';
import { guestActor } from './access.server';
import { endSession, joinSession, setCurrentItem } from './commands.server';
import { runSessionCommand } from './dispatch.server';
import { handOverCandidates, handOverSchema } from './facilitation.server';
import { joinAsGuest, setGuestLink } from './guests.server';
import { commitEstimate, revealEstimates, startEstimateRound } from './poker.server';
import { createSession } from './sessions.server';
import { sessionView } from './view.server';

/** The refusal's code, or 'allowed'. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'allowed';
}

describe.each(testBackends)('handing facilitation over, and the phase following poker, on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  /** a second team member of the product */
  let quinn: string;
  let outsider: string;
  let itemIds: string[];
  const docs = new Map<string, Y.Doc>();
  let services: Pick<AppServices, 'db' | 'live' | 'log'>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    team = await seedTeam(db);
    other = await seedTeam(db, 'Other');
    quinn = (
      await signUp(db, {
        email: `quinn-${kind}@example.com`,
        displayName: 'Quinn QA',
        password: team.password,
      })
    ).id;
    await acceptInvite(
      db,
      (await createInvite(db, team.productId, team.po, { role: 'team_member', expiresInDays: 7 })).token,
      quinn,
    );
    outsider = (
      await signUp(db, { email: `out-${kind}@example.com`, displayName: 'Out', password: team.password })
    ).id;
    itemIds = [];
    for (const title of ['Book a slot', 'Cancel a booking'])
      itemIds.push((await createItem(db, team.productId, team.po, { title })).id);
    services = {
      db,
      log: createLogger('silent'),
      live: {
        async update(name: string, change: (d: Y.Doc) => void) {
          if (!docs.has(name)) docs.set(name, new Y.Doc());
          change(docs.get(name)!);
        },
      },
    } as unknown as Pick<AppServices, 'db' | 'live' | 'log'>;
  });
  afterAll(() => database.close());

  /** A session the product owner created with Tom (a team member) facilitating, everyone joined. */
  async function sessionFacilitatedByTom() {
    const session = await createSession(database.db, team.productId, team.po, {
      title: 'Refinement',
      agenda: itemIds,
      facilitatorId: team.dev,
    });
    for (const user of [team.po, team.dev, quinn, team.stakeholder])
      await joinSession(database.db, session.id, user);
    return session.id;
  }
  const handOver = (sessionId: string, actor: string, facilitatorId: string) =>
    runSessionCommand(services, 'setFacilitator', sessionId, actor, { facilitatorId });
  const mayFacilitate = async (sessionId: string, user: string) =>
    (await sessionView(database.db, sessionId, user)).may.facilitate;

  it('lets the facilitator hand over to a team member: the controls move with it, live', async () => {
    const sessionId = await sessionFacilitatedByTom();
    expect(await mayFacilitate(sessionId, team.dev)).toBe(true);
    expect(await mayFacilitate(sessionId, quinn)).toBe(false);
    const candidates = await handOverCandidates(database.db, {
      id: sessionId,
      productId: team.productId,
      facilitatorId: team.dev,
    });
    // Product owner and team, never the facilitator themself, a stakeholder or someone of another product.
    expect(candidates.map((c) => c.userId).sort()).toEqual([team.po, quinn].sort());
    expect(candidates.every((c) => c.inRoom)).toBe(true);

    await handOver(sessionId, team.dev, quinn);
    expect(await mayFacilitate(sessionId, quinn)).toBe(true);
    expect(await mayFacilitate(sessionId, team.dev)).toBe(false);
    // The product owner keeps the controls whoever facilitates.
    expect(await mayFacilitate(sessionId, team.po)).toBe(true);
    expect(readPublicState(docs.get(`session:${sessionId}`)!)?.facilitatorId).toBe(quinn);
    // Tom no longer facilitates: he cannot take it back, nor move the room.
    expect(await refusal(handOver(sessionId, team.dev, team.dev))).toBe('forbidden');
    expect(
      await refusal(runSessionCommand(services, 'setPhase', sessionId, team.dev, { phase: 'refining' })),
    ).toBe('forbidden');
    // The product owner hands it back to Tom.
    await handOver(sessionId, team.po, team.dev);
    expect(await mayFacilitate(sessionId, team.dev)).toBe(true);
    expect(await mayFacilitate(sessionId, quinn)).toBe(false);
  });

  it('refuses anyone else, and any facilitator who may not run a session', async () => {
    const sessionId = await sessionFacilitatedByTom();
    // Who asks: a team member who does not facilitate, a stakeholder, a guest, someone of another product.
    expect(await refusal(handOver(sessionId, quinn, quinn))).toBe('forbidden');
    expect(await refusal(handOver(sessionId, team.stakeholder, quinn))).toBe('forbidden');
    await setGuestLink(database.db, sessionId, team.po, true);
    const [row] = await database.db.query.liveSessions.findMany({
      where: (s, { eq }) => eq(s.id, sessionId),
    });
    const guest = await joinAsGuest(database.db, 'secret-for-tests-0123456789abcdef', row.joinCode!, {
      displayName: 'Gwen Guest',
    });
    expect(await refusal(handOver(sessionId, guestActor(guest.participantId), quinn))).toBe('forbidden');
    expect(await refusal(handOver(sessionId, other.po, other.po))).toBe('not_found');
    expect(await refusal(handOver(sessionId, outsider, team.po))).toBe('not_found');
    // Whom: a stakeholder, the other product's owner, someone in no product, a user id that does not exist.
    expect(await refusal(handOver(sessionId, team.dev, team.stakeholder))).toBe('invalid');
    expect(await refusal(handOver(sessionId, team.dev, other.po))).toBe('invalid');
    expect(await refusal(handOver(sessionId, team.dev, outsider))).toBe('invalid');
    expect(await refusal(handOver(sessionId, team.dev, '00000000-0000-4000-8000-000000000000'))).toBe(
      'invalid',
    );
    expect(await refusal(handOver(sessionId, team.dev, team.dev))).toBe('invalid');
    // Malformed input never reaches the command: the schema refuses it.
    expect(() => handOverSchema.parse({ facilitatorId: 'not-a-uuid' })).toThrow();
    expect(() => handOverSchema.parse({ facilitatorId: quinn, extra: 1 })).toThrow();
    // Nothing changed.
    expect(await mayFacilitate(sessionId, team.dev)).toBe(true);
    // An ended session is read-only.
    await endSession(database.db, sessionId, team.dev);
    expect(await refusal(handOver(sessionId, team.po, quinn))).toBe('conflict');
  });

  it('stops a facilitator who was removed from the product', async () => {
    const sessionId = await sessionFacilitatedByTom();
    await handOver(sessionId, team.dev, quinn);
    await removeMember(
      { db: database.db, live: { update: async () => {} } } as never,
      team.productId,
      team.po,
      quinn,
    );
    expect(await refusal(handOver(sessionId, quinn, team.dev))).toBe('not_found');
    // And nobody can hand facilitation to someone who has left.
    expect(await refusal(handOver(sessionId, team.po, quinn))).toBe('invalid');
    await acceptInvite(
      database.db,
      (await createInvite(database.db, team.productId, team.po, { role: 'team_member', expiresInDays: 7 }))
        .token,
      quinn,
    );
  });

  it('over the API: the facilitator hands over (204); a team member, a stakeholder and another product cannot', async () => {
    const sessionId = await sessionFacilitatedByTom();
    const call = apiClient({ ...testServices(database), live: services.live });
    const tokenOf = async (userId: string) => (await createApiToken(database.db, userId, 'hand over')).token;
    const post = async (userId: string, facilitatorId: string) =>
      (
        await call('POST', `/sessions/${sessionId}/facilitator`, {
          token: await tokenOf(userId),
          body: { facilitatorId },
        })
      ).status;
    expect(await post(quinn, quinn)).toBe(403);
    expect(await post(team.stakeholder, quinn)).toBe(403);
    expect(await post(other.po, other.po)).toBe(404);
    expect(await post(team.dev, team.stakeholder)).toBe(400);
    expect(await post(team.dev, quinn)).toBe(204);
    expect(await mayFacilitate(sessionId, quinn)).toBe(true);
  });

  it('moves the room to estimating when a round opens, and back to refining once an estimate is committed', async () => {
    const db = database.db;
    const session = await createSession(db, team.productId, team.po, { title: 'Phases', agenda: itemIds });
    const phase = async () => (await sessionView(db, session.id, team.po)).session.phase;
    expect(await phase()).toBe('lobby');
    await joinSession(db, session.id, team.po);
    // Taking up an item in the lobby starts refining.
    await setCurrentItem(db, session.id, team.po, itemIds[1]);
    expect(await phase()).toBe('refining');
    // Opening a round: estimating, in the same command (and the live state says so).
    await runSessionCommand(services, 'startEstimateRound', session.id, team.po, {});
    expect(await phase()).toBe('estimating');
    expect(readPublicState(docs.get(`session:${session.id}`)!)?.phase).toBe('estimating');
    await revealEstimates(db, session.id, team.po);
    expect(await phase()).toBe('estimating');
    await commitEstimate(db, session.id, team.po, 3);
    expect(await phase()).toBe('refining');
    // A re-vote from wrap-up goes back to estimating too.
    await runSessionCommand(services, 'setPhase', session.id, team.po, { phase: 'wrap_up' });
    await startEstimateRound(db, session.id, team.po);
    expect(await phase()).toBe('estimating');
    // Only the facilitator opens rounds, so only they move the phase this way.
    await revealEstimates(db, session.id, team.po);
    expect(await refusal(startEstimateRound(db, session.id, team.dev))).toBe('forbidden');
    expect(await phase()).toBe('estimating');
  });
});
