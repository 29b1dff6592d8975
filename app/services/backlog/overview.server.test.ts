import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { decisions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import { archiveItems } from './archive.server';
import { getDefinitions, updateDefinition } from './definitions.server';
import { addDependency } from './dependencies.server';
import { createItem, listFilterSchema, listItems, updateItem } from './items.server';
import { backlogView, listEpics, listLabels } from './overview.server';

const password = 'correct horse battery staple';

describe.each(testBackends)('backlog page view and definitions on %s', (kind) => {
  let database: Database;
  let po: string;
  let dev: string;
  let stakeholder: string;
  let productId: string;
  let ids: string[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    po = (await signUp(db, { email: 'po@example.com', displayName: 'PO', password })).id;
    dev = (await signUp(db, { email: 'dev@example.com', displayName: 'Dev', password })).id;
    stakeholder = (await signUp(db, { email: 'sh@example.com', displayName: 'SH', password })).id;
    productId = (await createProduct(db, po, { name: 'Main', description: '' })).id;
    for (const [user, role] of [
      [dev, 'team_member'],
      [stakeholder, 'stakeholder'],
    ] as const) {
      const invite = await createInvite(db, productId, po, { role, expiresInDays: 7 });
      await acceptInvite(db, invite.token, user);
    }
    ids = [];
    const epic = await createItem(db, productId, po, { title: 'Epic one', type: 'epic', position: 'bottom' });
    ids.push(epic.id);
    for (let i = 1; i < 8; i++) {
      const item = await createItem(db, productId, dev, {
        title: `Story ${i}${i % 2 ? ' about search' : ''}`,
        type: i === 7 ? 'bug' : 'story',
        parentId: i < 4 ? epic.id : null,
        labels: i % 3 ? ['web'] : ['mobile', 'web'],
        position: 'bottom',
      });
      ids.push(item.id);
    }
    await updateDefinition(db, productId, po, {
      kind: 'ready',
      checklist: [
        { id: 'value', text: 'Value stated' },
        { id: 'size', text: 'Small enough' },
      ],
    });
    await updateItem(db, ids[2], dev, { readyChecks: { value: true, size: true } });
    await updateItem(db, ids[3], dev, { readyChecks: { value: true } });
    // Story 1 is blocked by Story 6, further down: it sits above its blocker (at position 6 once Story 4 is archived).
    await addDependency(db, ids[1], ids[6], dev);
    // Story 5 is blocked by Story 2, which is above it: no warning.
    await addDependency(db, ids[5], ids[2], dev);
    await archiveItems(db, productId, po, { itemIds: [ids[4]], reason: 'Not needed' });
  });

  afterAll(async () => {
    await database.close();
  });

  const filters = [
    {},
    { q: 'search' },
    { type: 'story' },
    { label: 'mobile' },
    { status: 'archived' },
    { epicId: '' },
  ] as const;

  it('lists the same rows and positions as listItems, for every filter', async () => {
    const db = database.db;
    for (const raw of filters) {
      const filter = listFilterSchema.parse('epicId' in raw ? { epicId: ids[0] } : raw);
      const view = await backlogView(db, productId, stakeholder, filter);
      const list = await listItems(db, productId, stakeholder, filter);
      expect(view.rows.map((r) => [r.id, r.position])).toEqual(list.items.map((r) => [r.id, r.position]));
      expect(view.total).toBe(list.total);
    }
  });

  it('shows Definition of Ready progress and the dependency warnings of the whole order', async () => {
    const db = database.db;
    const { rows } = await backlogView(db, productId, stakeholder, listFilterSchema.parse({}));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[2])).toMatchObject({ dorMet: 2, dorTotal: 2 });
    expect(byId.get(ids[3])).toMatchObject({ dorMet: 1, dorTotal: 2 });
    expect(byId.get(ids[1])).toMatchObject({ openBlockers: 1, blockersBelow: [6] });
    expect(byId.get(ids[5])).toMatchObject({ openBlockers: 1, blockersBelow: [] });
    // A filter that hides the blocker keeps the warning.
    const filtered = await backlogView(db, productId, stakeholder, listFilterSchema.parse({ q: 'Story 1' }));
    expect(filtered.rows).toHaveLength(1);
    expect(filtered.rows[0].blockersBelow).toEqual([6]);
    // Finished blockers no longer block.
    await updateItem(db, ids[6], po, { status: 'done' });
    const after = await backlogView(db, productId, stakeholder, listFilterSchema.parse({}));
    expect(after.rows.find((r) => r.id === ids[1])).toMatchObject({ openBlockers: 0, blockersBelow: [] });
  });

  it('lists epics and labels for the filters', async () => {
    expect((await listEpics(database.db, productId, stakeholder)).map((e) => e.title)).toEqual(['Epic one']);
    expect(await listLabels(database.db, productId, stakeholder)).toEqual(['mobile', 'web']);
  });

  it('lets the PO change the Definition of Ready, the team the Definition of Done, and logs each change', async () => {
    const db = database.db;
    await expect(
      updateDefinition(db, productId, dev, { kind: 'ready', checklist: [{ id: 'a', text: 'A' }] }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      updateDefinition(db, productId, stakeholder, { kind: 'done', checklist: [{ id: 'a', text: 'A' }] }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      updateDefinition(db, productId, dev, {
        kind: 'done',
        checklist: [
          { id: 'a', text: 'A' },
          { id: 'a', text: 'B' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(updateDefinition(db, productId, dev, { kind: 'done', checklist: [] })).rejects.toMatchObject(
      { code: 'invalid' },
    );
    const done = await updateDefinition(db, productId, dev, {
      kind: 'done',
      checklist: [{ id: 'tests', text: 'Tests pass' }],
      reason: 'Team agreement',
    });
    expect(done.changed).toBe(true);
    expect(
      (
        await updateDefinition(db, productId, dev, {
          kind: 'done',
          checklist: [{ id: 'tests', text: 'Tests pass' }],
        })
      ).changed,
    ).toBe(false);
    const definitions = await getDefinitions(db, productId, stakeholder);
    expect(definitions.done).toEqual([{ id: 'tests', text: 'Tests pass' }]);
    expect(definitions.mayEdit).toEqual({ ready: false, done: false });
    const logged = await db.select().from(decisions).where(eq(decisions.kind, 'definition_changed'));
    expect(logged.filter((d) => d.productId === productId)).toHaveLength(2);
    expect(logged.at(-1)).toMatchObject({
      actorId: dev,
      reason: 'Team agreement',
      after: { definition: 'done', checklist: [{ id: 'tests', text: 'Tests pass' }] },
    });
  });
});
