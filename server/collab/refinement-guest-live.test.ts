import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocument } from '../../app/domain/document-names';
import { readItemText } from '../../app/domain/item-text';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createItem } from '../../app/services/backlog/items.server';
import { guestActor } from '../../app/services/sessions/access.server';
import { runSessionCommand } from '../../app/services/sessions/dispatch.server';
import { joinAsGuest } from '../../app/services/sessions/guests.server';
import { createSession } from '../../app/services/sessions/sessions.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { liveUpdates } from '../../db/schema';
import { testBackends } from '../../db/test-database';
import type { RunningServer } from '../app-server';
import { createLogger } from '../logger';
import { startTestServer } from '../test-server';
import { connectLiveClient, type LiveTestClient, waitFor } from './live-test-client';

// Issue 13, item 5: a refinement guest follows the current item's description and criteria live, read-only. The
// live channel decides it on the server: only the current item of their own, running refinement, never written,
// and closed at once when the facilitator removes them.

describe.each(testBackends)('a refinement guest on the live channel, on %s', (kind) => {
  let running: Awaited<ReturnType<typeof startTestServer>>;
  let server: RunningServer;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const lines: Array<Record<string, unknown>> = [];
  const clients: LiveTestClient[] = [];
  const db = () => server.database.db;

  function connect(name: string, token: string, opts: { reconnect?: boolean } = {}): LiveTestClient {
    const client = connectLiveClient(server.url, name, token, opts);
    clients.push(client);
    return client;
  }

  const guestToken = (participantId: string) =>
    issueLiveToken(server.services.secret, participantId, 'guest');
  const userToken = (userId: string) => issueLiveToken(server.services.secret, userId, 'user');

  /** A refinement of `team` on two items (the first current), with one guest joined by the link. */
  async function refinement(kindOfSession: 'refinement' | 'prioritisation' = 'refinement') {
    const items = [];
    for (const title of ['Book a slot', 'Cancel a booking']) {
      items.push(
        await createItem(db(), team.productId, team.po, {
          title,
          description: `${title}: as a patient I want it online`,
          criteria: '',
        }),
      );
    }
    const session = await createSession(db(), team.productId, team.po, {
      title: 'Live refinement',
      kind: kindOfSession,
      agenda: items.map((i) => i.id),
    });
    const guest = await joinAsGuest(db(), server.services.secret, session.joinCode, { displayName: 'Ana' });
    return { session, items, guest };
  }

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    running = await startTestServer(kind, { LOG_LEVEL: 'info' }, createLogger('info', sink));
    server = running.server;
    team = await seedTeam(server.database.db);
  }, 180_000);

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.provider.destroy();
      client.socket.destroy();
    }
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('follows the current item read-only: sees the text and every edit, and writes nothing', async () => {
    const { items, guest } = await refinement();
    const name = itemDocument(items[0].id);
    const viewer = connect(name, guestToken(guest.participantId));
    const writer = connect(name, userToken(team.dev));
    await waitFor('both synced', () => viewer.provider.isSynced && writer.provider.isSynced);
    expect(viewer.scope).toBe('readonly');
    expect(writer.scope).toBe('read-write');
    expect(readItemText(viewer.provider.document).description).toBe(
      'Book a slot: as a patient I want it online',
    );

    // The team types; the guest sees it.
    const paragraph = writer.provider.document.getXmlFragment('description').get(0) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, 'Live: ');
    await waitFor('the edit reached the guest', () =>
      readItemText(viewer.provider.document).description.startsWith('Live: '),
    );

    // The guest types (a crafted client ignores the read-only scope): refused, never stored, never relayed.
    // Counted once the team's edit is stored (acknowledged), so only a row of the guest's could change the count.
    await waitFor('the edit stored', () => writer.provider.unsyncedChanges === 0);
    const rowsBefore = (
      await db().select({ id: liveUpdates.id }).from(liveUpdates).where(eq(liveUpdates.documentName, name))
    ).length;
    viewer.provider.document
      .getXmlFragment('criteria')
      .insert(0, [new Y.XmlText('Scenario: guest wrote this')]);
    await waitFor('the refusal', () => viewer.syncStatuses.includes(false));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const serverDoc = server.collab.hocuspocus.documents.get(name);
    expect(JSON.stringify(serverDoc?.getXmlFragment('criteria').toJSON())).not.toContain('guest wrote');
    expect(JSON.stringify(writer.provider.document.getXmlFragment('criteria').toJSON())).not.toContain(
      'guest wrote',
    );
    const rowsAfter = (
      await db().select({ id: liveUpdates.id }).from(liveUpdates).where(eq(liveUpdates.documentName, name))
    ).length;
    expect(rowsAfter).toBe(rowsBefore);

    // Presence: the guest appears under the name they joined with, as read-only (no caret), whatever they claim.
    viewer.provider.setAwarenessField('user', { id: team.po, name: 'The product owner', color: '#000' });
    const viewerId = viewer.provider.document.clientID;
    await waitFor(
      'the guest’s presence',
      () => serverDoc?.awareness.getStates().get(viewerId)?.user !== undefined,
    );
    expect(serverDoc?.awareness.getStates().get(viewerId)?.user).toMatchObject({
      id: guestActor(guest.participantId),
      name: 'Ana',
      readOnly: true,
    });
  });

  it('refuses every other item: not current, another product’s, a prioritisation guest’s, after the end', async () => {
    const { session, items, guest } = await refinement();
    const other = await seedTeam(db(), 'Other product');
    const foreign = await createItem(db(), other.productId, other.po, { title: 'Not theirs' });
    const prioritisation = await refinement('prioritisation');
    const attempts = [
      connect(itemDocument(items[1].id), guestToken(guest.participantId)),
      connect(itemDocument(foreign.id), guestToken(guest.participantId)),
      connect(itemDocument(prioritisation.items[0].id), guestToken(prioritisation.guest.participantId)),
    ];
    await waitFor('every refusal', () => attempts.every((c) => c.refused !== null));
    for (const c of attempts) expect(c.provider.isSynced).toBe(false);

    // The facilitator moves on: the next item opens, the first one no longer does.
    await runSessionCommand(server.services, 'setCurrentItem', session.id, team.po, { itemId: items[1].id });
    const next = connect(itemDocument(items[1].id), guestToken(guest.participantId));
    const previous = connect(itemDocument(items[0].id), guestToken(guest.participantId));
    await waitFor('next synced, previous refused', () => next.provider.isSynced && previous.refused !== null);

    // Once the session has ended, nothing opens.
    await runSessionCommand(server.services, 'endSession', session.id, team.po, {});
    const late = connect(itemDocument(items[1].id), guestToken(guest.participantId));
    await waitFor('the refusal after the end', () => late.refused !== null);
  });

  it('closes a removed guest’s item connection at once, and refuses them when they come back', async () => {
    const { session, items, guest } = await refinement();
    const name = itemDocument(items[0].id);
    const viewer = connect(name, guestToken(guest.participantId), { reconnect: true });
    await waitFor('synced', () => viewer.provider.isSynced);
    await runSessionCommand(server.services, 'removeParticipant', session.id, team.po, {
      participantId: guest.participantId,
    });
    await waitFor('the guest closed', () => viewer.closes.includes(4403));
    await waitFor('refused on reconnect', () => viewer.refused !== null);
    expect(
      lines.some(
        (line) =>
          line.event === 'collab_access_revoked' &&
          line.userId === guestActor(guest.participantId) &&
          line.document === name,
      ),
    ).toBe(true);
  });
});
