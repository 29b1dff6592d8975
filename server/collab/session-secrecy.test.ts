import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiToken } from '../../app/services/api-tokens.server';
import { createItem } from '../../app/services/backlog/items.server';
import { seedTeam } from '../../app/services/testing/team.server';
import { createTestDatabaseUrl, testBackends } from '../../db/test-database';
import { type RunningServer, startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { readPublicState } from '../../app/collab/public-state';

const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Planning-poker secrecy with a real server and real provider clients: before the reveal, nothing a participant
 * receives (every websocket frame, hence the whole document, awareness and stateless messages, and every HTTP
 * answer it may ask for) holds another participant's card.
 */
describe.each(testBackends)('poker secrecy on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  const providers: HocuspocusProvider[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-secrecy-'));
    let url: string | undefined;
    if (kind === 'postgres') {
      const created = await createTestDatabaseUrl();
      url = created.url;
      dropDatabase = created.drop;
    }
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
    // PGlite's first open takes seconds, several times that on a busy machine.
  }, 180_000);

  afterAll(async () => {
    for (const provider of providers) {
      provider.configuration.websocketProvider.destroy();
      provider.destroy();
    }
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends no card value to anyone before the reveal, and the same results to everyone after it', async () => {
    const db = server.database.db;
    const team = await seedTeam(db);
    const item = await createItem(db, team.productId, team.po, { title: 'Book a slot' });
    const apiToken = async (userId: string) => (await createApiToken(db, userId, 'test')).token;
    const tokens = {
      po: await apiToken(team.po),
      dev: await apiToken(team.dev),
      stakeholder: await apiToken(team.stakeholder),
    };
    const api = async (token: string, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api/v1${route}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };

    // T-shirt cards: their names cannot turn up in a frame by accident the way digits can.
    const created = await api(tokens.po, 'POST', `/products/${team.productId}/sessions`, {
      title: 'Secrets',
      agenda: [item.id],
      deck: 'tshirt',
    });
    expect(created.status).toBe(201);
    const sessionId = JSON.parse(created.text).id as string;

    /** Everything one participant receives: raw frames, stateless payloads, HTTP answers. */
    const received: Record<string, string[]> = { dev: [], stakeholder: [] };
    const connectAs = async (who: 'po' | 'dev' | 'stakeholder') => {
      const joined = await api(tokens[who], 'POST', `/sessions/${sessionId}/join`, {});
      expect(joined.status).toBe(200);
      const { liveToken, documentName, participantId } = JSON.parse(joined.text);
      const sink = received[who];
      const provider = new HocuspocusProvider({
        name: documentName,
        token: liveToken,
        websocketProvider: new HocuspocusProviderWebsocket({
          url: `${server.url.replace(/^http/, 'ws')}/collab`,
          WebSocketPolyfill: WebSocket,
        }),
        onMessage: ({ event }) => sink?.push(Buffer.from(event.data as ArrayBuffer).toString('latin1')),
        onStateless: ({ payload }) => sink?.push(payload),
      });
      provider.attach();
      provider.setAwarenessField('user', { participantId, name: who });
      providers.push(provider);
      await waitFor(`${who} to sync`, () => provider.isSynced);
      return provider;
    };
    await connectAs('po');
    const dev = await connectAs('dev');
    const stakeholder = await connectAs('stakeholder');
    const sessionState = (provider: HocuspocusProvider) =>
      readPublicState(provider.document) as {
        round: { voted: string[]; revealed: boolean; votes?: Array<{ value: string }> | null } | null;
      };

    expect((await api(tokens.po, 'POST', `/sessions/${sessionId}/rounds`, {})).status).toBe(201);
    expect((await api(tokens.po, 'POST', `/sessions/${sessionId}/estimates`, { value: 'XXL' })).status).toBe(
      200,
    );
    expect((await api(tokens.dev, 'POST', `/sessions/${sessionId}/estimates`, { value: 'XS' })).status).toBe(
      200,
    );
    // Both votes are visible as "voted" on every client...
    for (const provider of [dev, stakeholder])
      await waitFor('both ticks', () => sessionState(provider).round?.voted.length === 2);
    // ...and every HTTP answer the participants may ask for is collected too.
    for (const who of ['dev', 'stakeholder'] as const) {
      received[who].push((await api(tokens[who], 'GET', `/sessions/${sessionId}`)).text);
      received[who].push((await api(tokens[who], 'GET', `/sessions/${sessionId}/summary`)).text);
      received[who].push(
        (await api(tokens[who], 'GET', `/sessions/${sessionId}/summary?format=markdown`)).text,
      );
      received[who].push((await api(tokens[who], 'GET', `/products/${team.productId}/sessions`)).text);
      received[who].push((await api(tokens[who], 'GET', `/products/${team.productId}/decisions`)).text);
    }
    for (const who of ['dev', 'stakeholder'] as const) {
      const everything = received[who].join('\n');
      expect(everything, `${who} must not see the product owner's card`).not.toContain('XXL');
      expect(received[who].length, `${who} received frames and answers`).toBeGreaterThan(8);
    }
    expect(
      received.stakeholder.join('\n'),
      'the stakeholder must not see the developer’s card',
    ).not.toContain('"XS"');
    for (const provider of [dev, stakeholder]) {
      const everything =
        JSON.stringify(provider.document.toJSON()) +
        JSON.stringify([...provider.awareness!.getStates().values()]);
      expect(everything).not.toContain('XXL');
      expect(everything).not.toMatch(/"XS"/);
    }
    // The developer's own card is theirs to see.
    expect(received.dev.join('\n')).toContain('"myValue":"XS"');

    expect((await api(tokens.po, 'POST', `/sessions/${sessionId}/reveal`, {})).status).toBe(204);
    for (const provider of [dev, stakeholder])
      await waitFor('the reveal', () => sessionState(provider).round?.revealed === true);
    // Once revealed, the cards are public to the room: the live state carries them, so rooms show them at once.
    for (const provider of [dev, stakeholder])
      expect(
        sessionState(provider)
          .round?.votes?.map((v) => v.value)
          .sort(),
      ).toEqual(['XS', 'XXL']);
    const results = await Promise.all(
      (['po', 'dev', 'stakeholder'] as const).map(
        async (who) =>
          JSON.parse((await api(tokens[who], 'GET', `/sessions/${sessionId}`)).text).current.rounds[0],
      ),
    );
    for (const round of results) {
      expect(round.votes.map((v: { value: string }) => v.value).sort()).toEqual(['XS', 'XXL']);
      expect(round.tally).toEqual(results[0].tally);
    }
  });

  it('sends nobody another participant’s dots or scores, nor per-item totals, before the reveal; anonymous mode links nobody to a vote', async () => {
    const db = server.database.db;
    const team = await seedTeam(db, 'Prioritised');
    const items: string[] = [];
    for (const title of ['Reminders', 'Payments', 'Reports'])
      items.push((await createItem(db, team.productId, team.po, { title })).id);
    const po = (await createApiToken(db, team.po, 'test')).token;
    const api = async (token: string | null, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api/v1${route}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    for (const anonymous of [false, true]) {
      const created = JSON.parse(
        (
          await api(po, 'POST', `/products/${team.productId}/sessions`, {
            title: `Priorities ${anonymous}`,
            kind: 'prioritisation',
            agenda: items,
            methods: ['dots', 'wsjf'],
            anonymous,
          })
        ).text,
      );
      const guests: Array<{
        participantId: string;
        guestToken: string;
        documentName: string;
        frames: string[];
        provider?: HocuspocusProvider;
      }> = [];
      for (const name of ['Ana', 'Ben', 'Cai']) {
        const joined = await api(null, 'POST', `/join/${created.joinCode}`, { displayName: name });
        expect(joined.status).toBe(201);
        guests.push({ ...JSON.parse(joined.text), frames: [] });
      }
      for (const guest of guests) {
        guest.provider = new HocuspocusProvider({
          name: guest.documentName,
          token: guest.guestToken,
          websocketProvider: new HocuspocusProviderWebsocket({
            url: `${server.url.replace(/^http/, 'ws')}/collab`,
            WebSocketPolyfill: WebSocket,
          }),
          onMessage: ({ event }) =>
            guest.frames.push(Buffer.from(event.data as ArrayBuffer).toString('latin1')),
          onStateless: ({ payload }) => guest.frames.push(payload),
        });
        guest.provider.attach();
        providers.push(guest.provider);
        await waitFor('the guest to sync', () => guest.provider!.isSynced);
      }
      expect((await api(po, 'POST', `/sessions/${created.id}/voting/open`, {})).status).toBe(204);
      const [ana, ben, cai] = guests;
      // Distinctive values: 13 on time criticality only from Ana, 3 dots on Reports only from Ana.
      expect(
        (await api(ana.guestToken, 'POST', `/sessions/${created.id}/dots`, { itemId: items[2], dots: 3 }))
          .status,
      ).toBe(200);
      expect(
        (
          await api(ana.guestToken, 'POST', `/sessions/${created.id}/scores`, {
            itemId: items[2],
            timeCriticality: 13,
          })
        ).status,
      ).toBe(200);
      expect(
        (await api(ben.guestToken, 'POST', `/sessions/${created.id}/dots`, { itemId: items[0], dots: 1 }))
          .status,
      ).toBe(200);
      const voters = () =>
        (
          readPublicState(cai.provider!.document) as {
            voting: { voterCount: number; voted: string[] | null };
          }
        ).voting;
      await waitFor('the voter count', () => voters().voterCount === 2);
      expect(voters().voted === null).toBe(anonymous);
      for (const guest of [ben, cai]) {
        guest.frames.push((await api(guest.guestToken, 'GET', `/sessions/${created.id}`)).text);
        const results = await api(guest.guestToken, 'GET', `/sessions/${created.id}/results`);
        expect(results.status).toBe(409);
        guest.frames.push(results.text);
        const everything = guest.frames.join('\n') + JSON.stringify(guest.provider!.document.toJSON());
        expect(everything).not.toMatch(/"13"|"dots":3|"timeCriticality"/);
        expect(everything).not.toContain(`"${items[2]}","dots"`);
      }
      expect((await api(po, 'POST', `/sessions/${created.id}/voting/reveal`, {})).status).toBe(204);
      const seen = await Promise.all(
        guests.map(async (g) =>
          JSON.parse((await api(g.guestToken, 'GET', `/sessions/${created.id}/results`)).text),
        ),
      );
      for (const result of seen) {
        expect(result).toEqual(seen[0]);
        expect(result.items.find((i: { itemId: string }) => i.itemId === items[2]).dots).toBe(3);
      }
      if (anonymous) {
        expect(seen[0].participants).toBeNull();
        for (const guest of guests)
          expect(guest.frames.join('\n') + JSON.stringify(seen[0])).not.toContain(`"voted":["`);
        expect(JSON.stringify(seen[0])).not.toContain(ana.participantId);
      } else {
        expect(seen[0].participants.find((p: { name: string }) => p.name === 'Ana').dots).toEqual([
          { itemId: items[2], dots: 3 },
        ]);
      }
    }
  });
});
