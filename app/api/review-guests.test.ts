import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { updateDefinition } from '~/services/backlog/definitions.server';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const criteria = `Scenario: Book a free slot
  Given a free slot
  When I book it
  Then it is mine

Scenario: A taken slot
  Given a slot someone else booked
  When I book it
  Then I am told it is taken`;

// Issue 13, item 4: a review's guests follow it as the team does. Their view of the sprint carries each done item's
// description, every checklist line (criteria and Definition of Done) and its tick; a guest of another review, or
// one removed from this one, gets nothing.
describe.each(testBackends)('a review as its guests see it on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    call = apiClient(testServices(database));
    for (const name of ['po', 'outsider']) {
      userIds[name] = (
        await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } })
      ).json.id;
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
  });
  afterAll(() => database.close());

  /** A product with a Definition of Done, one done story in a running sprint, and its review started. */
  async function review(name: string) {
    const productId = (await call('POST', '/products', as(tokens.po, { name }))).json.id as string;
    await updateDefinition(database.db, productId, userIds.po, {
      kind: 'done',
      checklist: [
        { id: 'tests', text: 'Automated tests' },
        { id: 'docs', text: 'Release notes' },
      ],
    });
    const item = await call(
      'POST',
      `/products/${productId}/items`,
      as(tokens.po, {
        title: 'Book a slot',
        estimate: 3,
        description: 'As a patient I want to book <b>online</b> so that I do not phone',
        criteria,
      }),
    );
    expect(item.status).toBe(201);
    const sprint = await call(
      'POST',
      `/products/${productId}/sprints`,
      as(tokens.po, {
        name: 'Sprint 1',
        startDate: '2026-11-02',
        endDate: '2026-11-13',
        goal: 'Book online',
      }),
    );
    const sprintId = sprint.json.id as string;
    expect(
      (await call('POST', `/sprints/${sprintId}/items`, as(tokens.po, { itemId: item.json.id }))).status,
    ).toBe(201);
    await call('PATCH', `/sprints/${sprintId}`, as(tokens.po, { state: 'active' }));
    await call('POST', `/sprints/${sprintId}/items/${item.json.id}/done`, as(tokens.po, { done: true }));
    const started = await call('POST', `/sprints/${sprintId}/review`, as(tokens.po, {}));
    expect(started.status).toBe(201);
    const guest = await call('POST', `/join/${started.json.joinCode}`, {
      body: { displayName: 'Ana (clinic)' },
    });
    expect(guest.status).toBe(201);
    return {
      sprintId,
      itemId: item.json.id as string,
      sessionId: started.json.sessionId as string,
      guestToken: guest.json.guestToken as string,
      guestId: guest.json.participantId as string,
    };
  }

  it('gives the guest each line, its tick and the description; nothing to a guest of another review or a removed one', async () => {
    const mine = await review('Clinic');
    const other = await review('Other clinic');
    const view = async () => (await call('GET', `/sprints/${mine.sprintId}`, as(mine.guestToken))).json;

    const lines = (await view()).items[0].lines as Array<{
      line: string;
      label: string;
      met: boolean | null;
    }>;
    expect(lines.map((l) => l.label)).toEqual([
      '1. Book a free slot',
      '2. A taken slot',
      'Automated tests',
      'Release notes',
    ]);
    const [first, second] = lines;
    expect(
      (
        await call(
          'POST',
          `/sprints/${mine.sprintId}/items/${mine.itemId}/lines`,
          as(tokens.po, { line: first.line, met: true }),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await call(
          'POST',
          `/sprints/${mine.sprintId}/items/${mine.itemId}/lines`,
          as(tokens.po, { line: 'dod:tests', met: false }),
        )
      ).status,
    ).toBe(204);

    const seen = await view();
    expect(seen.role).toBe('guest');
    expect(seen.items[0]).toMatchObject({
      title: 'Book a slot',
      description: 'As a patient I want to book <b>online</b> so that I do not phone',
      state: 'done',
    });
    expect(
      seen.items[0].lines.map((l: { line: string; met: boolean | null; changedSinceTicked: boolean }) => [
        l.line,
        l.met,
        l.changedSinceTicked,
      ]),
    ).toEqual([
      [first.line, true, false],
      [second.line, null, false],
      ['dod:tests', false, false],
      ['dod:docs', null, false],
    ]);
    // A guest sees the review, not the product's controls: no join code to hand on, no planning candidates.
    expect(seen.review.joinCode).toBeNull();
    expect(seen.candidates).toEqual([]);
    // A guest may not tick.
    const guestTick = await call(
      'POST',
      `/sprints/${mine.sprintId}/items/${mine.itemId}/lines`,
      as(mine.guestToken, { line: second.line, met: true }),
    );
    expect([401, 403, 404]).toContain(guestTick.status);
    expect((await view()).items[0].lines[1].met).toBeNull();

    // A guest of another review, and people outside the product, see nothing of this sprint.
    const stranger = await call('GET', `/sprints/${mine.sprintId}`, as(other.guestToken));
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.json)).not.toContain('Book a free slot');
    expect((await call('GET', `/sprints/${mine.sprintId}`, as(tokens.outsider))).status).toBe(404);

    // Removed from the review, the guest gets nothing any more.
    expect(
      (
        await call(
          'POST',
          `/sessions/${mine.sessionId}/participants/remove`,
          as(tokens.po, { participantId: mine.guestId }),
        )
      ).status,
    ).toBe(204);
    const removed = await call('GET', `/sprints/${mine.sprintId}`, as(mine.guestToken));
    expect([401, 404]).toContain(removed.status);
    expect(JSON.stringify(removed.json)).not.toContain('Book a free slot');
  });
});
