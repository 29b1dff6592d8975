import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { apiClient } from '../../app/api/test-harness.server';
import { itemDocument, sessionDocument } from '../../app/domain/document-names';
import { criteriaField } from '../../app/domain/item-text';
import { issueLiveToken } from '../../app/domain/signed-token';
import { createApiToken } from '../../app/services/api-tokens.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { createTestDatabaseUrl, testBackends } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';

// Issue 12, item 5, through the live editor: a team member deletes, in the item's live document, the scenario the
// product owner marked not met during the review. The review's live document shows it to everyone at once, and
// the accept is still refused over HTTP until the product owner clears that tick.

const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const kept = ['Scenario: Book a free slot', '  Given a free slot', '  When I book it', '  Then it is mine'];
const removed = [
  'Scenario: A taken slot',
  '  Given a slot someone else booked',
  '  When I book it',
  '  Then I am told it is taken',
];

/** Replaces the criteria's paragraphs with these lines, as an editor would after select-all and typing. */
function retype(doc: Y.Doc, lines: string[]) {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(criteriaField);
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

describe.each(testBackends)('review checklist follows live criteria edits on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  const providers: HocuspocusProvider[] = [];

  async function connected(name: string, userId: string) {
    const websocketProvider = new HocuspocusProviderWebsocket({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({
      name,
      token: issueLiveToken(server.services.secret, userId, 'user'),
      websocketProvider,
    });
    provider.attach();
    providers.push(provider);
    await waitFor(`the sync of ${name}`, () => provider.isSynced);
    return provider;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-review-live-'));
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
  });

  afterAll(async () => {
    for (const provider of providers.splice(0)) {
      const socket = provider.configuration.websocketProvider;
      provider.destroy();
      socket.destroy();
    }
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the removed not-met line in the review room at once, and the accept stays refused until it is cleared', async () => {
    const team = await seedTeam(server.database.db);
    const call = apiClient(server.services);
    const po = (await createApiToken(server.database.db, team.po, 'po')).token;
    const dev = (await createApiToken(server.database.db, team.dev, 'dev')).token;
    const ok = async (method: string, url: string, token: string, body: unknown, status: number) => {
      const answer = await call(method, url, { token, body });
      expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.json)}`).toBe(status);
      return answer.json;
    };

    const itemId = (
      await ok(
        'POST',
        `/products/${team.productId}/items`,
        po,
        { title: 'Book a slot', estimate: 3, criteria: `${kept.join('\n')}\n\n${removed.join('\n')}` },
        201,
      )
    ).id as string;
    const sprintId = (
      await ok(
        'POST',
        `/products/${team.productId}/sprints`,
        po,
        { name: 'Sprint 1', startDate: '2026-11-02', endDate: '2026-11-13', goal: 'Patients book online' },
        201,
      )
    ).id as string;
    await ok('POST', `/sprints/${sprintId}/items`, po, { itemId, reason: 'Needed first' }, 201);
    await ok('PATCH', `/sprints/${sprintId}`, po, { state: 'active' }, 200);
    await ok('POST', `/sprints/${sprintId}/items/${itemId}/done`, dev, { done: true }, 204);
    const { sessionId } = await ok('POST', `/sprints/${sprintId}/review`, po, {}, 201);
    const lines = async () =>
      (await ok('GET', `/sprints/${sprintId}`, po, undefined, 200)).items[0] as {
        lines: Array<{ line: string; label: string }>;
        outdatedTicks: Array<{ line: string; met: boolean; reason: string }>;
      };
    const [first, second] = (await lines()).lines.map((l) => l.line);
    await ok('POST', `/sprints/${sprintId}/items/${itemId}/lines`, po, { line: first, met: true }, 204);
    await ok('POST', `/sprints/${sprintId}/items/${itemId}/lines`, po, { line: second, met: false }, 204);

    // The room watches the review's live document; the team member deletes the unmet scenario in the editor.
    const room = await connected(sessionDocument(sessionId), team.stakeholder);
    const reviewOf = () =>
      (
        room.document.getMap('review').get('state') as
          | { items: Record<string, Record<string, unknown>> }
          | undefined
      )?.items[itemId];
    const editor = await connected(itemDocument(itemId), team.dev);
    retype(editor.document, kept);
    await waitFor('the review room to show the change', () => {
      const outdated = reviewOf()?.outdated as Array<{ line: string }> | undefined;
      return outdated?.some((t) => t.line === second) ?? false;
    });
    expect(reviewOf()).toMatchObject({
      lines: { [first]: true },
      outdated: [{ line: second, label: '2. A taken slot', met: false, reason: 'removed' }],
    });
    expect((await lines()).lines.map((l) => l.line)).toEqual([first]);

    // Every remaining line is met, yet the accept is refused: the not-met tick was made on the old checklist.
    const refused = await call('POST', `/sprints/${sprintId}/items/${itemId}/accept`, {
      token: po,
      body: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(
      /“2\. A taken slot” was marked not met and the criteria changed since/,
    );
    await ok('POST', `/sprints/${sprintId}/items/${itemId}/lines`, po, { line: second, met: null }, 204);
    await waitFor(
      'the cleared tick in the room',
      () => (reviewOf()?.outdated as unknown[] | undefined)?.length === 0,
    );
    await ok('POST', `/sprints/${sprintId}/items/${itemId}/accept`, po, {}, 200);
  });
});
