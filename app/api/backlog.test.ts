import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { productDocument } from '~/domain/document-names';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { type ApiAnswer, type CallOptions, apiClient, testServices } from './test-harness.server';

const password = 'correct horse battery staple';

const criteria = [
  'Background:',
  '  Given a clinic with a booking',
  '',
  'Scenario: Pay the deposit',
  '  When I pay the deposit',
  '  Then the booking is confirmed',
  '',
  'Scenario Outline: Refunds',
  '  When I cancel <days> days ahead',
  '  Then I get <refund> back',
  '  Examples:',
  '    | days | refund |',
  '    | 7    | all    |',
  '    | 1    | half   |',
].join('\n');

interface Ctx {
  database: Database;
  call: ReturnType<typeof apiClient>;
  /** the live documents' names, in the order the API published into them */
  published: string[];
  po: string;
  team: string;
  stakeholder: string;
  outsider: string;
  productId: string;
  otherProductId: string;
}

/** Four people (owner, team member, stakeholder, outsider) and two products of the same owner. */
async function setUp(kind: 'pglite' | 'postgres'): Promise<Ctx> {
  const database = await openTestDatabase(kind);
  const published: string[] = [];
  const base = testServices(database);
  const services: AppServices = {
    ...base,
    live: {
      async update(name: string, change: (doc: Doc) => void) {
        published.push(name);
        const { Doc: YDoc } = await import('yjs');
        change(new YDoc());
      },
    },
  };
  const call = apiClient(services);
  const tokens: Record<string, string> = {};
  for (const name of ['po', 'team', 'stakeholder', 'outsider']) {
    const email = `${name}@example.com`;
    expect((await call('POST', '/users', { body: { email, displayName: name, password } })).status).toBe(201);
    tokens[name] = (await call('POST', '/tokens', { body: { email, password } })).json.token;
  }
  const productId = (await call('POST', '/products', { token: tokens.po, body: { name: 'Clinic' } })).json.id;
  const otherProductId = (await call('POST', '/products', { token: tokens.po, body: { name: 'Other' } })).json
    .id;
  for (const [name, role] of [
    ['team', 'team_member'],
    ['stakeholder', 'stakeholder'],
  ]) {
    const invite = await call('POST', `/products/${productId}/invites`, { token: tokens.po, body: { role } });
    expect((await call('POST', `/invites/${invite.json.token}/accept`, { token: tokens[name] })).status).toBe(
      200,
    );
  }
  // The Definition of Ready has no API operation of its own (yet): set it through the service.
  const poId = (await call('GET', '/me', { token: tokens.po })).json.id;
  await updateDefinition(database.db, productId, poId, {
    kind: 'ready',
    checklist: [
      { id: 'criteria', text: 'Acceptance criteria written' },
      { id: 'estimate', text: 'Estimated by the team' },
    ],
  });
  return {
    database,
    call,
    published,
    po: tokens.po,
    team: tokens.team,
    stakeholder: tokens.stakeholder,
    outsider: tokens.outsider,
    productId,
    otherProductId,
  };
}

describe.each(testBackends)('backlog API on %s', (kind) => {
  let ctx: Ctx;
  const ids: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const titles = async (query = '') =>
    (await ctx.call('GET', `/products/${ctx.productId}/items${query}`, as(ctx.po))).json.items.map(
      (i: { title: string }) => i.title,
    );

  beforeAll(async () => {
    ctx = await setUp(kind);
  });
  afterAll(async () => {
    await ctx?.database.close();
  });

  it('createBacklogItem adds items at the bottom or top, computes WSJF and publishes the change', async () => {
    const create = (body: unknown, token = ctx.po) =>
      ctx.call('POST', `/products/${ctx.productId}/items`, as(token, body));
    const epic = await create({ title: 'Online payments', type: 'epic', labels: ['payments'] });
    expect(epic.status).toBe(201);
    expect(epic.json).toMatchObject({
      productId: ctx.productId,
      title: 'Online payments',
      type: 'epic',
      status: 'new',
      position: 1,
      wsjf: null,
      labels: ['payments'],
      parentId: null,
    });
    expect(epic.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    ids.epic = epic.json.id;
    const deposit = await create({
      title: 'Pay a deposit',
      parentId: ids.epic,
      description: 'So that no-shows cost less',
      criteria,
      estimate: 5,
      userBusinessValue: 8,
      timeCriticality: 5,
      riskReduction: 3,
      jobSize: 2,
      moscow: 'must',
      labels: ['payments', 'web'],
    });
    expect(deposit.status, JSON.stringify(deposit.json)).toBe(201);
    expect(deposit.json).toMatchObject({ type: 'story', wsjf: 8, position: 2, criteria, estimate: 5 });
    ids.deposit = deposit.json.id;
    // The team adds items too.
    const invoice = await create({ title: 'Fix the invoice PDF', type: 'bug', labels: ['pdf'] }, ctx.team);
    expect(invoice.status).toBe(201);
    ids.invoice = invoice.json.id;
    const top = await create({ title: 'Spike: payment providers', type: 'spike', position: 'top' });
    expect(top.json.position).toBe(1);
    ids.spike = top.json.id;
    ids.refund = (await create({ title: 'Refund a deposit', parentId: ids.epic })).json.id;
    expect(await titles()).toEqual([
      'Spike: payment providers',
      'Online payments',
      'Pay a deposit',
      'Fix the invoice PDF',
      'Refund a deposit',
    ]);
    expect(ctx.published).toContain(productDocument(ctx.productId));
  });

  it('listBacklogItems lists in order with positions, filters and pages', async () => {
    const list = (query: string) =>
      ctx.call('GET', `/products/${ctx.productId}/items${query}`, as(ctx.stakeholder));
    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(5);
    expect(all.json.items.map((i: { position: number }) => i.position)).toEqual([1, 2, 3, 4, 5]);
    expect(all.json.items[2]).toMatchObject({ id: ids.deposit, wsjf: 8, moscow: 'must', parentId: ids.epic });
    expect(all.json.items[0].rank < all.json.items[1].rank).toBe(true);
    // Filters keep each item's place in the whole order.
    const stories = await list('?type=story');
    expect(stories.json.items.map((i: { id: string; position: number }) => [i.id, i.position])).toEqual([
      [ids.deposit, 3],
      [ids.refund, 5],
    ]);
    expect((await list('?label=web')).json.items.map((i: { id: string }) => i.id)).toEqual([ids.deposit]);
    expect((await list(`?epicId=${ids.epic}`)).json.total).toBe(3);
    expect((await list('?q=NO-SHOWS')).json.items.map((i: { id: string }) => i.id)).toEqual([ids.deposit]);
    expect((await list('?status=refined')).json).toEqual({ items: [], total: 0 });
    const page = await list('?offset=1&limit=2');
    expect(page.json.total).toBe(5);
    expect(page.json.items.map((i: { position: number }) => i.position)).toEqual([2, 3]);
    // A repeated parameter counts with its last value.
    expect((await list('?limit=1&limit=3')).json.items).toHaveLength(3);
  });

  it('getBacklogItem shows criteria as scenarios, WSJF parts and score, readiness and dependencies', async () => {
    const answer = await ctx.call('GET', `/items/${ids.deposit}`, as(ctx.stakeholder));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      id: ids.deposit,
      title: 'Pay a deposit',
      position: 3,
      userBusinessValue: 8,
      timeCriticality: 5,
      riskReduction: 3,
      jobSize: 2,
      wsjf: 8,
      criteria,
      blockedBy: [],
      readiness: {
        ready: false,
        met: 0,
        total: 2,
        missing: ['Acceptance criteria written', 'Estimated by the team'],
        blockedByDependencies: false,
        overridden: false,
      },
    });
    expect(answer.json.criteriaScenarios).toMatchObject([
      {
        index: 0,
        name: 'Pay the deposit',
        exampleRows: 0,
        steps: [{ keyword: 'When' }, { keyword: 'Then' }],
      },
      { index: 1, name: 'Refunds', exampleRows: 2 },
    ]);
    expect(answer.json).not.toHaveProperty('createdBy');
  });

  it('updateBacklogItem changes only the fields sent, rescoring WSJF and logging priority edits', async () => {
    const answer = await ctx.call('PATCH', `/items/${ids.deposit}`, {
      token: ctx.team,
      body: { jobSize: 8, title: 'Pay a deposit online', reason: 'Bigger than we thought' },
    });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toMatchObject({
      title: 'Pay a deposit online',
      jobSize: 8,
      wsjf: 2,
      estimate: 5,
      position: 3,
    });
    const log = await ctx.call(
      'GET',
      `/products/${ctx.productId}/decisions?itemId=${ids.deposit}&kind=edited`,
      {
        token: ctx.po,
      },
    );
    expect(log.json.entries).toHaveLength(1);
    expect(log.json.entries[0]).toMatchObject({
      kind: 'edited',
      before: { jobSize: 2 },
      after: { jobSize: 8 },
      reason: 'Bigger than we thought',
      actorName: 'team',
    });
  });

  it('moveBacklogItem moves before or after another item and to the top or bottom', async () => {
    const move = (itemId: string, body: unknown) =>
      ctx.call('POST', `/items/${itemId}/move`, as(ctx.po, body));
    const before = await move(ids.refund, { beforeId: ids.epic, reason: 'Refunds first' });
    expect(before.status, JSON.stringify(before.json)).toBe(200);
    expect(before.json).toMatchObject({ from: 5, to: 2, item: { id: ids.refund, position: 2 } });
    expect(await titles()).toEqual([
      'Spike: payment providers',
      'Refund a deposit',
      'Online payments',
      'Pay a deposit online',
      'Fix the invoice PDF',
    ]);
    expect((await move(ids.spike, { afterId: ids.invoice })).json).toMatchObject({ from: 1, to: 5 });
    expect((await move(ids.invoice, { position: 'top' })).json).toMatchObject({ from: 4, to: 1 });
    expect((await move(ids.epic, { position: 'bottom' })).json).toMatchObject({ from: 3, to: 5 });
    expect(await titles()).toEqual([
      'Fix the invoice PDF',
      'Refund a deposit',
      'Pay a deposit online',
      'Spike: payment providers',
      'Online payments',
    ]);
    const log = await ctx.call('GET', `/products/${ctx.productId}/decisions?kind=moved`, as(ctx.po));
    expect(log.json.entries).toHaveLength(4);
    expect(log.json.entries[3]).toMatchObject({ itemId: ids.refund, reason: 'Refunds first' });
  });

  it('archiveBacklogItem takes an item out of the order; restoreBacklogItem puts it back at the bottom', async () => {
    const archived = await ctx.call('POST', `/items/${ids.spike}/archive`, as(ctx.po, { reason: 'Decided' }));
    expect(archived.status, JSON.stringify(archived.json)).toBe(200);
    expect(archived.json).toMatchObject({ id: ids.spike, status: 'archived', position: null });
    expect(await titles()).not.toContain('Spike: payment providers');
    expect(await titles('?status=archived')).toEqual(['Spike: payment providers']);
    // Archiving again changes nothing.
    expect(
      (await ctx.call('POST', `/items/${ids.spike}/archive`, as(ctx.po, { reason: 'Again' }))).status,
    ).toBe(200);
    const restored = await ctx.call(
      'POST',
      `/items/${ids.spike}/restore`,
      as(ctx.po, { reason: 'Needed after all' }),
    );
    expect(restored.status, JSON.stringify(restored.json)).toBe(200);
    expect(restored.json).toMatchObject({ status: 'new', position: 5 });
    expect((await titles()).at(-1)).toBe('Spike: payment providers');
    const log = await ctx.call('GET', `/products/${ctx.productId}/decisions?itemId=${ids.spike}`, as(ctx.po));
    expect(log.json.entries.slice(0, 2)).toMatchObject([
      { kind: 'restored', reason: 'Needed after all' },
      { kind: 'archived', reason: 'Decided' },
    ]);
    // A restore without a reason takes an empty body.
    await ctx.call('POST', `/items/${ids.spike}/archive`, as(ctx.po, { reason: 'Out' }));
    expect((await ctx.call('POST', `/items/${ids.spike}/restore`, as(ctx.po, {}))).status).toBe(200);
  });

  it('addDependency and removeDependency link items, also across products', async () => {
    const add = (itemId: string, blockedById: string, token = ctx.team) =>
      ctx.call('POST', `/items/${itemId}/dependencies`, as(token, { blockedById }));
    const added = await add(ids.refund, ids.deposit);
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    expect(added.json).toEqual({ itemId: ids.refund, blockedById: ids.deposit, created: true });
    expect((await add(ids.refund, ids.deposit)).json.created).toBe(false);
    const elsewhere = await ctx.call(
      'POST',
      `/products/${ctx.otherProductId}/items`,
      as(ctx.po, { title: 'SSO' }),
    );
    expect((await add(ids.refund, elsewhere.json.id, ctx.po)).status).toBe(201);
    const item = await ctx.call('GET', `/items/${ids.refund}`, as(ctx.po));
    expect(item.json.blockedBy.sort()).toEqual([ids.deposit, elsewhere.json.id].sort());
    expect(item.json.readiness).toMatchObject({ blockedByDependencies: true, ready: false });
    const removed = await ctx.call(
      'DELETE',
      `/items/${ids.refund}/dependencies/${elsewhere.json.id}`,
      as(ctx.team),
    );
    expect(removed.status).toBe(204);
    expect(removed.json).toBeUndefined();
    expect((await ctx.call('GET', `/items/${ids.refund}`, as(ctx.po))).json.blockedBy).toEqual([ids.deposit]);
    const log = await ctx.call(
      'GET',
      `/products/${ctx.productId}/decisions?itemId=${ids.refund}`,
      as(ctx.po),
    );
    expect(log.json.entries.slice(0, 3).map((e: { kind: string }) => e.kind)).toEqual([
      'dependency_removed',
      'dependency_added',
      'dependency_added',
    ]);
  });

  it('listDecisions pages backwards through the log with nextBeforeId', async () => {
    const seen: number[] = [];
    let query = '?limit=4';
    for (;;) {
      const page = await ctx.call('GET', `/products/${ctx.productId}/decisions${query}`, as(ctx.stakeholder));
      expect(page.status).toBe(200);
      expect(page.json.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.json.entries.map((e: { id: number }) => e.id));
      if (page.json.nextBeforeId === null) break;
      query = `?limit=4&beforeId=${page.json.nextBeforeId}`;
    }
    expect(seen.length).toBeGreaterThan(15);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    const created = await ctx.call('GET', `/products/${ctx.productId}/decisions?kind=created`, as(ctx.po));
    expect(created.json.entries).toHaveLength(5);
    expect(created.json.entries[0]).toMatchObject({ itemId: ids.refund, actorName: 'po', before: null });
    expect(created.json.entries[0].createdAt).toMatch(/Z$/);
  });

  it('importBacklogCsv imports a Jira export; exportBacklog answers JSON and CSV; getFeatureFile the .feature', async () => {
    const csv = [
      'Summary,Issue key,Issue Type,Story Points,Epic Link,Labels',
      'Send reminders,CL-1,Story,3,Online payments,sms',
      'Remind by email,CL-2,Story,2,Online payments,',
    ].join('\r\n');
    const imported = await ctx.call('POST', `/products/${ctx.productId}/import`, as(ctx.team, { csv }));
    expect(imported.status, JSON.stringify(imported.json)).toBe(201);
    expect(imported.json.imported).toBe(2);
    expect((await titles()).slice(-2)).toEqual(['Send reminders', 'Remind by email']);
    const reminder = await ctx.call('GET', `/items/${imported.json.itemIds[0]}`, as(ctx.po));
    expect(reminder.json).toMatchObject({
      estimate: 3,
      parentId: ids.epic,
      externalKey: 'CL-1',
      labels: ['sms'],
    });

    const json = await ctx.call('GET', `/products/${ctx.productId}/export`, as(ctx.stakeholder));
    expect(json.status).toBe(200);
    expect(json.json.items.map((i: { title: string }) => i.title)).toEqual(await titles());
    expect(json.json.items.find((i: { id: string }) => i.id === ids.refund)).toMatchObject({
      blockedBy: [ids.deposit],
      parent: 'Online payments',
    });
    const file = await ctx.call('GET', `/products/${ctx.productId}/export?format=csv`, as(ctx.stakeholder));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="backlog\.csv"/);
    expect(file.text.split('\r\n')[0]).toContain('"position","rank","id"');
    expect(file.text).toContain('"Send reminders"');

    const feature = await ctx.call('GET', `/items/${ids.deposit}/feature`, as(ctx.stakeholder));
    expect(feature.status).toBe(200);
    expect(feature.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(feature.headers.get('content-disposition')).toContain('filename="pay-a-deposit-online.feature"');
    expect(feature.text).toMatch(/^Feature: Pay a deposit online\n/);
    expect(feature.text).toContain('Scenario Outline: Refunds');
    const epicFeature = await ctx.call('GET', `/items/${ids.epic}/feature`, as(ctx.po));
    expect(epicFeature.status).toBe(200);
    expect(epicFeature.text).toContain('Pay the deposit');
  });

  it('publishes every successful command into the product’s live document', () => {
    const mine = ctx.published.filter((name) => name === productDocument(ctx.productId));
    // 5 creations, 1 edit, 4 moves, 2+2 archive/restore, 2+1 links, 1 import
    expect(mine.length).toBeGreaterThanOrEqual(18);
  });
});

describe.each(testBackends)('backlog API refusals on %s', (kind) => {
  let ctx: Ctx;
  const answers: Array<{ request: string; answer: ApiAnswer }> = [];
  const ids: Record<string, string> = {};
  let otherItem: string;

  // Every answer in this suite is recorded: none of this input may produce a 5xx.
  const call = async (method: string, path: string, options?: CallOptions) => {
    const answer = await ctx.call(method, path, options);
    answers.push({ request: `${method} ${path}`, answer });
    return answer;
  };
  const expectProblem = (answer: ApiAnswer, status: number, detail?: string | RegExp, field?: string) => {
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ type: 'about:blank', status, title: expect.any(String) });
    if (typeof detail === 'string') expect(answer.json.detail).toBe(detail);
    else if (detail) expect(answer.json.detail).toMatch(detail);
    if (field) expect(answer.json.field).toBe(field);
  };
  const order = async () =>
    (await call('GET', `/products/${ctx.productId}/items`, { token: ctx.po })).json.items.map(
      (i: { id: string }) => i.id,
    );
  const decisionCount = async () =>
    (await call('GET', `/products/${ctx.productId}/decisions?limit=500`, { token: ctx.po })).json.entries
      .length;
  const item = async (id: string) => (await call('GET', `/items/${id}`, { token: ctx.po })).json;

  beforeAll(async () => {
    ctx = await setUp(kind);
    for (const title of ['A', 'B', 'C', 'D']) {
      const created = await call('POST', `/products/${ctx.productId}/items`, {
        token: ctx.po,
        body: { title },
      });
      ids[title] = created.json.id;
    }
    otherItem = (
      await call('POST', `/products/${ctx.otherProductId}/items`, { token: ctx.po, body: { title: 'X' } })
    ).json.id;
  });
  afterAll(async () => {
    await ctx?.database.close();
  });

  it('refuses an unknown field by name, and changes nothing', async () => {
    const before = await item(ids.A);
    const patch = await call('PATCH', `/items/${ids.A}`, {
      token: ctx.po,
      body: { title: 'Renamed', priority: 'high' },
    });
    expectProblem(patch, 400, 'priority: Unknown field', 'priority');
    expect(patch.json.errors).toEqual([{ field: 'priority', detail: 'Unknown field' }]);
    expect(await item(ids.A)).toEqual(before);
    expectProblem(
      await call('POST', `/products/${ctx.productId}/items`, {
        token: ctx.po,
        body: { title: 'x', rank: 'a0' },
      }),
      400,
      'rank: Unknown field',
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/move`, { token: ctx.po, body: { position: 'top', force: true } }),
      400,
      /^force: /,
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/archive`, {
        token: ctx.po,
        body: { reason: 'x', itemIds: [ids.B] },
      }),
      400,
      'itemIds: Unknown field',
    );
    expect(await order()).toEqual([ids.A, ids.B, ids.C, ids.D]);
  });

  it('names the invalid field of a body', async () => {
    const patch = (body: unknown) => call('PATCH', `/items/${ids.A}`, { token: ctx.po, body });
    expectProblem(await patch({ jobSize: 4 }), 400, /^jobSize: Use one of 1, 2, 3, 5, 8, 13, 20/, 'jobSize');
    expectProblem(await patch({ status: 'archived' }), 400, /^status: /, 'status');
    expectProblem(await patch({ title: '  ' }), 400, 'title: Title is required', 'title');
    expectProblem(
      await patch({ criteria: 'Scenario: x\n  Given a\n  Oops not a step' }),
      400,
      /line 3/,
      'criteria',
    );
    expectProblem(await patch({ readyChecks: { 'a\u0000': true } }), 400, /NUL/, 'readyChecks');
    expectProblem(
      await call('POST', `/products/${ctx.productId}/items`, {
        token: ctx.po,
        body: { title: 'x', parentId: ids.A },
      }),
      400,
      'The parent must be an epic',
      'parentId',
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/move`, {
        token: ctx.po,
        body: { beforeId: ids.B, position: 'top' },
      }),
      400,
      'position: Give exactly one of beforeId, afterId or position',
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/archive`, { token: ctx.po, body: {} }),
      400,
      /^reason: /,
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/dependencies`, { token: ctx.po, body: { blockedById: 'B' } }),
      400,
      'blockedById: blockedById must be an item id',
    );
    // Even without a reason, a restore sends a JSON object ({}).
    expectProblem(await call('POST', `/items/${ids.A}/restore`, { token: ctx.po }), 415);
    expectProblem(
      await call('POST', `/items/${ids.A}/restore`, { token: ctx.po, body: '' }),
      400,
      'Malformed JSON body: the body is empty',
    );
  });

  it('refuses a malformed or unknown query parameter by name', async () => {
    const list = (query: string) =>
      call('GET', `/products/${ctx.productId}/items${query}`, { token: ctx.po });
    expectProblem(
      await list('?limit=abc'),
      400,
      'limit: limit must be a whole number from 1 to 10000',
      'limit',
    );
    expectProblem(await list('?limit=0'), 400, /^limit: /, 'limit');
    expectProblem(await list('?limit=2.5'), 400, /^limit: /, 'limit');
    expectProblem(await list('?offset=-1'), 400, /^offset: /, 'offset');
    expectProblem(await list('?offset=1e400'), 400, /^offset: /, 'offset');
    expectProblem(await list('?type=saga'), 400, /^type: type must be one of epic/, 'type');
    expectProblem(await list('?epicId=nope'), 400, 'epicId: epicId must be the id of an epic', 'epicId');
    expectProblem(await list('?stauts=ready'), 400, 'stauts: Unknown query parameter', 'stauts');
    expectProblem(await list(`?q=${'x'.repeat(201)}`), 400, /^q: /, 'q');
    expectProblem(await list('?q=%00'), 400, 'q: must not contain the NUL character', 'q');
    expectProblem(await list('?label=a%00b'), 400, /NUL/, 'label');
    const decisions = (query: string) =>
      call('GET', `/products/${ctx.productId}/decisions${query}`, { token: ctx.po });
    expectProblem(await decisions('?limit=abc'), 400, /^limit: /, 'limit');
    expectProblem(await decisions('?limit=501'), 400, /^limit: /, 'limit');
    expectProblem(await decisions('?beforeId=99999999999999999999'), 400, /^beforeId: /, 'beforeId');
    expectProblem(await decisions('?kind=deleted'), 400, /^kind: /, 'kind');
    expectProblem(await decisions('?itemId=x'), 400, /^itemId: /, 'itemId');
    expectProblem(
      await call('GET', `/products/${ctx.productId}/export?format=xml`, { token: ctx.po }),
      400,
      'format: format must be json or csv',
    );
    // A query is checked after the token: without one, the answer is 401.
    expect((await ctx.call('GET', `/products/${ctx.productId}/items?limit=abc`)).status).toBe(401);
  });

  it('refuses a move relative to an item of another product, naming the field, and changes nothing', async () => {
    const before = await order();
    const decisions = await decisionCount();
    for (const field of ['beforeId', 'afterId']) {
      expectProblem(
        await call('POST', `/items/${ids.C}/move`, { token: ctx.po, body: { [field]: otherItem } }),
        400,
        `${field} must be an item of the same product`,
        field,
      );
      expectProblem(
        await call('POST', `/items/${ids.C}/move`, { token: ctx.po, body: { [field]: randomUUID() } }),
        400,
        undefined,
        field,
      );
    }
    expectProblem(
      await call('POST', `/items/${ids.C}/move`, { token: ctx.po, body: { beforeId: ids.C } }),
      400,
      'An item cannot be moved relative to itself',
      'beforeId',
    );
    expect(await order()).toEqual(before);
    expect(await decisionCount()).toBe(decisions);
  });

  it('refuses a dependency cycle with 409 naming the cycle, and changes nothing', async () => {
    const link = (itemId: string, blockedById: string) =>
      call('POST', `/items/${itemId}/dependencies`, { token: ctx.po, body: { blockedById } });
    expect((await link(ids.A, ids.B)).status).toBe(201);
    expect((await link(ids.B, ids.C)).status).toBe(201);
    const decisions = await decisionCount();
    const cycle = await link(ids.C, ids.A);
    expectProblem(cycle, 409, 'This link would make a cycle: C → A → B → C', 'blockedById');
    expectProblem(await link(ids.D, ids.D), 409, 'This link would make a cycle: D → D');
    expect((await item(ids.C)).blockedBy).toEqual([]);
    expect((await item(ids.D)).blockedBy).toEqual([]);
    expect(await decisionCount()).toBe(decisions);
    expectProblem(
      await link(ids.A, randomUUID()),
      400,
      'blockedById must be an existing item',
      'blockedById',
    );
  });

  it('answers 403 when a stakeholder moves or edits, and 403 when the team orders, changing nothing', async () => {
    const before = await order();
    const stakeholder = { token: ctx.stakeholder };
    expectProblem(
      await call('POST', `/items/${ids.D}/move`, { ...stakeholder, body: { position: 'top' } }),
      403,
      /stakeholder/,
    );
    expectProblem(
      await call('POST', `/items/${ids.D}/move`, { token: ctx.team, body: { position: 'top' } }),
      403,
      /team member/,
    );
    expectProblem(await call('PATCH', `/items/${ids.D}`, { ...stakeholder, body: { title: 'Mine' } }), 403);
    expectProblem(
      await call('POST', `/products/${ctx.productId}/items`, { ...stakeholder, body: { title: 'Mine' } }),
      403,
    );
    expectProblem(
      await call('POST', `/items/${ids.D}/archive`, { token: ctx.team, body: { reason: 'x' } }),
      403,
    );
    expectProblem(
      await call('POST', `/items/${ids.A}/dependencies`, { ...stakeholder, body: { blockedById: ids.D } }),
      403,
    );
    expectProblem(await call('DELETE', `/items/${ids.A}/dependencies/${ids.B}`, stakeholder), 403);
    expectProblem(
      await call('POST', `/products/${ctx.productId}/import`, {
        ...stakeholder,
        body: { csv: 'Summary\nx\n' },
      }),
      403,
    );
    expectProblem(
      await call('PATCH', `/items/${ids.D}`, { token: ctx.team, body: { status: 'accepted' } }),
      403,
      'Only the product owner accepts or rejects work',
    );
    expect(await order()).toEqual(before);
    expect((await item(ids.D)).title).toBe('D');
    // Reading is allowed.
    expect((await call('GET', `/items/${ids.D}`, stakeholder)).status).toBe(200);
  });

  it('answers 404 for unknown items, uuid or not, and for items of products the caller is not in', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', "1' or '1'='1", 'x'.repeat(300)]) {
      const at = `/items/${encodeURIComponent(id)}`;
      const token = ctx.po;
      expectProblem(await call('GET', at, { token }), 404, 'No such backlog item');
      expectProblem(await call('PATCH', at, { token, body: { title: 'x' } }), 404);
      expectProblem(await call('POST', `${at}/move`, { token, body: { position: 'top' } }), 404);
      expectProblem(await call('POST', `${at}/archive`, { token, body: { reason: 'x' } }), 404);
      expectProblem(await call('POST', `${at}/restore`, { token, body: {} }), 404);
      expectProblem(await call('POST', `${at}/dependencies`, { token, body: { blockedById: ids.A } }), 404);
      expectProblem(await call('DELETE', `${at}/dependencies/${ids.A}`, { token }), 404);
      expectProblem(
        await call('DELETE', `/items/${ids.A}/dependencies/${encodeURIComponent(id)}`, { token }),
        404,
      );
      expectProblem(await call('GET', `${at}/feature`, { token }), 404);
      const product = `/products/${encodeURIComponent(id)}`;
      expectProblem(await call('GET', `${product}/items`, { token }), 404);
      expectProblem(await call('POST', `${product}/items`, { token, body: { title: 'x' } }), 404);
      expectProblem(await call('GET', `${product}/decisions`, { token }), 404);
      expectProblem(await call('GET', `${product}/export`, { token }), 404);
      expectProblem(await call('POST', `${product}/import`, { token, body: { csv: 'Summary\nx\n' } }), 404);
    }
    const outsider = { token: ctx.outsider };
    expectProblem(await call('GET', `/items/${ids.A}`, outsider), 404, 'No such backlog item');
    expectProblem(await call('PATCH', `/items/${ids.A}`, { ...outsider, body: { title: 'x' } }), 404);
    expectProblem(
      await call('POST', `/items/${ids.A}/move`, { ...outsider, body: { position: 'top' } }),
      404,
    );
    expectProblem(await call('GET', `/items/${ids.A}/feature`, outsider), 404);
    expectProblem(await call('GET', `/products/${ctx.productId}/items`, outsider), 404);
    expectProblem(await call('GET', `/products/${ctx.productId}/decisions`, outsider), 404);
    // A dependency that does not exist.
    expectProblem(
      await call('DELETE', `/items/${ids.C}/dependencies/${ids.D}`, { token: ctx.po }),
      404,
      'No such dependency',
    );
  });

  it('answers 409 for a move or status change of an archived item and for restoring one that is not', async () => {
    expect(
      (await call('POST', `/items/${ids.D}/archive`, { token: ctx.po, body: { reason: 'Old' } })).status,
    ).toBe(200);
    expectProblem(
      await call('POST', `/items/${ids.D}/move`, { token: ctx.po, body: { position: 'top' } }),
      409,
    );
    expectProblem(await call('PATCH', `/items/${ids.D}`, { token: ctx.po, body: { status: 'ready' } }), 409);
    expectProblem(
      await call('POST', `/items/${ids.C}/move`, { token: ctx.po, body: { afterId: ids.D } }),
      400,
      'afterId is archived and not in the order',
      'afterId',
    );
    expectProblem(
      await call('POST', `/items/${ids.C}/restore`, { token: ctx.po, body: {} }),
      409,
      'This item is not archived',
    );
    expectProblem(
      await call('PATCH', `/items/${ids.C}`, { token: ctx.po, body: { status: 'ready' } }),
      409,
      /^This item is not ready: the Definition of Ready is not met \(Acceptance criteria written; Estimated/,
      'status',
    );
    // A is blocked by B, which is not done: ticking every line is not enough.
    const ticked = await call('PATCH', `/items/${ids.A}`, {
      token: ctx.po,
      body: { readyChecks: { criteria: true, estimate: true }, status: 'ready' },
    });
    expectProblem(ticked, 409, /blocked by an unfinished item/);
    expect((await item(ids.A)).status).toBe('new');
  });

  it('refuses an import with broken rows, listing each line, and imports nothing', async () => {
    const before = await order();
    const csv = ['Summary,Issue Type,Story Points', 'Good,Story,3', ',Story,2', 'Odd,Saga,1'].join('\n');
    const answer = await call('POST', `/products/${ctx.productId}/import`, { token: ctx.po, body: { csv } });
    expectProblem(answer, 400, /^2 rows have errors; nothing was imported\. Line 3:/, 'csv');
    expect(answer.json.rows.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(answer.json.rows[0].reason).toEqual(expect.any(String));
    expectProblem(
      await call('POST', `/products/${ctx.productId}/import`, { token: ctx.po, body: { csv: '' } }),
      400,
      'csv: The CSV file is empty',
    );
    expectProblem(
      await call('POST', `/products/${ctx.productId}/import`, {
        token: ctx.po,
        body: { csv: 'Summary\n"open\n' },
      }),
      400,
      /Line 2/,
    );
    expect(await order()).toEqual(before);
  });

  it('answers 404 for the feature file of an epic without criteria', async () => {
    const epic = await call('POST', `/products/${ctx.productId}/items`, {
      token: ctx.po,
      body: { title: 'Empty epic', type: 'epic' },
    });
    expectProblem(await call('GET', `/items/${epic.json.id}/feature`, { token: ctx.po }), 404, /No story/);
  });

  it('answered none of the above with a 5xx', () => {
    expect(answers.length).toBeGreaterThan(100);
    expect(
      answers.filter((a) => a.answer.status >= 500).map((a) => `${a.request} → ${a.answer.status}`),
    ).toEqual([]);
  });
});
