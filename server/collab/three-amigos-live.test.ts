import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../app/services/accounts.server';
import { createItem } from '../../app/services/backlog/items.server';
import { acceptInvite, createInvite } from '../../app/services/invites.server';
import { createProduct } from '../../app/services/products.server';
import { joinAsGuest } from '../../app/services/sessions/guests.server';
import { createSession } from '../../app/services/sessions/sessions.server';
import { seedTeam } from '../../app/services/testing/team.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { decideAccess } from './auth-extension';

/**
 * Three amigos (issue 18): who may open the session's live document and the story's live text. The three and
 * every other member of the product may watch the session (read-only, as every session document: changes are
 * commands over HTTP); the story's text is writable for the roles that edit items; outsiders and guests get
 * nothing, and the session has no guest link.
 */
describe.each(testBackends)('three amigos live documents on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let tester: string;
  let outsider: string;
  let sessionId: string;
  let storyId: string;
  let joinCode: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { db } = database;
    team = await seedTeam(db, 'Clinic');
    tester = (await signUp(db, { email: 'qa@example.com', displayName: 'Tess QA', password: team.password }))
      .id;
    outsider = (await signUp(db, { email: 'out@example.com', displayName: 'Otto', password: team.password }))
      .id;
    const invite = await createInvite(db, team.productId, team.po, { role: 'team_member', expiresInDays: 7 });
    await acceptInvite(db, invite.token, tester);
    await createProduct(db, outsider, { name: 'Elsewhere', description: '' });
    storyId = (await createItem(db, team.productId, team.po, { title: 'Book a visit' })).id;
    const session = await createSession(db, team.productId, team.po, {
      title: 'Amigos',
      kind: 'three_amigos',
      agenda: [storyId],
      developerId: team.dev,
      testerId: tester,
    });
    sessionId = session.id;
    joinCode = session.joinCode;
  });
  afterAll(() => database.close());

  const open = (kind: 'session' | 'item', id: string, user: string) =>
    decideAccess(database.db, { kind, id }, { kind: 'user', id: user });

  it('lets the three and the product’s watchers follow the session read-only, and refuses outsiders', async () => {
    for (const user of [team.po, team.dev, tester, team.stakeholder]) {
      expect(await open('session', sessionId, user)).toMatchObject({ ok: true, readOnly: true });
    }
    expect(await open('session', sessionId, outsider)).toMatchObject({ ok: false });
  });

  it('lets the developer and the tester write the story’s text, a stakeholder only read it, an outsider nothing', async () => {
    expect(await open('item', storyId, team.dev)).toMatchObject({ ok: true, readOnly: false });
    expect(await open('item', storyId, tester)).toMatchObject({ ok: true, readOnly: false });
    expect(await open('item', storyId, team.stakeholder)).toMatchObject({ ok: true, readOnly: true });
    expect(await open('item', storyId, outsider)).toMatchObject({ ok: false });
  });

  it('has no guest link: nobody joins by its code, so no guest ever opens its documents', async () => {
    await expect(
      joinAsGuest(database.db, 'test-secret', joinCode, { displayName: 'Guest' }),
    ).rejects.toMatchObject({
      status: expect.any(Number),
    });
  });
});
