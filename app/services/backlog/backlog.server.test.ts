import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { backlogItems, decisions, products } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import { archiveItems, restoreItem } from './archive.server';
import { listDecisions } from './decisions.server';
import { addDependency, blockerCandidatesElsewhere } from './dependencies.server';
import { createItem, listItems, updateItem } from './items.server';
import { moveItem } from './moves.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('backlog commands on %s', (kind) => {
  let database: Database;
  let po: string;
  let dev: string;
  let stakeholder: string;
  let productId: string;
  let otherProductId: string;
  let ids: string[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    po = (await signUp(db, { email: 'po@example.com', displayName: 'PO', password })).id;
    dev = (await signUp(db, { email: 'dev@example.com', displayName: 'Dev', password })).id;
    stakeholder = (await signUp(db, { email: 'sh@example.com', displayName: 'SH', password })).id;
    productId = (await createProduct(db, po, { name: 'Main', description: '' })).id;
    otherProductId = (await createProduct(db, po, { name: 'Other', description: '' })).id;
    for (const [user, role] of [
      [dev, 'team_member'],
      [stakeholder, 'stakeholder'],
    ] as const) {
      const invite = await createInvite(db, productId, po, { role, expiresInDays: 7 });
      await acceptInvite(db, invite.token, user);
    }
    ids = [];
    for (let i = 0; i < 20; i++)
      ids.push((await createItem(db, productId, dev, { title: `Item ${i}`, position: 'bottom' })).id);
  });

  afterAll(async () => {
    await database.close();
  });

  const order = async () => {
    const rows = await database.db
      .select({ id: backlogItems.id, rank: backlogItems.rank })
      .from(backlogItems)
      .where(eq(backlogItems.productId, productId))
      .orderBy(backlogItems.rank);
    return rows;
  };

  it('keeps a total order under 50 concurrent random moves, and logs each move', async () => {
    const before = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(decisions)
      .where(eq(decisions.kind, 'moved'));
    const random = (n: number) => Math.floor(Math.random() * n);
    const moves = Array.from({ length: 50 }, () => {
      const item = ids[random(ids.length)];
      let other = ids[random(ids.length)];
      while (other === item) other = ids[random(ids.length)];
      const pick = random(4);
      const move =
        pick === 0
          ? { beforeId: other }
          : pick === 1
            ? { afterId: other }
            : { position: pick === 2 ? ('top' as const) : ('bottom' as const) };
      return moveItem(database.db, item, po, move);
    });
    const results = await Promise.allSettled(moves);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await order();
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.rank)).size).toBe(rows.length);
    // The database's order is the byte order of the keys (rank is COLLATE "C"), whatever the server's locale.
    const byteOrder = [...rows].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    expect(rows.map((r) => r.id)).toEqual(byteOrder.map((r) => r.id));
    const after = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(decisions)
      .where(eq(decisions.kind, 'moved'));
    expect(after[0].n - before[0].n).toBe(50);
  });

  it('places an item exactly before or after another, and reports the positions', async () => {
    const [first, second, third] = (await order()).map((r) => r.id);
    const moved = await moveItem(database.db, third, po, { beforeId: first });
    expect(moved.to).toBe(1);
    expect((await order()).slice(0, 3).map((r) => r.id)).toEqual([third, first, second]);
    await moveItem(database.db, third, po, { afterId: second });
    expect((await order()).slice(0, 3).map((r) => r.id)).toEqual([first, second, third]);
  });

  it('refuses moves by anyone but the product owner', async () => {
    await expect(moveItem(database.db, ids[0], dev, { position: 'top' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(moveItem(database.db, ids[0], stakeholder, { position: 'top' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('refuses a move relative to an item of another product and changes nothing', async () => {
    const foreign = await createItem(database.db, otherProductId, po, {
      title: 'Elsewhere',
      position: 'bottom',
    });
    const before = await order();
    await expect(moveItem(database.db, ids[0], po, { beforeId: foreign.id })).rejects.toMatchObject({
      code: 'invalid',
      extra: { field: 'beforeId' },
    });
    expect(await order()).toEqual(before);
  });

  it('rewrites every key of the product, keeping the order, when a move makes a key too long', async () => {
    const db = database.db;
    const crowded = (await createProduct(db, po, { name: 'Crowded', description: '' })).id;
    const items: string[] = [];
    for (let i = 0; i < 5; i++)
      items.push((await createItem(db, crowded, po, { title: `C${i}`, position: 'bottom' })).id);
    // Two neighbours whose keys share a long prefix, as after many moves into one gap.
    const prefix = `a1${'V'.repeat(70)}`;
    await db
      .update(backlogItems)
      .set({ rank: `${prefix}1` })
      .where(eq(backlogItems.id, items[1]));
    await db
      .update(backlogItems)
      .set({ rank: `${prefix}3` })
      .where(eq(backlogItems.id, items[2]));
    const ranks = async () =>
      db
        .select({ id: backlogItems.id, rank: backlogItems.rank })
        .from(backlogItems)
        .where(eq(backlogItems.productId, crowded))
        .orderBy(backlogItems.rank);
    const movesBefore = (await listDecisions(db, crowded, po, { kind: 'moved', limit: 100 })).entries.length;

    const result = await moveItem(db, items[4], po, { beforeId: items[2] });
    const after = await ranks();
    expect(after.map((r) => r.id)).toEqual([items[0], items[1], items[4], items[2], items[3]]);
    expect(after.every((r) => r.rank.length <= 3)).toBe(true);
    expect(new Set(after.map((r) => r.rank)).size).toBe(5);
    expect(result.item.rank).toBe(after[2].rank);
    expect(result).toMatchObject({ from: 5, to: 3 });
    // One move, one decision: the rewrite is not a decision.
    expect((await listDecisions(db, crowded, po, { kind: 'moved', limit: 100 })).entries.length).toBe(
      movesBefore + 1,
    );
    // An ordinary move afterwards writes one short key.
    await moveItem(db, items[0], po, { afterId: items[3] });
    expect((await ranks()).map((r) => r.id)).toEqual([items[1], items[4], items[2], items[3], items[0]]);
  });

  it('refuses a dependency cycle, naming it, and keeps the existing links', async () => {
    await addDependency(database.db, ids[0], ids[1], dev);
    await addDependency(database.db, ids[1], ids[2], dev);
    const error = await addDependency(database.db, ids[2], ids[0], dev).catch((e) => e);
    expect(error).toMatchObject({ code: 'conflict' });
    expect(error.detail).toMatch(/cycle: Item \d+ → Item \d+ → Item \d+/);
    await expect(addDependency(database.db, ids[3], ids[3], dev)).rejects.toMatchObject({ code: 'conflict' });
  });

  it("finds blockers in the caller's other products only, and links one", async () => {
    const db = database.db;
    await createItem(db, otherProductId, po, { title: 'Payment gateway upgrade', position: 'bottom' });
    const gone = await createItem(db, otherProductId, po, {
      title: 'Payment gateway (old)',
      position: 'bottom',
    });
    await archiveItems(db, otherProductId, po, { itemIds: [gone.id], reason: 'Replaced' });
    const strangers = (await createProduct(db, stakeholder, { name: 'Not shared', description: '' })).id;
    await createItem(db, strangers, stakeholder, { title: 'Payment gateway secrets', position: 'bottom' });
    const here = await createItem(db, productId, po, {
      title: 'Payment gateway in this product',
      position: 'bottom',
    });

    // The product owner belongs to Main and Other: only Other's open item is found, with its product's name.
    const found = await blockerCandidatesElsewhere(db, productId, po, 'gateway');
    expect(found.map((c) => [c.title, c.productName])).toEqual([['Payment gateway upgrade', 'Other']]);
    // The developer belongs to Main only: nothing elsewhere, and a wildcard is a plain character.
    expect(await blockerCandidatesElsewhere(db, productId, dev, 'gateway')).toEqual([]);
    expect(await blockerCandidatesElsewhere(db, productId, po, '%')).toEqual([]);
    expect(await blockerCandidatesElsewhere(db, productId, po, '   ')).toEqual([]);
    await expect(blockerCandidatesElsewhere(db, strangers, po, 'gateway')).rejects.toMatchObject({
      code: 'not_found',
    });

    const linked = await addDependency(db, here.id, found[0].id, po);
    expect(linked).toMatchObject({ created: true });
  });

  it('keeps the last valid criteria when an edit does not parse, and names the line', async () => {
    const valid =
      'Feature: Booking\n  Scenario: Book a slot\n    Given a free slot\n    When I book it\n    Then it is mine\n';
    await updateItem(database.db, ids[4], dev, { criteria: valid });
    const error = await updateItem(database.db, ids[4], dev, {
      criteria: 'Feature: Booking\n  Scenario: x\n    Given a\n  Nonsense here\n',
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'invalid', extra: { field: 'criteria' } });
    expect(error.detail).toMatch(/line 4/);
    const [row] = await database.db.select().from(backlogItems).where(eq(backlogItems.id, ids[4]));
    expect(row.criteria).toBe(valid);
  });

  it('computes WSJF from its parts and logs priority edits with before and after', async () => {
    const updated = await updateItem(database.db, ids[5], dev, {
      userBusinessValue: 8,
      timeCriticality: 5,
      riskReduction: 3,
      jobSize: 8,
      reason: 'Refinement',
    });
    expect(updated.wsjf).toBe(2);
    const log = await listDecisions(database.db, productId, stakeholder, {
      itemId: ids[5],
      kind: 'edited',
      limit: 10,
    });
    expect(log.entries[0]).toMatchObject({
      before: { jobSize: null },
      after: { jobSize: 8, userBusinessValue: 8 },
      reason: 'Refinement',
    });
  });

  it('makes an item ready only when the Definition of Ready is met, unless the PO overrides with a reason', async () => {
    await database.db
      .update(products)
      .set({
        definitionOfReady: [
          { id: 'ac', text: 'Acceptance criteria written' },
          { id: 'est', text: 'Estimated by the team' },
        ],
      })
      .where(eq(products.id, productId));
    await expect(
      updateItem(database.db, ids[6], dev, { status: 'ready', readyChecks: { ac: true } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const ready = await updateItem(database.db, ids[6], dev, {
      status: 'ready',
      readyChecks: { ac: true, est: true },
    });
    expect(ready.status).toBe('ready');
    // ids[0] is blocked by ids[1]: not ready even with a complete checklist…
    await expect(
      updateItem(database.db, ids[0], dev, { status: 'ready', readyChecks: { ac: true, est: true } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    // …and only the PO may override.
    await expect(
      updateItem(database.db, ids[0], dev, { status: 'ready', readyOverrideReason: 'Blocker lands first' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const overridden = await updateItem(database.db, ids[0], po, {
      status: 'ready',
      readyOverrideReason: 'Blocker lands first',
    });
    expect(overridden.status).toBe('ready');
  });

  it('archives items out of the order with a reason and restores them at the bottom', async () => {
    await archiveItems(database.db, productId, po, { itemIds: [ids[7], ids[8]], reason: 'No longer needed' });
    const listed = await listItems(database.db, productId, stakeholder, { offset: 0, limit: 10_000 });
    expect(listed.items.map((i) => i.id)).not.toContain(ids[7]);
    const restored = await restoreItem(database.db, ids[7], po, 'Back in scope');
    expect(restored.status).toBe('new');
    const after = await listItems(database.db, productId, stakeholder, { offset: 0, limit: 10_000 });
    expect(after.items.at(-1)?.id).toBe(ids[7]);
    await expect(
      archiveItems(database.db, productId, dev, { itemIds: [ids[9]], reason: 'x' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('filters by text and type and keeps each item’s place in the whole order', async () => {
    const all = await listItems(database.db, productId, stakeholder, { offset: 0, limit: 10_000 });
    const found = await listItems(database.db, productId, stakeholder, {
      q: 'Item 1',
      offset: 0,
      limit: 10_000,
    });
    expect(found.items.every((i) => i.title.includes('Item 1'))).toBe(true);
    for (const item of found.items)
      expect(item.position).toBe(all.items.find((a) => a.id === item.id)?.position);
  });

  it('never lets anyone edit or delete a decision', async () => {
    await expect(database.db.update(decisions).set({ reason: 'rewritten' })).rejects.toThrow();
    await expect(database.db.delete(decisions)).rejects.toThrow();
  });
});
