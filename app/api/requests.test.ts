import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequestByLink } from '~/services/requests/requests.server';
import { createSession } from '~/services/sessions/sessions.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

describe.each(testBackends)('stakeholder requests and agreed criteria through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let team: Awaited<ReturnType<typeof apiTeam>>;
  let otherProductId: string;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const base = () => `/products/${team.productId}`;
  const ask = (token: string, body: Record<string, unknown> = {}) =>
    post(`${base()}/requests`, token, {
      title: 'Export to Excel',
      problem: 'Month end takes a day',
      ...body,
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    team = await apiTeam(call, {
      team: 'team_member',
      sam: 'stakeholder',
      sue: 'stakeholder',
      leaver: 'stakeholder',
      outsider: null,
    });
    otherProductId = (await post('/products', team.tokens.outsider, { name: 'Elsewhere' })).json.id;
  });
  afterAll(() => database.close());

  it('lets a stakeholder send a request and follow it; the PO declines with a reason, accepts at the top', async () => {
    const t = team.tokens;
    const first = await ask(t.sam, {
      whoHasIt: 'Accountants',
      expectedValue: 'A day saved each month',
      deadline: '2027-01-31',
      urgent: true,
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      state: 'new',
      requesterName: 'sam',
      deadline: '2027-01-31',
      urgent: true,
    });
    const second = await ask(t.sam, { title: 'Dark mode' });
    await post(`${base()}/items`, t.po, { title: 'Already first' });

    const criteria = await post(`${base()}/prioritisation-criteria`, t.po, {
      methods: ['wsjf', 'moscow'],
      wsjfWeights: { businessValue: 2, timeCriticality: 1, riskReduction: 1 },
      urgency: 'Blocks a legal deadline',
    });
    expect(criteria.status).toBe(201);
    expect(criteria.json.version).toBe(1);

    const declineNoReason = await post(`${base()}/requests/${second.json.id}/triage`, t.po, {
      action: 'decline',
      reason: '  ',
    });
    expect(declineNoReason.status).toBe(400);
    expect(JSON.stringify(declineNoReason.json)).toContain('nothing is declined without one');
    expect(
      (await post(`${base()}/requests/${second.json.id}/triage`, t.po, { action: 'decline' })).status,
    ).toBe(400);
    const declined = await post(`${base()}/requests/${second.json.id}/triage`, t.po, {
      action: 'decline',
      reason: 'Not this year: accessibility first',
    });
    expect(declined.status).toBe(200);
    expect(declined.json).toMatchObject({
      state: 'declined',
      answer: 'Not this year: accessibility first',
      criteriaVersion: 1,
    });

    const accepted = await post(`${base()}/requests/${first.json.id}/triage`, t.po, {
      action: 'accept',
      position: 'top',
    });
    expect(accepted.json).toMatchObject({ state: 'accepted', criteriaVersion: 1 });
    const backlog = await call('GET', `${base()}/items`, as(t.team));
    expect(backlog.json.items[0]).toMatchObject({ id: accepted.json.itemId, title: 'Export to Excel' });
    const item = await call('GET', `/items/${accepted.json.itemId}`, as(t.sam));
    expect(item.json.description).toContain('Requested by sam.');

    const mine = await call('GET', `${base()}/requests`, as(t.sam));
    expect(
      mine.json.requests.map((r: { title: string; state: string; answer: string }) => [
        r.title,
        r.state,
        r.answer,
      ]),
    ).toEqual([
      ['Dark mode', 'declined', 'Not this year: accessibility first'],
      ['Export to Excel', 'accepted', ''],
    ]);
    expect(mine.json.counts).toMatchObject({ accepted: 1, declined: 1, new: 0 });
    // The requester is told of each answer in the app; nobody else is.
    const told = (await call('GET', '/me/notifications', as(t.sam))).json.notifications.filter(
      (n: { kind: string }) => n.kind === 'request_answered',
    );
    expect(told.map((n: { text: string }) => n.text).sort()).toEqual([
      'Your request “Dark mode” was declined, with a reason',
      'Your request “Export to Excel” was accepted into the backlog',
    ]);
    expect(
      (await call('GET', '/me/notifications', as(t.sue))).json.notifications.filter(
        (n: { kind: string }) => n.kind === 'request_answered',
      ),
    ).toEqual([]);

    const log = await call('GET', `${base()}/decisions?kind=request_declined`, as(t.team));
    expect(log.json.entries[0]).toMatchObject({
      reason: 'Not this year: accessibility first',
      after: { criteriaVersion: 1, criteriaVersionId: criteria.json.id, title: 'Dark mode' },
    });
    const acceptedLog = await call('GET', `${base()}/decisions?kind=request_accepted`, as(t.po));
    expect(acceptedLog.json.entries[0]).toMatchObject({
      itemId: accepted.json.itemId,
      after: { position: 'top' },
    });
    // Stakeholders do not read the answers to others' requests in the log.
    expect((await call('GET', `${base()}/decisions?kind=request_declined`, as(t.sue))).json.entries).toEqual(
      [],
    );
  });

  it('asks for more, the requester answers, and the PO merges it into an open item', async () => {
    const t = team.tokens;
    const request = (await ask(t.sue, { title: 'Faster search' })).json;
    const target = (await post(`${base()}/items`, t.po, { title: 'Search speed' })).json;
    expect(
      (await post(`${base()}/requests/${request.id}/triage`, t.po, { action: 'ask', question: '' })).status,
    ).toBe(400);
    const asked = await post(`${base()}/requests/${request.id}/triage`, t.po, {
      action: 'ask',
      question: 'Which search?',
    });
    expect(asked.json).toMatchObject({ state: 'needs_info', answer: 'Which search?' });
    expect((await post(`${base()}/requests/${request.id}/answer`, t.sam, { answer: 'Mine' })).status).toBe(
      404,
    );
    const answered = await post(`${base()}/requests/${request.id}/answer`, t.sue, {
      answer: 'Product search',
    });
    expect(answered.json.state).toBe('new');
    const read = await call('GET', `${base()}/requests/${request.id}`, as(t.sue));
    expect(read.json.messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['po', 'Which search?'],
      ['requester', 'Product search'],
    ]);
    const merged = await post(`${base()}/requests/${request.id}/triage`, t.po, {
      action: 'merge',
      itemId: target.id,
    });
    expect(merged.json).toMatchObject({ state: 'merged', itemId: target.id });
    // Decided once: not triaged again.
    expect(
      (await post(`${base()}/requests/${request.id}/triage`, t.po, { action: 'decline', reason: 'x' }))
        .status,
    ).toBe(409);
  });

  it('refuses attackers: triage by others, another’s request, other products’ ids, removed members, bad input', async () => {
    const t = team.tokens;
    const request = (await ask(t.sam, { title: 'Mine only' })).json;
    const triage = (token: string, body: unknown, path = `${base()}/requests/${request.id}/triage`) =>
      post(path, token, body);
    expect((await triage(t.sam, { action: 'decline', reason: 'no' })).status).toBe(403);
    expect((await triage(t.team, { action: 'decline', reason: 'no' })).status).toBe(403);
    expect((await triage(t.outsider, { action: 'decline', reason: 'no' })).status).toBe(404);
    // The team reads the inbox; a stakeholder reads only their own.
    expect((await call('GET', `${base()}/requests/${request.id}`, as(t.team))).status).toBe(200);
    expect((await call('GET', `${base()}/requests/${request.id}`, as(t.sue))).status).toBe(404);
    expect(
      (await call('GET', `${base()}/requests`, as(t.sue))).json.requests.some(
        (r: { id: string }) => r.id === request.id,
      ),
    ).toBe(false);
    // Another product's ids.
    const foreign = (await post(`/products/${otherProductId}/items`, t.outsider, { title: 'Theirs' })).json;
    expect((await triage(t.po, { action: 'merge', itemId: foreign.id })).status).toBe(400);
    expect(
      (await triage(t.po, { action: 'accept', position: 'after', afterItemId: foreign.id })).status,
    ).toBe(400);
    expect((await triage(t.po, { action: 'accept', position: 'after' })).status).toBe(400);
    expect(
      (
        await triage(
          t.outsider,
          { action: 'decline', reason: 'no' },
          `/products/${otherProductId}/requests/${request.id}/triage`,
        )
      ).status,
    ).toBe(404);
    expect(
      (await triage(t.po, { action: 'decline', reason: 'no' }, `${base()}/requests/not-a-uuid/triage`))
        .status,
    ).toBe(404);
    // Malformed and huge input.
    expect((await triage(t.po, { action: 'shred' })).status).toBe(400);
    expect((await triage(t.po, { action: 'decline', reason: 'x'.repeat(2001) })).status).toBe(400);
    expect((await ask(t.sam, { problem: 'x'.repeat(5001) })).status).toBe(400);
    expect((await ask(t.sam, { title: '' })).status).toBe(400);
    expect((await ask(t.sam, { deadline: '2027-02-31' })).status).toBe(400);
    expect((await ask(t.sam, { admin: true })).status).toBe(400);
    // Stakeholders cannot record a request as reached around the PO; the team can, saying who brought it.
    expect((await ask(t.sam, { channel: 'around_po', broughtBy: 'Finance' })).status).toBe(403);
    expect((await ask(t.team, { channel: 'around_po' })).status).toBe(400);
    const around = await ask(t.team, { channel: 'around_po', broughtBy: 'Head of finance' });
    expect(around.json).toMatchObject({ channel: 'around_po', requesterName: 'Head of finance' });
    // A removed member is refused.
    const leaverRequest = (await ask(t.leaver)).json;
    expect((await call('DELETE', `${base()}/members/${team.userIds.leaver}`, as(t.po))).status).toBe(204);
    expect((await ask(t.leaver)).status).toBe(404);
    expect((await call('GET', `${base()}/requests/${leaverRequest.id}`, as(t.leaver))).status).toBe(404);
    expect((await call('GET', `${base()}/requests`, as(t.leaver))).status).toBe(404);
  });

  it('versions the criteria, links them to a prioritisation session of the product, PO only', async () => {
    const t = team.tokens;
    const session = await createSession(database.db, team.productId, team.userIds.po, {
      kind: 'prioritisation',
      title: 'Q1 priorities',
    });
    const body = {
      methods: ['wsjf'],
      wsjfWeights: { businessValue: 1, timeCriticality: 3, riskReduction: 1 },
      urgency: 'A customer cannot work',
      agreedInSessionId: session.id,
    };
    const v = await post(`${base()}/prioritisation-criteria`, t.po, body);
    expect(v.status).toBe(201);
    const list = await call('GET', `${base()}/prioritisation-criteria`, as(t.sam));
    expect(list.json.versions[0]).toMatchObject({
      version: v.json.version,
      sessionTitle: 'Q1 priorities',
      createdBy: 'po',
    });
    expect(list.json.versions.map((x: { version: number }) => x.version)).toEqual([
      v.json.version,
      v.json.version - 1,
    ]);
    expect((await post(`${base()}/prioritisation-criteria`, t.team, body)).status).toBe(403);
    expect((await post(`${base()}/prioritisation-criteria`, t.outsider, body)).status).toBe(404);
    expect(
      (
        await post(`${base()}/prioritisation-criteria`, t.po, {
          ...body,
          agreedInSessionId: '00000000-0000-4000-8000-000000000000',
        })
      ).status,
    ).toBe(400);
    expect((await post(`${base()}/prioritisation-criteria`, t.po, { ...body, methods: [] })).status).toBe(
      400,
    );
    expect(
      (
        await post(`${base()}/prioritisation-criteria`, t.po, {
          ...body,
          wsjfWeights: { businessValue: 100, timeCriticality: 1, riskReduction: 1 },
        })
      ).status,
    ).toBe(400);
    const log = await call('GET', `${base()}/decisions?kind=criteria_version_agreed`, as(t.team));
    expect(log.json.entries[0]).toMatchObject({
      sessionId: session.id,
      after: { criteriaVersion: v.json.version },
    });
  });

  it('manages request links: PO only, a revoked link takes no request', async () => {
    const t = team.tokens;
    expect((await post(`${base()}/request-links`, t.team)).status).toBe(403);
    const link = (await post(`${base()}/request-links`, t.po)).json;
    const sent = await sendRequestByLink(database.db, link.token, {
      title: 'From outside',
      problem: 'No account',
      name: 'Walk-in',
      whoHasIt: '',
      expectedValue: '',
      deadline: null,
      urgent: false,
    });
    expect(sent.request).toMatchObject({ requesterName: 'Walk-in', viaLink: true, requesterId: null });
    expect(
      (await call('DELETE', `/products/${otherProductId}/request-links/${link.id}`, as(t.outsider))).status,
    ).toBe(404);
    expect((await call('DELETE', `${base()}/request-links/${link.id}`, as(t.po))).status).toBe(204);
    await expect(
      sendRequestByLink(database.db, link.token, { ...sent.request, name: 'Again', deadline: null } as never),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('describes the operations in the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    for (const path of [
      '/products/{productId}/requests',
      '/products/{productId}/requests/{requestId}',
      '/products/{productId}/requests/{requestId}/triage',
      '/products/{productId}/requests/{requestId}/answer',
      '/products/{productId}/request-links',
      '/products/{productId}/prioritisation-criteria',
    ])
      expect(doc.paths[path], path).toBeDefined();
  });
});
