import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from 'yjs';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import type { AppServices } from '~/context';
import { apiClient, type CallOptions, testServices } from './test-harness.server';

const password = 'correct horse battery staple';
const secret = 'Secret merger with Acme';
const hidden = 'An item you cannot see';

/**
 * Issue 12, item 3: a "blocked by" link from product A to an item of product B must not carry B's title to people
 * who cannot see B (A's stakeholders, session guests), through the API, the decision log or the session view.
 */
describe.each(testBackends)('cross-product titles on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  const published: string[] = [];
  const tokens: Record<string, string> = {};
  let productA: string;
  let productB: string;
  let itemA: string;
  let otherA: string;
  let itemB: string;
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
    for (const name of ['po', 'stakeholder', 'team']) {
      await call('POST', '/users', { body: { email: `${name}@example.com`, displayName: name, password } });
      tokens[name] = (
        await call('POST', '/tokens', { body: { email: `${name}@example.com`, password } })
      ).json.token;
    }
    // The product owner is a member of both products; the stakeholder and the team member of A only.
    productA = (await call('POST', '/products', as(tokens.po, { name: 'Clinic' }))).json.id;
    productB = (await call('POST', '/products', as(tokens.po, { name: 'Holding' }))).json.id;
    for (const [name, role] of [
      ['stakeholder', 'stakeholder'],
      ['team', 'team_member'],
    ]) {
      const invite = await call('POST', `/products/${productA}/invites`, as(tokens.po, { role }));
      expect(
        (await call('POST', `/invites/${invite.json.token}/accept`, as(tokens[name]))).status,
      ).toBeLessThan(300);
    }
    itemA = (await call('POST', `/products/${productA}/items`, as(tokens.po, { title: 'Book a slot' }))).json
      .id;
    otherA = (await call('POST', `/products/${productA}/items`, as(tokens.po, { title: 'Cancel a booking' })))
      .json.id;
    itemB = (await call('POST', `/products/${productB}/items`, as(tokens.po, { title: secret }))).json.id;
    const linked = await call('POST', `/items/${itemA}/dependencies`, as(tokens.po, { blockedById: itemB }));
    expect(linked.status, linked.text).toBe(201);
  });
  afterAll(() => database.close());

  it('the decision log (API) and the item show A’s stakeholder no title of B; a member of both still sees it', async () => {
    const log = await call('GET', `/products/${productA}/decisions`, as(tokens.stakeholder));
    expect(log.status).toBe(200);
    expect(log.text).not.toContain(secret);
    const entry = log.json.entries.find((e: { kind: string }) => e.kind === 'dependency_added');
    expect(entry.after).toMatchObject({ title: hidden, hidden: true });
    const history = await call(
      'GET',
      `/products/${productA}/decisions?itemId=${itemA}`,
      as(tokens.stakeholder),
    );
    expect(history.text).not.toContain(secret);
    const item = await call('GET', `/items/${itemA}`, as(tokens.stakeholder));
    expect(item.status).toBe(200);
    expect(item.text).not.toContain(secret);
    // B itself stays out of reach.
    expect((await call('GET', `/items/${itemB}`, as(tokens.stakeholder))).status).toBe(404);

    const own = await call('GET', `/products/${productA}/decisions`, as(tokens.po));
    const ownEntry = own.json.entries.find((e: { kind: string }) => e.kind === 'dependency_added');
    expect(ownEntry.after).toMatchObject({ blockedById: itemB, title: secret });
    expect(ownEntry.after.hidden).toBeUndefined();
  });

  it('a session guest and A’s stakeholder see “an item you cannot see” as the current item’s blocker; a member of both sees the title', async () => {
    const created = await call(
      'POST',
      `/products/${productA}/sessions`,
      as(tokens.po, { title: 'Refinement', agenda: [itemA, otherA] }),
    );
    expect(created.status).toBe(201);
    const { id, joinCode } = created.json;
    expect((await call('POST', `/sessions/${id}/join`, as(tokens.po, {}))).status).toBe(200);
    // A blocker of the same product stays named for everyone, guests included.
    expect(
      (await call('POST', `/items/${itemA}/dependencies`, as(tokens.po, { blockedById: otherA }))).status,
    ).toBe(201);
    const moved = await call('POST', `/sessions/${id}/current-item`, as(tokens.po, { itemId: itemA }));
    expect(moved.status, moved.text).toBeLessThan(300);
    const guest = await call('POST', `/join/${joinCode}`, { body: { displayName: 'Visitor' } });
    expect(guest.status, guest.text).toBe(201);

    for (const token of [guest.json.guestToken, tokens.stakeholder]) {
      const view = await call('GET', `/sessions/${id}`, as(token));
      expect(view.status, view.text).toBe(200);
      expect(view.text).not.toContain(secret);
      expect(view.text).not.toContain(itemB);
      const blockers = view.json.current.blockers;
      expect(blockers).toEqual(
        expect.arrayContaining([
          { id: null, title: hidden, status: 'new', hidden: true },
          { id: otherA, title: 'Cancel a booking', status: 'new', hidden: false },
        ]),
      );
      expect(blockers).toHaveLength(2);
    }
    const po = await call('GET', `/sessions/${id}`, as(tokens.po));
    expect(po.json.current.blockers).toEqual(
      expect.arrayContaining([{ id: itemB, title: secret, status: 'new', hidden: false }]),
    );
    // Nothing of B went into the session's live document either.
    expect(published.join('\n')).not.toContain(secret);
  });

  it('a refused cycle names only the items the caller can see', async () => {
    const third = (
      await call('POST', `/products/${productA}/items`, as(tokens.po, { title: 'Remind a patient' }))
    ).json.id;
    // itemA is blocked by itemB (in B); the product owner, a member of both, makes itemB blocked by `third`.
    expect(
      (await call('POST', `/items/${itemB}/dependencies`, as(tokens.po, { blockedById: third }))).status,
    ).toBe(201);
    // `third` blocked by itemA would close third → itemA → itemB → third.
    const refused = await call(
      'POST',
      `/items/${third}/dependencies`,
      as(tokens.team, { blockedById: itemA }),
    );
    expect(refused.status).toBe(409);
    expect(refused.text).not.toContain(secret);
    expect(refused.json.detail).toBe(
      `This link would make a cycle: Remind a patient → Book a slot → ${hidden} → Remind a patient`,
    );
    const named = await call('POST', `/items/${third}/dependencies`, as(tokens.po, { blockedById: itemA }));
    expect(named.status).toBe(409);
    expect(named.json.detail).toContain(secret);
  });
});
