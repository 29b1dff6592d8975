import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const twoScenarios = `Scenario: Book a free slot
  Given a free slot
  When I book it
  Then it is mine

Scenario: A taken slot
  Given a slot someone else booked
  When I book it
  Then I am told it is taken`;
const oneScenario = `Scenario: Cancel
  Given my booking
  When I cancel it
  Then the slot is free again`;

describe.each(testBackends)('sprints and reviews API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  /** every state the API published into live documents, as JSON */
  const published: string[] = [];
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
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
      userIds[name] = (
        await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } })
      ).json.id;
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
  });
  afterAll(() => database.close());

  /** A product with a Definition of Ready (one line) and of Done (two lines), and its people. */
  async function product(name: string) {
    const productId = (await call('POST', '/products', as(tokens.po, { name }))).json.id as string;
    for (const [who, role] of [
      ['team', 'team_member'],
      ['stakeholder', 'stakeholder'],
    ]) {
      const invite = await call('POST', `/products/${productId}/invites`, as(tokens.po, { role }));
      await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[who]));
    }
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'ready',
      checklist: [{ id: 'criteria', text: 'Criteria written' }],
    });
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [
        { id: 'tests', text: 'Automated tests' },
        { id: 'docs', text: 'Release notes' },
      ],
    });
    return productId;
  }

  async function item(
    productId: string,
    title: string,
    estimate: number,
    extra: Record<string, unknown> = {},
    ready = true,
  ) {
    const created = await call(
      'POST',
      `/products/${productId}/items`,
      as(tokens.po, { title, estimate, ...extra }),
    );
    expect(created.status, title).toBe(201);
    if (ready)
      expect(
        (await call('PATCH', `/items/${created.json.id}`, as(tokens.po, { readyChecks: { criteria: true } })))
          .status,
      ).toBe(200);
    return created.json.id as string;
  }

  async function sprint(productId: string, name: string, extra: Record<string, unknown> = {}) {
    const created = await call(
      'POST',
      `/products/${productId}/sprints`,
      as(tokens.po, {
        name,
        startDate: '2026-11-02',
        endDate: '2026-11-13',
        goal: 'Patients book online',
        capacity: 20,
        ...extra,
      }),
    );
    expect(created.status).toBe(201);
    return created.json.id as string;
  }

  const view = async (sprintId: string) => (await call('GET', `/sprints/${sprintId}`, as(tokens.po))).json;
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const keysOf = async (sprintId: string, itemId: string) =>
    (
      (await view(sprintId)).items.find((i: { id: string }) => i.id === itemId).lines as Array<{
        line: string;
      }>
    ).map((l) => l.line);
  const tickAll = async (sprintId: string, itemId: string) => {
    const lines = (await view(sprintId)).items.find((i: { id: string }) => i.id === itemId).lines as Array<{
      line: string;
    }>;
    for (const { line } of lines)
      expect(
        (await post(`/sprints/${sprintId}/items/${itemId}/lines`, tokens.po, { line, met: true })).status,
      ).toBe(204);
  };

  it('plans a sprint, runs its live review with a guest, and closes it; velocity counts only the accepted points', async () => {
    const productId = await product('Clinic');
    const a = await item(productId, 'Book a slot', 5, { criteria: twoScenarios });
    const b = await item(productId, 'Cancel a booking', 3, { criteria: oneScenario });
    const c = await item(productId, 'Reminders', 8);
    const d = await item(productId, 'Pay a deposit', 2);
    const notReady = await item(productId, 'Waiting list', 1, {}, false);

    expect(
      (
        await call(
          'POST',
          `/products/${productId}/sprints`,
          as(tokens.team, { name: 'S1', startDate: '2026-11-02', endDate: '2026-11-13' }),
        )
      ).status,
    ).toBe(403);
    const bad = await call(
      'POST',
      `/products/${productId}/sprints`,
      as(tokens.po, { name: 'S1', startDate: '2026-11-13', endDate: '2026-11-02' }),
    );
    expect(bad.status).toBe(400);
    const id = await sprint(productId, 'Sprint 1');
    // Before the review, feedback is refused: with 409 for members, 404 for people outside the product.
    expect((await post(`/sprints/${id}/feedback`, tokens.stakeholder, { text: 'Early' })).status).toBe(409);
    expect((await post(`/sprints/${id}/feedback`, tokens.outsider, { text: 'Early' })).status).toBe(404);

    // Planning: the team pulls ready items in backlog order; a not-ready item needs the PO and a reason.
    for (const itemId of [a, b, c, d]) {
      const added = await post(`/sprints/${id}/items`, tokens.team, { itemId });
      expect(added.status).toBe(201);
      expect(added.json.warnings).toEqual([]);
    }
    expect((await post(`/sprints/${id}/items`, tokens.team, { itemId: notReady })).status).toBe(403);
    const noReason = await post(`/sprints/${id}/items`, tokens.po, { itemId: notReady });
    expect(noReason.status).toBe(409);
    expect(noReason.json).toMatchObject({ field: 'reason' });
    expect(noReason.json.detail).toMatch(/Definition of Ready is not met \(Criteria written\)/);
    const overridden = await post(`/sprints/${id}/items`, tokens.po, {
      itemId: notReady,
      reason: 'The clinic asked for it first',
    });
    expect(overridden.json).toMatchObject({ notReady: true, warnings: [expect.stringMatching(/not ready/)] });
    expect((await post(`/sprints/${id}/items/${notReady}/remove`, tokens.team, {})).status).toBe(204);
    expect((await call('GET', `/items/${notReady}`, as(tokens.po))).json.status).toBe('new');
    expect((await post(`/sprints/${id}/items`, tokens.stakeholder, { itemId: notReady })).status).toBe(403);

    const planned = await view(id);
    expect(planned.commitment).toEqual({ committed: 18, reference: 20, over: false, basis: 'capacity' });
    expect(planned.candidates).toEqual([
      expect.objectContaining({
        title: 'Waiting list',
        ready: false,
        problems: ['the Definition of Ready is not met (Criteria written)'],
      }),
    ]);
    expect(
      planned.items
        .filter((i: { state: string }) => i.state === 'committed')
        .map((i: { title: string }) => i.title),
    ).toEqual(['Book a slot', 'Cancel a booking', 'Reminders', 'Pay a deposit']);

    // Done only in a running sprint, and only by the team or the PO.
    expect((await post(`/sprints/${id}/items/${a}/done`, tokens.team, { done: true })).status).toBe(409);
    expect((await call('PATCH', `/sprints/${id}`, as(tokens.po, { state: 'active' }))).json.state).toBe(
      'active',
    );
    for (const itemId of [a, b, c])
      expect((await post(`/sprints/${id}/items/${itemId}/done`, tokens.team, { done: true })).status).toBe(
        204,
      );
    expect((await post(`/sprints/${id}/items/${d}/done`, tokens.stakeholder, { done: true })).status).toBe(
      403,
    );

    // The review: done items first, then the unfinished one.
    expect((await post(`/sprints/${id}/review`, tokens.team)).status).toBe(403);
    const review = await post(`/sprints/${id}/review`, tokens.po);
    expect(review.status).toBe(201);
    expect(review.json.agenda).toEqual([a, b, c, d]);
    const sessionId = review.json.sessionId as string;
    for (const who of ['po', 'team', 'stakeholder'])
      expect((await post(`/sessions/${sessionId}/join`, tokens[who])).status).toBe(200);
    const guest = await call('POST', `/join/${review.json.joinCode}`, {
      body: { displayName: 'Ana (clinic lead)' },
    });
    expect(guest.status).toBe(201);

    // Accepted: every line met. The ticks are published live.
    await tickAll(id, a);
    const lastReview = JSON.parse(published.filter((p) => p.includes('"review"')).at(-1)!).review;
    const [a1, a2] = await keysOf(id, a);
    expect(lastReview.state.items[a].lines).toEqual({
      [a1]: true,
      [a2]: true,
      'dod:tests': true,
      'dod:docs': true,
    });
    expect((await post(`/sprints/${id}/items/${a}/accept`, tokens.team)).status).toBe(403);
    const accepted = await post(`/sprints/${id}/items/${a}/accept`, tokens.po, { note: 'Lovely' });
    expect(accepted.json).toEqual({ sprintId: id, itemId: a, outcome: 'accepted', points: 5 });

    // Rejected: an unmet criterion, with what is needed. Refusals change nothing.
    const [b1] = await keysOf(id, b);
    await post(`/sprints/${id}/items/${b}/lines`, tokens.po, { line: b1, met: false });
    await post(`/sprints/${id}/items/${b}/lines`, tokens.po, { line: 'dod:tests', met: true });
    await post(`/sprints/${id}/items/${b}/lines`, tokens.po, { line: 'dod:docs', met: true });
    const before = JSON.stringify(await view(id));
    const decisionsBefore = (await call('GET', `/products/${productId}/decisions?limit=500`, as(tokens.po)))
      .json.entries.length;
    const unmet = await post(`/sprints/${id}/items/${b}/accept`, tokens.po);
    expect(unmet.status).toBe(409);
    expect(unmet.headers.get('content-type')).toContain('application/problem+json');
    expect(unmet.json.detail).toMatch(/not met \(1\. Cancel\)/);
    const noFeedback = await post(`/sprints/${id}/items/${b}/reject`, tokens.po, {});
    expect(noFeedback.status).toBe(400);
    expect(noFeedback.json.detail).toMatch(/missing for: 1\. Cancel/);
    expect(
      (
        await post(`/sprints/${id}/items/${b}/reject`, tokens.team, {
          feedback: [{ line: b1, needed: 'x' }],
        })
      ).status,
    ).toBe(403);
    expect((await post(`/sprints/${id}/items/${b}/lines`, tokens.team, { line: b1, met: true })).status).toBe(
      403,
    );
    expect(
      (await post(`/sprints/${id}/items/${b}/lines`, tokens.po, { line: 'criterion:7', met: true })).status,
    ).toBe(400);
    expect(JSON.stringify(await view(id))).toBe(before);
    expect(
      (await call('GET', `/products/${productId}/decisions?limit=500`, as(tokens.po))).json.entries.length,
    ).toBe(decisionsBefore);
    const rejected = await post(`/sprints/${id}/items/${b}/reject`, tokens.po, {
      feedback: [{ line: b1, needed: 'The slot must be offered to the waiting list' }],
    });
    expect(rejected.json).toMatchObject({ outcome: 'rejected', points: 3 });
    const backlog = await call('GET', `/products/${productId}/items`, as(tokens.po));
    expect(backlog.json.items[0]).toMatchObject({ id: b, status: 'rejected', position: 1 });

    // Not checked yet: refused until every line is ticked.
    expect((await post(`/sprints/${id}/items/${c}/accept`, tokens.po)).json.detail).toMatch(
      /Check every line/,
    );
    await tickAll(id, c);
    expect((await post(`/sprints/${id}/items/${c}/accept`, tokens.po)).status).toBe(200);

    // Feedback from the guest and the stakeholder, live; the PO turns the guest's into a backlog item.
    const note = await post(`/sprints/${id}/feedback`, guest.json.guestToken, {
      text: 'Could patients pick a favourite therapist?',
      itemId: a,
    });
    expect(note.status).toBe(201);
    expect((await post(`/sprints/${id}/feedback`, tokens.stakeholder, { text: 'Looks good' })).status).toBe(
      201,
    );
    expect((await post(`/sprints/${id}/feedback`, tokens.outsider, { text: 'Hi' })).status).toBe(404);
    expect((await call('GET', `/sprints/${id}`, as(guest.json.guestToken))).json.feedback).toHaveLength(2);
    expect(
      (
        await post(`/sprints/${id}/feedback/convert`, tokens.team, {
          noteId: note.json.id,
          placement: { position: 'bottom' },
        })
      ).status,
    ).toBe(403);
    const converted = await post(`/sprints/${id}/feedback/convert`, tokens.po, {
      noteId: note.json.id,
      title: 'Pick a favourite therapist',
      placement: { afterId: b },
    });
    expect(converted.status).toBe(201);
    expect(
      (
        await post(`/sprints/${id}/feedback/convert`, tokens.po, {
          noteId: note.json.id,
          placement: { position: 'top' },
        })
      ).status,
    ).toBe(409);
    const newItem = await call('GET', `/items/${converted.json.itemId}`, as(tokens.po));
    expect(newItem.json).toMatchObject({ title: 'Pick a favourite therapist', status: 'new', position: 2 });
    expect((await view(id)).items).toHaveLength(planned.items.length);

    // The unfinished item goes into the next sprint; closing waits for nothing then.
    const next = await sprint(productId, 'Sprint 2', { startDate: '2026-11-16', endDate: '2026-11-27' });
    expect(
      (await post(`/sprints/${id}/close`, tokens.po, { goalMet: true, note: 'Booking works' })).status,
    ).toBe(409);
    expect(
      (
        await post(`/sprints/${id}/items/${d}/unfinished`, tokens.po, {
          decision: 'next_sprint',
          nextSprintId: next,
        })
      ).status,
    ).toBe(204);
    expect((await view(next)).items.map((i: { id: string; state: string }) => [i.id, i.state])).toEqual([
      [d, 'committed'],
    ]);

    expect((await post(`/sprints/${id}/close`, tokens.po, { goalMet: true })).status).toBe(400);
    expect((await post(`/sprints/${id}/close`, tokens.team, { goalMet: true, note: 'x' })).status).toBe(403);
    const closed = await post(`/sprints/${id}/close`, tokens.po, {
      goalMet: true,
      note: 'Patients can book and cancel',
    });
    expect(closed.json).toEqual({ sprintId: id, velocity: 13, accepted: 2, rejected: 1 });

    // After the close every change is refused with 409 and nothing changes.
    const frozen = JSON.stringify(await view(id));
    const logged = (await call('GET', `/products/${productId}/decisions?limit=500`, as(tokens.po))).json
      .entries.length;
    const afterClose: Array<[string, string, string, unknown]> = [
      ['PATCH', `/sprints/${id}`, tokens.po, { goal: 'Something else' }],
      ['POST', `/sprints/${id}/items`, tokens.po, { itemId: notReady, reason: 'late' }],
      ['POST', `/sprints/${id}/items/${a}/remove`, tokens.po, {}],
      ['POST', `/sprints/${id}/items/${a}/done`, tokens.team, { done: false }],
      ['POST', `/sprints/${id}/review`, tokens.po, {}],
      ['POST', `/sprints/${id}/items/${b}/lines`, tokens.po, { line: b1, met: true }],
      ['POST', `/sprints/${id}/items/${b}/accept`, tokens.po, {}],
      ['POST', `/sprints/${id}/items/${a}/reject`, tokens.po, { feedback: [{ line: b1, needed: 'x' }] }],
      ['POST', `/sprints/${id}/feedback`, tokens.stakeholder, { text: 'Late' }],
      [
        'POST',
        `/sprints/${id}/feedback/convert`,
        tokens.po,
        { noteId: note.json.id, placement: { position: 'top' } },
      ],
      [
        'POST',
        `/sprints/${id}/items/${d}/unfinished`,
        tokens.po,
        { decision: 'backlog', placement: { position: 'top' } },
      ],
      ['POST', `/sprints/${id}/close`, tokens.po, { goalMet: false, note: 'again' }],
    ];
    for (const [method, path, token, body] of afterClose) {
      const answer = await call(method, path, as(token, body));
      expect(answer.status, `${method} ${path}`).toBe(409);
      expect(answer.json.detail, `${method} ${path}`).toMatch(/closed|ended/);
    }
    expect(JSON.stringify(await view(id))).toBe(frozen);
    expect(
      (await call('GET', `/products/${productId}/decisions?limit=500`, as(tokens.po))).json.entries.length,
    ).toBe(logged);

    // The report, for stakeholders too, as JSON and Markdown.
    const report = await call('GET', `/sprints/${id}/report`, as(tokens.stakeholder));
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({
      velocity: 13,
      committedPoints: 18,
      sprint: { goalMet: true, goalNote: 'Patients can book and cancel', state: 'closed' },
    });
    expect(report.json.accepted.map((i: { title: string }) => i.title)).toEqual(['Book a slot', 'Reminders']);
    expect(report.json.rejected[0].lines.find((l: { line: string }) => l.line === b1)).toEqual({
      line: b1,
      label: '1. Cancel',
      met: false,
      feedback: 'The slot must be offered to the waiting list',
    });
    expect(report.json.unfinished[0]).toMatchObject({
      title: 'Pay a deposit',
      unfinishedDecision: 'next_sprint',
      nextSprintName: 'Sprint 2',
    });
    expect(report.json.newItems).toEqual([
      {
        id: converted.json.itemId,
        title: 'Pick a favourite therapist',
        fromFeedback: 'Could patients pick a favourite therapist?',
      },
    ]);
    const markdown = await call('GET', `/sprints/${id}/report?format=markdown`, as(tokens.po));
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(markdown.text).toContain('**Velocity:** 13 accepted points of 18 committed.');
    expect(markdown.text).toContain(
      '- [ ] not met 1\\. Cancel — needed: The slot must be offered to the waiting list',
    );
    expect((await call('GET', `/sprints/${id}/report`, as(tokens.outsider))).status).toBe(404);

    // The review session ended with the sprint; the velocity list counts the accepted points only.
    expect((await call('GET', `/sessions/${sessionId}`, as(tokens.po))).json.session.state).toBe('ended');
    const listed = await call('GET', `/products/${productId}/sprints`, as(tokens.stakeholder));
    expect(
      listed.json.sprints.map((s: { name: string; state: string; velocity: number }) => [
        s.name,
        s.state,
        s.velocity,
      ]),
    ).toEqual([
      ['Sprint 2', 'planned', 0],
      ['Sprint 1', 'closed', 13],
    ]);

    // The decision log holds every scope change with its sprint and points (burndown reads it).
    const log = (await call('GET', `/products/${productId}/decisions?limit=500`, as(tokens.po))).json
      .entries as Array<{ kind: string; itemId: string; after: Record<string, unknown> }>;
    const ofSprint = log
      .filter((e) => e.after?.sprintId === id)
      .map((e) => `${e.kind}:${e.after.points ?? ''}`)
      .reverse();
    expect(
      ofSprint.filter((k) => /^sprint_item_(added|removed|done|accepted|rejected|unfinished)/.test(k)),
    ).toEqual([
      'sprint_item_added:5',
      'sprint_item_added:3',
      'sprint_item_added:8',
      'sprint_item_added:2',
      'sprint_item_added:1',
      'sprint_item_removed:1',
      'sprint_item_done:5',
      'sprint_item_done:3',
      'sprint_item_done:8',
      'sprint_item_accepted:5',
      'sprint_item_rejected:3',
      'sprint_item_accepted:8',
      'sprint_item_unfinished:2',
    ]);
    expect(log.find((e) => e.kind === 'sprint_item_rejected')!.after.feedback).toEqual([
      { line: b1, label: '1. Cancel', needed: 'The slot must be offered to the waiting list' },
    ]);
    expect(log.find((e) => e.kind === 'sprint_item_added' && e.after.sprintId === next)).toMatchObject({
      itemId: d,
      after: { points: 2, carriedOverFrom: id },
    });
    const kinds = await call('GET', `/products/${productId}/decisions?kind=sprint_closed`, as(tokens.po));
    expect(kinds.json.entries[0].after).toMatchObject({ sprintId: id, goalMet: true, velocity: 13 });
  });

  it('keeps each tick with its scenario when the criteria change during the review; accepts only on what was judged', async () => {
    const productId = await product('Tick identity');
    const del = await item(productId, 'Delete the unmet one', 3, { criteria: twoScenarios });
    const ins = await item(productId, 'Insert above', 2, { criteria: twoScenarios });
    const edit = await item(productId, 'Edit a ticked one', 1, { criteria: twoScenarios });
    const id = await sprint(productId, 'Sprint T');
    for (const itemId of [del, ins, edit])
      expect((await post(`/sprints/${id}/items`, tokens.team, { itemId })).status).toBe(201);
    expect((await call('PATCH', `/sprints/${id}`, as(tokens.po, { state: 'active' }))).status).toBe(200);
    for (const itemId of [del, ins, edit])
      expect((await post(`/sprints/${id}/items/${itemId}/done`, tokens.team, { done: true })).status).toBe(
        204,
      );
    expect((await post(`/sprints/${id}/review`, tokens.po)).status).toBe(201);
    const itemView = async (itemId: string) =>
      (await view(id)).items.find((i: { id: string }) => i.id === itemId) as {
        state: string;
        lines: Array<{ line: string; label: string; met: boolean | null; changedSinceTicked: boolean }>;
        outdatedTicks: Array<Record<string, unknown>>;
      };
    const tick = async (itemId: string, line: string, met: boolean | null) =>
      (await post(`/sprints/${id}/items/${itemId}/lines`, tokens.po, { line, met })).status;
    const editCriteria = async (itemId: string, criteria: string) =>
      expect((await call('PATCH', `/items/${itemId}`, as(tokens.team, { criteria }))).status).toBe(200);
    const liveReview = (itemId: string) =>
      JSON.parse(published.filter((p) => p.includes('"review"')).at(-1)!).review.state.items[itemId];

    // 1. The scenario marked not met is deleted: accepting is still refused, with a clear problem.
    const [d1, d2] = await keysOf(id, del);
    expect(await tick(del, d1, true)).toBe(204);
    expect(await tick(del, d2, false)).toBe(204);
    expect(await tick(del, 'dod:tests', true)).toBe(204);
    expect(await tick(del, 'dod:docs', true)).toBe(204);
    await editCriteria(del, twoScenarios.split('\n\n')[0]);
    const deleted = await itemView(del);
    expect(deleted.lines.map((l) => [l.line, l.met])).toEqual([
      [d1, true],
      ['dod:tests', true],
      ['dod:docs', true],
    ]);
    expect(deleted.outdatedTicks).toEqual([
      { line: d2, label: '2. A taken slot', met: false, reason: 'removed', replacedBy: null },
    ]);
    // everyone in the room sees it at once: the edit was published to the review's live document
    expect(liveReview(del)).toMatchObject({
      lines: { [d1]: true, 'dod:tests': true, 'dod:docs': true },
      outdated: [{ line: d2, label: '2. A taken slot', met: false, reason: 'removed' }],
    });
    const refused = await post(`/sprints/${id}/items/${del}/accept`, tokens.po);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.json.detail).toMatch(
      /“2\. A taken slot” was marked not met and the criteria changed since \(removed\)/,
    );
    expect((await itemView(del)).state).toBe('done');
    // The outdated tick can only be cleared, by the product owner: that is re-judging the new checklist.
    expect(await tick(del, d2, true)).toBe(400);
    expect(await tick(del, 'criterion:0', null)).toBe(400);
    expect(
      (await post(`/sprints/${id}/items/${del}/lines`, tokens.team, { line: d2, met: null })).status,
    ).toBe(403);
    expect(await tick(del, d2, null)).toBe(204);
    expect((await post(`/sprints/${id}/items/${del}/accept`, tokens.po)).status).toBe(200);

    // 2. A scenario inserted above the others starts un-ticked; the old ticks stay with their scenarios.
    const [i1, i2] = await keysOf(id, ins);
    await tickAll(id, ins);
    await editCriteria(ins, `${oneScenario}\n\n${twoScenarios}`);
    const inserted = await itemView(ins);
    expect(inserted.lines.map((l) => [l.line, l.label, l.met, l.changedSinceTicked])).toEqual([
      [expect.stringMatching(/^criterion:[0-9a-f]{32}$/), '1. Cancel', null, false],
      [i1, '2. Book a free slot', true, false],
      [i2, '3. A taken slot', true, false],
      ['dod:tests', 'Automated tests', true, false],
      ['dod:docs', 'Release notes', true, false],
    ]);
    expect(inserted.outdatedTicks).toEqual([]);
    expect((await post(`/sprints/${id}/items/${ins}/accept`, tokens.po)).json.detail).toMatch(
      /Check every line before accepting: 1 not checked yet \(1\. Cancel\)/,
    );

    // 3. A ticked scenario's text is edited: its line is un-ticked and flagged as changed, for everyone.
    const [e1, e2] = await keysOf(id, edit);
    await tickAll(id, edit);
    await editCriteria(
      edit,
      twoScenarios.replace('Then it is mine', 'Then it is mine and I get a confirmation'),
    );
    const edited = await itemView(edit);
    const e1New = edited.lines[0].line;
    expect(e1New).not.toBe(e1);
    expect(edited.lines.map((l) => [l.label, l.met, l.changedSinceTicked])).toEqual([
      ['1. Book a free slot', null, true],
      ['2. A taken slot', true, false],
      ['Automated tests', true, false],
      ['Release notes', true, false],
    ]);
    expect(edited.lines[1].line).toBe(e2);
    expect(edited.outdatedTicks).toEqual([
      { line: e1, label: '1. Book a free slot', met: true, reason: 'changed', replacedBy: e1New },
    ]);
    expect(liveReview(edit)).toMatchObject({ changed: [e1New], outdated: [{ line: e1, reason: 'changed' }] });
    expect(liveReview(edit).lines[e1]).toBeUndefined();
    expect((await post(`/sprints/${id}/items/${edit}/accept`, tokens.po)).json.detail).toMatch(
      /Check every line/,
    );
    expect(await tick(edit, e1New, true)).toBe(204);
    expect((await post(`/sprints/${id}/items/${edit}/accept`, tokens.po)).status).toBe(200);
    // decided on the checklist as it read: the outdated tick is not part of it
    expect((await itemView(edit)).lines.map((l) => l.line).sort()).toEqual(
      [e1New, e2, 'dod:docs', 'dod:tests'].sort(),
    );

    // 4. A Definition of Done line reworded after it was ticked: its tick was made on the old words.
    expect(await tick(ins, inserted.lines[0].line, true)).toBe(204);
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [
        { id: 'tests', text: 'Automated tests, run on every push' },
        { id: 'docs', text: 'Release notes' },
      ],
    });
    const reworded = await itemView(ins);
    expect(reworded.lines.find((l) => l.line === 'dod:tests')).toMatchObject({
      label: 'Automated tests, run on every push',
      met: null,
      changedSinceTicked: true,
    });
    expect(reworded.outdatedTicks).toEqual([
      { line: 'dod:tests', label: 'Automated tests', met: true, reason: 'changed', replacedBy: 'dod:tests' },
    ]);
    expect((await post(`/sprints/${id}/items/${ins}/accept`, tokens.po)).json.detail).toMatch(
      /Check every line.*Automated tests, run on every push/,
    );
    expect(await tick(ins, 'dod:tests', true)).toBe(204);
    expect((await itemView(ins)).outdatedTicks).toEqual([]);
    expect((await post(`/sprints/${id}/items/${ins}/accept`, tokens.po)).status).toBe(200);
  });

  it('averages the velocity of the last three to five closed sprints', async () => {
    const productId = await product('Velocity');
    const run = async (n: number, pointsAccepted: number[], pointsRejected: number[]) => {
      const id = await sprint(productId, `V${n}`);
      const accepted = [];
      const rejected = [];
      for (const p of pointsAccepted) accepted.push(await item(productId, `A${n}-${p}`, p));
      for (const p of pointsRejected) rejected.push(await item(productId, `R${n}-${p}`, p));
      for (const itemId of [...accepted, ...rejected])
        await post(`/sprints/${id}/items`, tokens.po, { itemId });
      await call('PATCH', `/sprints/${id}`, as(tokens.po, { state: 'active' }));
      for (const itemId of [...accepted, ...rejected])
        await post(`/sprints/${id}/items/${itemId}/done`, tokens.team, { done: true });
      await post(`/sprints/${id}/review`, tokens.po);
      for (const itemId of accepted) {
        await tickAll(id, itemId);
        expect((await post(`/sprints/${id}/items/${itemId}/accept`, tokens.po)).status).toBe(200);
      }
      for (const itemId of rejected) {
        await post(`/sprints/${id}/items/${itemId}/lines`, tokens.po, { line: 'dod:tests', met: false });
        expect(
          (
            await post(`/sprints/${id}/items/${itemId}/reject`, tokens.po, {
              feedback: [{ line: 'dod:tests', needed: 'Tests' }],
            })
          ).status,
        ).toBe(200);
      }
      expect(
        (await post(`/sprints/${id}/close`, tokens.po, { goalMet: pointsAccepted.length > 0, note: 'ok' }))
          .status,
      ).toBe(200);
    };
    await run(1, [5, 3], [8]);
    await run(2, [13], []);
    expect((await call('GET', `/products/${productId}/sprints`, as(tokens.po))).json.velocity).toEqual({
      average: null,
      lowest: null,
      highest: null,
      sprints: 2,
    });
    await run(3, [], [2]);
    const listed = (await call('GET', `/products/${productId}/sprints`, as(tokens.po))).json;
    expect(
      listed.sprints.map((s: { velocity: number; accepted: number; rejected: number }) => [
        s.velocity,
        s.accepted,
        s.rejected,
      ]),
    ).toEqual([
      [0, 0, 1],
      [13, 1, 0],
      [8, 2, 1],
    ]);
    expect(listed.velocity).toEqual({ average: 7, lowest: 0, highest: 13, sprints: 3 });
    // A new sprint's planning page compares its commitment with that average.
    const id = await sprint(productId, 'V4', { capacity: null });
    await post(`/sprints/${id}/items`, tokens.po, { itemId: await item(productId, 'Next', 8) });
    expect((await view(id)).commitment).toEqual({
      committed: 8,
      reference: 7,
      over: true,
      basis: 'velocity',
    });
  });

  it('moves items through their states and refuses the moves that are not allowed', async () => {
    const productId = await product('Transitions');
    const w = await item(productId, 'W', 2);
    expect((await call('PATCH', `/items/${w}`, as(tokens.po, { status: 'ready' }))).status).toBe(200);
    const x = await item(productId, 'X', 3);
    const y = await item(productId, 'Y', 5);
    const epic = await item(productId, 'Epic', 0, { type: 'epic' });
    const one = await sprint(productId, 'T1');
    const two = await sprint(productId, 'T2');
    expect((await post(`/sprints/${one}/items`, tokens.team, { itemId: epic })).json.detail).toMatch(/epic/);
    expect((await post(`/sprints/${one}/items`, tokens.team, { itemId: x })).json.warnings).toEqual([
      '1 ready item is above it in the backlog and not in a sprint',
    ]);
    expect((await post(`/sprints/${one}/items`, tokens.team, { itemId: x })).json.detail).toBe(
      'The item is already in this sprint',
    );
    expect((await post(`/sprints/${two}/items`, tokens.team, { itemId: x })).json.detail).toBe(
      'The item is already in T1',
    );
    // Pulling past a ready item higher in the backlog is warned about.
    expect((await post(`/sprints/${one}/items`, tokens.team, { itemId: y })).json.warnings).toHaveLength(1);

    await call('PATCH', `/sprints/${one}`, as(tokens.po, { state: 'active' }));
    expect((await call('PATCH', `/sprints/${two}`, as(tokens.po, { state: 'active' }))).json.detail).toMatch(
      /T1 is still running/,
    );
    expect((await call('PATCH', `/sprints/${one}`, as(tokens.po, { state: 'planned' }))).status).toBe(409);
    expect((await call('PATCH', `/sprints/${one}`, as(tokens.po, { state: 'closed' }))).status).toBe(400);

    // done and back; an item not done cannot be accepted; a done item has no unfinished decision.
    await post(`/sprints/${one}/items/${x}/done`, tokens.team, { done: true });
    expect((await call('GET', `/items/${x}`, as(tokens.po))).json.status).toBe('done');
    expect((await post(`/sprints/${one}/items/${x}/done`, tokens.team, { done: true })).status).toBe(409);
    await post(`/sprints/${one}/items/${x}/done`, tokens.team, { done: false });
    expect((await call('GET', `/items/${x}`, as(tokens.po))).json.status).toBe('in_sprint');
    await post(`/sprints/${one}/items/${x}/done`, tokens.team, { done: true });
    await post(`/sprints/${one}/review`, tokens.po);
    expect((await post(`/sprints/${one}/review`, tokens.po)).status).toBe(409);
    expect((await post(`/sprints/${one}/items/${y}/accept`, tokens.po)).json.detail).toMatch(/not done yet/);
    expect(
      (
        await post(`/sprints/${one}/items/${x}/unfinished`, tokens.po, {
          decision: 'backlog',
          placement: { position: 'top' },
        })
      ).json.detail,
    ).toMatch(/waiting for the review/);
    expect(
      (await post(`/sprints/${one}/items/${y}/unfinished`, tokens.po, { decision: 'backlog' })).status,
    ).toBe(400);
    expect(
      (
        await post(`/sprints/${one}/items/${y}/unfinished`, tokens.team, {
          decision: 'backlog',
          placement: { position: 'top' },
        })
      ).status,
    ).toBe(403);

    // Unfinished back to the backlog at the chosen place, with its status before the sprint.
    expect(
      (
        await post(`/sprints/${one}/items/${y}/unfinished`, tokens.po, {
          decision: 'backlog',
          placement: { beforeId: epic },
        })
      ).status,
    ).toBe(204);
    const backlog = (await call('GET', `/products/${productId}/items`, as(tokens.po))).json.items.map(
      (i: { title: string; status: string }) => `${i.title}:${i.status}`,
    );
    expect(backlog).toEqual(['W:ready', 'X:done', 'Y:new', 'Epic:new']);
    expect(
      (await post(`/sprints/${one}/close`, tokens.po, { goalMet: false, note: 'x' })).json.detail,
    ).toMatch(/1 done item to accept or reject/);
    // a removed item can come back
    await post(`/sprints/${two}/items`, tokens.team, { itemId: y });
    await post(`/sprints/${two}/items/${y}/remove`, tokens.team, {});
    expect((await post(`/sprints/${two}/items`, tokens.team, { itemId: y })).status).toBe(201);
    expect(
      (await view(two)).items.map((i: { title: string; state: string }) => `${i.title}:${i.state}`),
    ).toEqual(['Y:committed']);
  });
});
