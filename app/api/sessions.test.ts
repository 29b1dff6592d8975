import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { type CallOptions, apiClient, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('sessions API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  /** every state the API published into live documents, as JSON */
  const published: string[] = [];
  const tokens: Record<string, string> = {};
  let productId: string;
  let itemIds: string[];
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const services: AppServices = {
      ...testServices(database),
      live: {
        async update(_name: string, change: (doc: Doc) => void) {
          const { Doc: YDoc } = await import('yjs');
          const doc = new YDoc();
          change(doc);
          published.push(JSON.stringify(doc.toJSON()));
        },
      },
    };
    call = apiClient(services);
    for (const name of ['po', 'team', 'stakeholder', 'outsider']) {
      await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } });
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    productId = (await call('POST', '/products', as(tokens.po, { name: 'Clinic' }))).json.id;
    for (const [name, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await call('POST', `/products/${productId}/invites`, as(tokens.po, { role }));
      await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[name]));
    }
    itemIds = [];
    for (const title of ['Book a slot', 'Cancel a booking']) {
      itemIds.push((await call('POST', `/products/${productId}/items`, as(tokens.po, { title }))).json.id);
    }
  });
  afterAll(() => database.close());

  async function startedSession(body: Record<string, unknown> = {}) {
    const created = await call(
      'POST',
      `/products/${productId}/sessions`,
      as(tokens.po, { title: 'Refinement', agenda: itemIds, ...body }),
    );
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    for (const name of ['po', 'team', 'stakeholder'])
      expect((await call('POST', `/sessions/${id}/join`, as(tokens[name], {}))).status).toBe(200);
    expect((await call('POST', `/sessions/${id}/rounds`, as(tokens.po, {}))).status).toBe(201);
    return id;
  }

  const state = async (id: string) => (await call('GET', `/sessions/${id}`, as(tokens.po))).json;

  it('runs a round: join with a live token, vote in secret, reveal, commit, summary as Markdown', async () => {
    const id = await startedSession();
    const joined = await call('POST', `/sessions/${id}/join`, as(tokens.team, {}));
    expect(joined.json).toMatchObject({ documentName: `session:${id}`, spectator: false });
    expect(joined.json.liveToken).toEqual(expect.any(String));
    expect((await call('POST', `/sessions/${id}/join`, as(tokens.stakeholder, {}))).json.spectator).toBe(
      true,
    );
    // A team member may step back to watching and in again.
    for (const spectator of [true, false]) {
      expect((await call('POST', `/sessions/${id}/spectator`, as(tokens.team, { spectator }))).status).toBe(
        204,
      );
      expect((await state(id)).participants.find((p: { name: string }) => p.name === 'team').spectator).toBe(
        spectator,
      );
    }

    expect((await call('POST', `/sessions/${id}/estimates`, as(tokens.team, { value: '13' }))).status).toBe(
      200,
    );
    expect((await call('POST', `/sessions/${id}/estimates`, as(tokens.po, { value: 'coffee' }))).status).toBe(
      200,
    );
    // Nothing anyone can ask for, and nothing published live, holds the team member's card before the reveal.
    for (const name of ['po', 'stakeholder']) {
      const seen = await call('GET', `/sessions/${id}`, as(tokens[name]));
      expect(JSON.stringify(seen.json)).not.toContain('"13"');
      expect(seen.json.current.rounds[0].voted).toHaveLength(2);
    }
    expect(published.join('\n')).not.toMatch(/"13"|"value"/);
    expect((await call('GET', `/sessions/${id}`, as(tokens.team))).json.current.rounds[0].myValue).toBe('13');

    expect((await call('POST', `/sessions/${id}/reveal`, as(tokens.po, {}))).status).toBe(204);
    const revealed = (await call('GET', `/sessions/${id}`, as(tokens.stakeholder))).json.current.rounds[0];
    expect(revealed.votes.map((v: { value: string }) => v.value).sort()).toEqual(['13', 'coffee']);
    expect(revealed.tally).toMatchObject({ median: '13', abstained: 1 });

    expect((await call('POST', `/sessions/${id}/commit`, as(tokens.po, { estimate: 13 }))).json).toEqual({
      itemId: itemIds[0],
      estimate: 13,
    });
    expect((await call('GET', `/items/${itemIds[0]}`, as(tokens.team))).json.estimate).toBe(13);
    const decisions = await call(
      'GET',
      `/products/${productId}/decisions?itemId=${itemIds[0]}`,
      as(tokens.po),
    );
    expect(decisions.json.entries[0]).toMatchObject({
      kind: 'edited',
      after: { estimate: 13 },
      sessionId: id,
    });

    expect((await call('POST', `/sessions/${id}/end`, as(tokens.po, {}))).status).toBe(204);
    const markdown = await call('GET', `/sessions/${id}/summary?format=markdown`, as(tokens.stakeholder));
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(markdown.text).toContain('| Book a slot | – → 13 |');
    const listed = await call('GET', `/products/${productId}/sessions`, as(tokens.stakeholder));
    expect(listed.json.sessions.find((s: { id: string }) => s.id === id)).toMatchObject({
      state: 'ended',
      participants: 3,
    });
  });

  it('refuses forged commands with a clear 4xx and changes nothing', async () => {
    const id = await startedSession();
    await call('POST', `/sessions/${id}/estimates`, as(tokens.team, { value: '5' }));
    const before = await state(id);

    const refusals: Array<[string, string, string, unknown, number, RegExp]> = [
      ['reveal by a non-facilitator', '/reveal', tokens.team, {}, 403, /facilitator/],
      ['estimate by a non-participant', '/estimates', tokens.outsider, { value: '3' }, 404, /session/],
      ['estimate by a spectator', '/estimates', tokens.stakeholder, { value: '3' }, 403, /Spectators/],
      [
        'a stakeholder switching to estimating',
        '/spectator',
        tokens.stakeholder,
        { spectator: false },
        403,
        /Stakeholders/,
      ],
      ['a value not on the deck', '/estimates', tokens.team, { value: '4' }, 400, /not a card/],
      ['an unknown field', '/estimates', tokens.team, { value: '3', secret: true }, 400, /secret/],
      [
        'a phase the kind does not have',
        '/phase',
        tokens.po,
        { phase: 'voting' },
        400,
        /phase must be one of/,
      ],
      ['split with no stories', '/split', tokens.po, { children: [] }, 400, /at least one/],
      ['commit before the reveal', '/commit', tokens.po, { estimate: 5 }, 409, /Reveal/],
    ];
    for (const [what, path, token, body, status, detail] of refusals) {
      const answer = await call('POST', `/sessions/${id}${path}`, as(token, body));
      expect(answer.status, what).toBe(status);
      expect(answer.headers.get('content-type'), what).toContain('application/problem+json');
      expect(JSON.stringify(answer.json), what).toMatch(detail);
    }
    expect(await state(id)).toEqual(before);

    await call('POST', `/sessions/${id}/reveal`, as(tokens.po, {}));
    const afterReveal = await call('POST', `/sessions/${id}/estimates`, as(tokens.team, { value: '8' }));
    expect(afterReveal.status).toBe(409);
    expect((await state(id)).current.rounds[0].votes).toEqual([expect.objectContaining({ value: '5' })]);

    await call('POST', `/sessions/${id}/end`, as(tokens.po, {}));
    const ended = await state(id);
    for (const [path, token, body] of [
      ['/rounds', tokens.po, {}],
      ['/estimates', tokens.team, { value: '3' }],
      ['/phase', tokens.po, { phase: 'refining' }],
      ['/hand', tokens.team, { raised: true }],
      ['/join', tokens.team, {}],
    ] as const) {
      const answer = await call('POST', `/sessions/${id}${path}`, as(token, body));
      expect(answer.status, path).toBe(409);
      expect(answer.json.detail).toMatch(/ended/);
    }
    expect(await state(id)).toEqual(ended);
  });

  it('answers 404 for sessions of other products and unknown ids', async () => {
    const id = await startedSession();
    expect((await call('GET', `/sessions/${id}`, as(tokens.outsider))).status).toBe(404);
    expect((await call('GET', '/sessions/not-a-uuid', as(tokens.po))).status).toBe(404);
    expect((await call('POST', `/sessions/${crypto.randomUUID()}/join`, as(tokens.po, {}))).status).toBe(404);
  });
});
