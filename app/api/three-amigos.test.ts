import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeRows, encodeRows } from '~/components/backlog/row-codec';
import type { AppServices } from '~/context';
import { itemDocument, sessionDocument } from '~/domain/document-names';
import { criteriaField, criteriaText } from '~/domain/item-text';
import { listFilterSchema } from '~/services/backlog/items.server';
import { backlogView } from '~/services/backlog/overview.server';
import { sessionSummary } from '~/services/sessions/summary.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

/** A live channel that keeps each document, so a test reads what an open editor or room would show. */
function keepingServices(database: Database): { services: AppServices; docs: Map<string, Y.Doc> } {
  const docs = new Map<string, Y.Doc>();
  const services: AppServices = {
    ...testServices(database),
    live: {
      async update(name, change) {
        let doc = docs.get(name);
        if (!doc) {
          doc = new Y.Doc();
          docs.set(name, doc);
        }
        const d = doc;
        d.transact(() => change(d));
      },
    },
  };
  return { services, docs };
}

const criteria = 'Scenario: Books a visit\n  Given a free slot\n  When I book it\n  Then it is mine';
const declined =
  'Scenario: Slot taken meanwhile\n  Given a slot someone else just booked\n  When I book it\n  Then I am told to pick another';

describe.each(testBackends)('three amigos through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let docs: Map<string, Y.Doc>;
  let tokens: Record<string, string>;
  let userIds: Record<string, string>;
  let productId: string;
  let otherProductId: string;
  let storyId: string;
  let blockerId: string;
  let foreignItemId: string;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const createAmigos = (body: Record<string, unknown>, token = tokens.po) =>
    post(`/products/${productId}/sessions`, token, {
      title: 'Booking: three amigos',
      kind: 'three_amigos',
      agenda: [storyId],
      developerId: userIds.dev,
      testerId: userIds.qa,
      ...body,
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const kept = keepingServices(database);
    docs = kept.docs;
    call = apiClient(kept.services);
    ({ tokens, userIds, productId } = await apiTeam(call, {
      dev: 'team_member',
      qa: 'team_member',
      otherdev: 'team_member',
      watcher: 'stakeholder',
      outsider: null,
    }));
    storyId = (await post(`/products/${productId}/items`, tokens.po, { title: 'Book a visit', criteria }))
      .json.id;
    blockerId = (await post(`/products/${productId}/items`, tokens.po, { title: 'Calendar API' })).json.id;
    otherProductId = (await post('/products', tokens.outsider, { name: 'Elsewhere' })).json.id;
    foreignItemId = (await post(`/products/${otherProductId}/items`, tokens.outsider, { title: 'Secret' }))
      .json.id;
  });
  afterAll(() => database.close());

  it('lets only the product owner create one, for one item of the product, with a developer and a tester of the team', async () => {
    expect((await createAmigos({}, tokens.dev)).status).toBe(403);
    expect((await createAmigos({ testerId: undefined })).status).toBe(400);
    expect((await createAmigos({ testerId: userIds.dev })).json.detail).toMatch(/two different people/);
    expect((await createAmigos({ testerId: userIds.watcher })).json.detail).toMatch(/team member/);
    expect((await createAmigos({ developerId: userIds.outsider })).status).toBe(400);
    expect((await createAmigos({ agenda: [storyId, blockerId] })).json.detail).toMatch(/exactly one/);
    expect((await createAmigos({ agenda: [foreignItemId] })).status).toBe(400);
    expect((await createAmigos({ agenda: [] })).status).toBe(400);
  });

  it('runs a whole session: notes, cases live in the criteria, the three marks, the decision log and the readiness', async () => {
    const created = await createAmigos({});
    expect(created.status).toBe(201);
    const sessionId = created.json.id as string;
    const before = await call('GET', `/items/${storyId}`, as(tokens.po));
    expect(before.json.threeAmigos).toBeNull();

    const view = await call('GET', `/sessions/${sessionId}`, as(tokens.dev));
    expect(view.status).toBe(200);
    expect(view.json.threeAmigos.myPart).toBe('developer');
    expect(view.json.threeAmigos.people.map((p: { name: string; part: string }) => [p.name, p.part])).toEqual(
      [
        ['po', 'product_owner'],
        ['dev', 'developer'],
        ['qa', 'tester'],
      ],
    );
    expect(
      (await call('GET', `/sessions/${sessionId}`, as(tokens.watcher))).json.threeAmigos.myPart,
    ).toBeNull();
    expect((await call('GET', `/sessions/${sessionId}`, as(tokens.outsider))).status).toBe(404);

    // The developer's list.
    const question = await post(`/sessions/${sessionId}/notes`, tokens.dev, {
      kind: 'question',
      text: 'What if the clinic closes that day?',
    });
    expect(question.status).toBe(201);
    // The first thing one of the three does starts the session.
    expect(view.json.session.state).toBe('planned');
    expect((await call('GET', `/sessions/${sessionId}`, as(tokens.po))).json.session.state).toBe('running');
    const answered = await post(`/sessions/${sessionId}/notes`, tokens.dev, {
      kind: 'question',
      text: 'Can a visit be moved?',
    });
    expect(
      (
        await post(`/sessions/${sessionId}/notes/answer`, tokens.po, {
          noteId: answered.json.id,
          answered: true,
        })
      ).status,
    ).toBe(204);
    const dependency = await post(`/sessions/${sessionId}/notes`, tokens.dev, {
      kind: 'dependency',
      text: 'Needs the calendar API',
      linkedItemId: blockerId,
    });
    expect(dependency.status).toBe(201);
    expect((await call('GET', `/items/${storyId}`, as(tokens.po))).json.blockedBy).toEqual([blockerId]);
    expect(
      (
        await post(`/sessions/${sessionId}/notes`, tokens.dev, {
          kind: 'assumption',
          text: 'Slots are 15 minutes',
        })
      ).status,
    ).toBe(201);

    // The tester's case goes into the criteria, in Postgres and in the item's live text.
    const added = await post(`/sessions/${sessionId}/cases`, tokens.qa, { scenario: declined });
    expect(added.status).toBe(201);
    expect(added.json.name).toBe('Slot taken meanwhile');
    const item = await call('GET', `/items/${storyId}`, as(tokens.po));
    expect(item.json.criteria).toBe(`${criteria}\n\n${declined}`);
    expect(item.json.criteriaScenarios.map((s: { name: string }) => s.name)).toEqual([
      'Books a visit',
      'Slot taken meanwhile',
    ]);
    const liveText = criteriaText(docs.get(itemDocument(storyId))!.getXmlFragment(criteriaField));
    expect(liveText).toContain('Scenario: Slot taken meanwhile');
    // The room's public state has the notes and the case; never anything else.
    const state = (
      docs.get(sessionDocument(sessionId))!.getMap('session').toJSON() as {
        state: { amigos: { notes: Array<{ kind: string }> } };
      }
    ).state;
    expect(state.amigos.notes.map((n) => n.kind)).toEqual([
      'question',
      'question',
      'dependency',
      'assumption',
      'case',
    ]);

    // The three mark a shared understanding; taking it back counts too.
    const mark = (who: string, agreed: boolean) =>
      post(`/sessions/${sessionId}/understanding`, tokens[who], { agreed });
    expect((await mark('po', true)).json).toMatchObject({ ended: false });
    expect((await mark('dev', true)).json).toMatchObject({ ended: false });
    expect((await mark('dev', false)).json.marked).toEqual([userIds.po]);
    expect((await mark('qa', true)).json).toMatchObject({ ended: false });
    const last = await mark('dev', true);
    expect(last.status).toBe(200);
    expect(last.json.ended).toBe(true);

    const ended = await call('GET', `/sessions/${sessionId}`, as(tokens.po));
    expect(ended.json.session.state).toBe('ended');
    expect((await mark('po', false)).status).toBe(409);
    expect((await post(`/sessions/${sessionId}/cases`, tokens.qa, { scenario: declined })).status).toBe(409);

    const log = await call(
      'GET',
      `/products/${productId}/decisions?kind=three_amigos_held`,
      as(tokens.watcher),
    );
    expect(log.json.entries).toHaveLength(1);
    expect(log.json.entries[0].itemId).toBe(storyId);
    expect(log.json.entries[0].after).toMatchObject({
      participants: [
        { name: 'po', part: 'product_owner' },
        { name: 'dev', part: 'developer' },
        { name: 'qa', part: 'tester' },
      ],
      cases: ['Scenario: Slot taken meanwhile'],
      openQuestions: ['What if the clinic closes that day?'],
    });

    // The session's summary (page and Markdown) records the three, their notes and the case, for a watcher too.
    const summary = await sessionSummary(database.db, sessionId, userIds.watcher);
    expect(summary.threeAmigos).toMatchObject({
      agreed: true,
      people: [
        { name: 'po', part: 'Product owner', marked: true },
        { name: 'dev', part: 'Developer', marked: true },
        { name: 'qa', part: 'Tester', marked: true },
      ],
      dependencies: [expect.objectContaining({ on: expect.any(String) })],
      assumptions: [expect.any(String)],
    });
    expect(summary.threeAmigos?.questions.map((q) => [q.text, q.answered])).toContainEqual([
      'What if the clinic closes that day?',
      false,
    ]);
    expect(summary.threeAmigos?.cases).toEqual([declined]);

    // The backlog's readiness badge marks the story, and only it.
    const { rows } = await backlogView(database.db, productId, userIds.watcher, listFilterSchema.parse({}));
    expect(rows.filter((r) => r.threeAmigos).map((r) => r.id)).toEqual([storyId]);
    // ... and the page's compact rows carry it to the list.
    expect(
      decodeRows(encodeRows(rows.map((r) => ({ ...r, forecast: null }))))
        .filter((r) => r.threeAmigos)
        .map((r) => r.id),
    ).toEqual([storyId]);

    const after = await call('GET', `/items/${storyId}`, as(tokens.watcher));
    expect(after.json.threeAmigos).toMatchObject({ with: ['po', 'dev', 'qa'], sessionId });
  });

  it('refuses everyone but the three, and each of the three outside their part', async () => {
    const sessionId = (await createAmigos({ title: 'Again' })).json.id as string;
    const note = { kind: 'question', text: 'Who pays?' };
    // Only the developer records notes.
    for (const who of ['po', 'qa', 'otherdev', 'watcher'])
      expect((await post(`/sessions/${sessionId}/notes`, tokens[who], note)).status).toBe(403);
    expect((await post(`/sessions/${sessionId}/notes`, tokens.outsider, note)).status).toBe(404);
    // Only the tester adds cases.
    for (const who of ['po', 'dev', 'otherdev', 'watcher'])
      expect((await post(`/sessions/${sessionId}/cases`, tokens[who], { scenario: declined })).status).toBe(
        403,
      );
    // Only the three mark.
    for (const who of ['otherdev', 'watcher'])
      expect((await post(`/sessions/${sessionId}/understanding`, tokens[who], { agreed: true })).status).toBe(
        403,
      );
    expect(
      (await post(`/sessions/${sessionId}/understanding`, tokens.outsider, { agreed: true })).status,
    ).toBe(404);
  });

  it('refuses malformed Gherkin, huge text, another product’s item and bad fields with 400 or 404', async () => {
    const sessionId = (await createAmigos({ title: 'Bad input' })).json.id as string;
    const bad = await post(`/sessions/${sessionId}/cases`, tokens.qa, {
      scenario: 'the slot is taken, then what',
    });
    expect(bad.status).toBe(400);
    const stray = await post(`/sessions/${sessionId}/cases`, tokens.qa, {
      scenario: 'Scenario: Taken\n  the slot is gone\n  Then I am told',
    });
    expect(stray.status).toBe(400);
    expect(stray.json.detail).toMatch(/must be a step/);
    expect(
      (
        await post(`/sessions/${sessionId}/cases`, tokens.qa, {
          scenario: `Scenario: X\n  Given ${'y'.repeat(5000)}`,
        })
      ).status,
    ).toBe(400);
    expect(
      (await post(`/sessions/${sessionId}/cases`, tokens.qa, { scenario: declined, extra: 1 })).status,
    ).toBe(400);
    expect(
      (await post(`/sessions/${sessionId}/notes`, tokens.dev, { kind: 'question', text: 'x'.repeat(1001) }))
        .status,
    ).toBe(400);
    expect(
      (await post(`/sessions/${sessionId}/notes`, tokens.dev, { kind: 'rumour', text: 'x' })).status,
    ).toBe(400);
    expect(
      (
        await post(`/sessions/${sessionId}/notes`, tokens.dev, {
          kind: 'dependency',
          text: 'x',
          linkedItemId: foreignItemId,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await post(`/sessions/${sessionId}/notes`, tokens.dev, {
          kind: 'dependency',
          text: 'x',
          linkedItemId: storyId,
        })
      ).status,
    ).toBe(400);
    expect(
      (await post(`/sessions/${sessionId}/notes/answer`, tokens.dev, { noteId: storyId, answered: true }))
        .status,
    ).toBe(404);
    expect((await post(`/sessions/${sessionId}/understanding`, tokens.po, { agreed: 'yes' })).status).toBe(
      400,
    );
    // Nothing reached the criteria.
    expect((await call('GET', `/items/${storyId}`, as(tokens.po))).json.criteriaScenarios).toHaveLength(2);
  });

  it('refuses a member removed from the product, or no longer on the team, in the middle of a session', async () => {
    const sessionId = (await createAmigos({ title: 'Midway' })).json.id as string;
    expect((await post(`/sessions/${sessionId}/understanding`, tokens.qa, { agreed: true })).status).toBe(
      200,
    );
    expect(
      (
        await call(
          'PATCH',
          `/products/${productId}/members/${userIds.dev}`,
          as(tokens.po, { role: 'stakeholder' }),
        )
      ).status,
    ).toBe(200);
    expect(
      (await post(`/sessions/${sessionId}/notes`, tokens.dev, { kind: 'question', text: 'Still here?' }))
        .status,
    ).toBe(403);
    expect((await post(`/sessions/${sessionId}/understanding`, tokens.dev, { agreed: true })).status).toBe(
      403,
    );
    expect((await call('DELETE', `/products/${productId}/members/${userIds.qa}`, as(tokens.po))).status).toBe(
      204,
    );
    expect((await post(`/sessions/${sessionId}/cases`, tokens.qa, { scenario: declined })).status).toBe(404);
    expect((await post(`/sessions/${sessionId}/understanding`, tokens.qa, { agreed: false })).status).toBe(
      404,
    );
  });
});
