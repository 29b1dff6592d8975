import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { eq } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { apiClient } from '../../app/api/test-harness.server';
import { itemDocument, productDocument } from '../../app/domain/document-names';
import { criteriaField, descriptionField, readItemText } from '../../app/domain/item-text';
import { colorFor } from '../../app/domain/presence';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { backlogItems, decisions } from '../../db/schema';
import { createTestDatabaseUrl, testBackends } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';

const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const description = 'As a patient I want to book online so that I do not have to call.';
const criteria = 'Scenario: Book a slot\n  Given a free slot\n  When I book it\n  Then it is mine';

/** Types `text` at the end of the paragraph `index` of a fragment, as an editor would. */
function typeInto(doc: Y.Doc, field: string, index: number, text: string) {
  const paragraph = doc.getXmlFragment(field).get(index) as Y.XmlElement;
  const run = paragraph.get(0) as Y.XmlText;
  run.insert(run.length, text);
}

/** Replaces a fragment's paragraphs with the given lines, as an editor would after select-all and typing. */
function retype(doc: Y.Doc, field: string, lines: string[]) {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(field);
    fragment.delete(0, fragment.length);
    fragment.insert(
      0,
      lines.map((line) => {
        const p = new Y.XmlElement('paragraph');
        if (line) p.insert(0, [new Y.XmlText(line)]);
        return p;
      }),
    );
  });
}

describe.each(testBackends)('item text on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const providers: HocuspocusProvider[] = [];

  function connect(name: string, userId: string) {
    const websocketProvider = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
    });
    const client = {
      provider: undefined as unknown as HocuspocusProvider,
      scope: null as string | null,
      /** the server's answers to this client's updates: true applied, false dropped (read-only) */
      syncStatuses: [] as boolean[],
    };
    client.provider = new HocuspocusProvider({
      name,
      token: issueLiveToken(server.services.secret, userId, 'user'),
      websocketProvider,
      onAuthenticated: ({ scope }) => {
        client.scope = scope;
      },
      onMessage: ({ event }) => {
        const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
        decoding.readVarString(decoder);
        const syncStatus = 8;
        if (decoding.readVarUint(decoder) === syncStatus)
          client.syncStatuses.push(decoding.readVarUint(decoder) === 1);
      },
    });
    client.provider.attach();
    providers.push(client.provider);
    return client;
  }

  async function connected(name: string, userId: string) {
    const client = connect(name, userId);
    await waitFor('the sync', () => client.provider.isSynced);
    return client;
  }

  const row = async (itemId: string) => {
    const [item] = await server.database.db.select().from(backlogItems).where(eq(backlogItems.id, itemId));
    return item;
  };
  const decisionCount = async (itemId: string) =>
    (
      await server.database.db
        .select({ id: decisions.id })
        .from(decisions)
        .where(eq(decisions.itemId, itemId))
    ).length;
  const newItem = (
    title: string,
    fields: { description?: string; criteria?: string } = { description, criteria },
  ) => createItem(server.database.db, team.productId, team.po, { title, ...fields });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-item-text-'));
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const created = await createTestDatabaseUrl();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
    team = await seedTeam(server.database.db);
  });

  afterEach(() => {
    for (const provider of providers.splice(0)) {
      const socket = provider.configuration.websocketProvider;
      provider.destroy();
      socket.destroy();
    }
  });

  afterAll(async () => {
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds a document never edited live from the item in Postgres', async () => {
    const item = await newItem('Seeded');
    const { provider, scope } = await connected(itemDocument(item.id), team.dev);
    expect(scope).toBe('read-write');
    expect(readItemText(provider.document)).toEqual({ description, criteria });
    expect(provider.document.getXmlFragment(criteriaField).length).toBe(4);
    // The seed is stored like an edit: after a restart of the document it is the same, not seeded again.
    const stakeholder = await connected(itemDocument(item.id), team.stakeholder);
    expect(readItemText(stakeholder.provider.document)).toEqual({ description, criteria });
  });

  it('projects edits back into the item: text and updated_at, no decision, and tells backlog views', async () => {
    const item = await newItem('Projected');
    const before = await row(item.id);
    const decisionsBefore = await decisionCount(item.id);
    const watcher = await connected(productDocument(team.productId), team.stakeholder);
    const version = () => watcher.provider.document.getMap('backlog').get('version') as number | undefined;
    const versionBefore = version();

    const { provider } = await connected(itemDocument(item.id), team.dev);
    typeInto(provider.document, descriptionField, 0, ' Fast.');
    retype(provider.document, criteriaField, [
      'Scenario: Cancel',
      '  Given a booking',
      '  When I cancel it',
      '  Then the slot is free',
    ]);

    await waitFor('the projection', async () => (await row(item.id)).description === `${description} Fast.`);
    const after = await row(item.id);
    expect(after.criteria).toBe(
      'Scenario: Cancel\n  Given a booking\n  When I cancel it\n  Then the slot is free',
    );
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(await decisionCount(item.id)).toBe(decisionsBefore);
    await waitFor('the backlog change', () => version() !== versionBefore);
    expect(watcher.provider.document.getMap('backlog').get('change')).toMatchObject({
      kind: 'text_edited',
      itemIds: [item.id],
    });
  });

  it('keeps the last valid criteria while the live ones do not parse', async () => {
    const item = await newItem('Invalid');
    const { provider } = await connected(itemDocument(item.id), team.dev);
    retype(provider.document, criteriaField, [
      'Scenario: Broken',
      '  Given a step',
      '  this line is not Gherkin',
    ]);
    typeInto(provider.document, descriptionField, 0, ' Edited.');
    await waitFor(
      'the projection',
      async () => (await row(item.id)).description === `${description} Edited.`,
    );
    expect((await row(item.id)).criteria).toBe(criteria);
    // The invalid text stays in the live document for people to fix.
    expect(readItemText(provider.document).criteria).toContain('this line is not Gherkin');

    retype(provider.document, criteriaField, ['Scenario: Fixed', '  Given a step']);
    await waitFor(
      'the fixed criteria',
      async () => (await row(item.id)).criteria === 'Scenario: Fixed\n  Given a step',
    );
  });

  it("drops a stakeholder's (read-only) edit: the document and the item stay as they were", async () => {
    const item = await newItem('Read only');
    const before = await row(item.id);
    const stakeholder = await connected(itemDocument(item.id), team.stakeholder);
    expect(stakeholder.scope).toBe('readonly');
    stakeholder.provider.document.transact(() => {
      typeInto(stakeholder.provider.document, descriptionField, 0, ' Forged.');
      retype(stakeholder.provider.document, criteriaField, ['Scenario: Forged']);
    });
    await waitFor("the server's refusal", () => stakeholder.syncStatuses.includes(false));

    const serverDoc = server.collab.hocuspocus.documents.get(itemDocument(item.id))!;
    expect(readItemText(serverDoc)).toEqual({ description, criteria });
    const dev = await connected(itemDocument(item.id), team.dev);
    expect(readItemText(dev.provider.document)).toEqual({ description, criteria });
    // Longer than the store debounce: nothing was stored or projected.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = await row(item.id);
    expect({ description: after.description, criteria: after.criteria, updatedAt: after.updatedAt }).toEqual({
      description: before.description,
      criteria: before.criteria,
      updatedAt: before.updatedAt,
    });
  });

  it('puts a text changed over HTTP into the live document, so the stale live text never overwrites it', async () => {
    const item = await newItem('Over HTTP');
    const { provider } = await connected(itemDocument(item.id), team.dev);
    const { token } = await createApiToken(server.database.db, team.dev, 'test');
    const call = apiClient(server.services);
    const newDescription = 'Rewritten over the API.\n\n- with a list';
    const newCriteria = 'Scenario: From the API\n  Given a token';
    const answer = await call('PATCH', `/items/${item.id}`, {
      token,
      body: { description: newDescription, criteria: newCriteria },
    });
    expect(answer.status).toBe(200);
    await waitFor('the live text', () => readItemText(provider.document).description === newDescription);
    expect(readItemText(provider.document).criteria).toBe(newCriteria);

    // Someone keeps typing: the projection starts from the new text, not the old one.
    typeInto(provider.document, descriptionField, 0, ' Then edited live.');
    await waitFor('the projection', async () =>
      (await row(item.id)).description.includes('Then edited live.'),
    );
    expect((await row(item.id)).description).toBe(
      'Rewritten over the API. Then edited live.\n\n- with a list',
    );
    expect((await row(item.id)).criteria).toBe(newCriteria);

    // An update that does not touch the text leaves the live document (and its formatting) alone.
    const paragraph = provider.document.getXmlFragment(descriptionField).get(0);
    expect((await call('PATCH', `/items/${item.id}`, { token, body: { estimate: 3 } })).status).toBe(200);
    expect(provider.document.getXmlFragment(descriptionField).get(0)).toBe(paragraph);
  });

  it('shows others the name, id and colour of the account a client connected with, whatever it announces', async () => {
    const item = await newItem('Presence');
    const dev = await connected(itemDocument(item.id), team.dev);
    const stakeholder = await connected(itemDocument(item.id), team.stakeholder);
    const observer = await connected(itemDocument(item.id), team.po);
    dev.provider.setAwarenessField('user', { id: team.po, name: 'Olivia PO', color: '#1d4ed8' });
    stakeholder.provider.setAwarenessField('user', { id: team.stakeholder, name: 'Sam', color: '#b42318' });
    const userOf = (client: { provider: HocuspocusProvider }) =>
      observer.provider.awareness?.getStates().get(client.provider.document.clientID)?.user;
    await waitFor('the presence of both', () => Boolean(userOf(dev) && userOf(stakeholder)));
    expect(userOf(dev)).toEqual({
      id: team.dev,
      name: 'Tom Dev',
      color: colorFor(team.dev),
      readOnly: false,
    });
    expect(userOf(stakeholder)).toEqual({
      id: team.stakeholder,
      name: 'Sam Stakeholder',
      color: colorFor(team.stakeholder),
      readOnly: true,
    });
  });

  it('seeds an item without text with an empty paragraph to type into, and projects what is typed', async () => {
    const item = await newItem('Empty', {});
    const { provider } = await connected(itemDocument(item.id), team.dev);
    expect(readItemText(provider.document)).toEqual({ description: '', criteria: '' });
    expect(provider.document.getXmlFragment(descriptionField).length).toBe(1);
    typeInto(provider.document, descriptionField, 0, 'First words');
    await waitFor('the projection', async () => (await row(item.id)).description === 'First words');
  });
  it('two people typing at once into an empty criteria field share its one paragraph, each text whole', async () => {
    const item = await newItem('Typed at once', {});
    const name = itemDocument(item.id);
    const [a, b] = await Promise.all([connected(name, team.po), connected(name, team.dev)]);
    // The server made the paragraph before either could type: both bind to the same one.
    for (const client of [a, b])
      expect(client.provider.document.getXmlFragment(criteriaField).length).toBe(1);
    // Key by key after the typist's own caret, which stays after their last key (as an editor's caret does).
    const typeKeys = async (doc: Y.Doc, text: string) => {
      const run = (doc.getXmlFragment(criteriaField).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      let caret = Y.createRelativePositionFromTypeIndex(run, 0);
      for (const key of text) {
        const at = Y.createAbsolutePositionFromRelativePosition(caret, doc)!.index;
        run.insert(at, key);
        caret = Y.createRelativePositionFromTypeIndex(run, at + 1, -1);
        // let the other's keys cross on the wire, as two keyboards at once do
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const olivias = 'Scenario: PO writes first';
    const toms = 'Given a dev writes second';
    await Promise.all([typeKeys(a.provider.document, olivias), typeKeys(b.provider.document, toms)]);
    const textOf = (client: { provider: HocuspocusProvider }) =>
      readItemText(client.provider.document).criteria;
    await waitFor('both texts everywhere', () =>
      [a, b].every((c) => textOf(c).includes(olivias) && textOf(c).includes(toms)),
    );
    expect(textOf(a)).toBe(textOf(b));
    expect(textOf(a).length).toBe(olivias.length + toms.length);
    expect(a.provider.document.getXmlFragment(criteriaField).length).toBe(1);
  });

  it('gives an edited document whose criteria were emptied an empty paragraph again when it loads', async () => {
    const item = await newItem('Emptied');
    const name = itemDocument(item.id);
    const first = await connected(name, team.dev);
    first.provider.document.transact(() => {
      const fragment = first.provider.document.getXmlFragment(criteriaField);
      fragment.delete(0, fragment.length);
    });
    await waitFor('the emptied text on the server', () => {
      const doc = server.collab.hocuspocus.documents.get(name);
      return doc !== undefined && doc.getXmlFragment(criteriaField).length === 0;
    });
    for (const provider of providers.splice(0)) {
      const socket = provider.configuration.websocketProvider;
      provider.destroy();
      socket.destroy();
    }
    // Stored and unloaded once its last client left; the next load starts from the stored log.
    await waitFor('the unload', () => !server.collab.hocuspocus.documents.has(name));
    const again = await connected(name, team.dev);
    const criteria = again.provider.document.getXmlFragment(criteriaField);
    expect(criteria.length).toBe(1);
    expect((criteria.get(0) as Y.XmlElement).nodeName).toBe('paragraph');
    expect(readItemText(again.provider.document).description).toBe(description);
  });
});
