import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { itemDocument, productDocument } from '~/domain/document-names';
import { readItemText } from '~/domain/item-text';
import { createProduct } from '~/services/products.server';
import { liveServices } from '~/services/testing/live-services.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import { runBacklogCommand } from './commands.server';
import { loadItem } from './items.server';

describe.each(testBackends)('the backlog command runner on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());

  it('publishes what each command changed, named as the backlog views read it', async () => {
    const { services, version, change, docs } = liveServices(database);
    const backlog = productDocument(team.productId);
    const run = runBacklogCommand;
    const lastChange = () => change(backlog, 'backlog');

    const first = await run(services, 'createItem', { productId: team.productId }, team.po, {
      title: 'Book a slot',
      position: 'bottom',
    });
    expect(lastChange()).toMatchObject({ kind: 'created', itemIds: [first.id] });
    const second = await run(services, 'createItem', { productId: team.productId }, team.dev, {
      title: 'Cancel a slot',
      position: 'bottom',
    });

    // An edit over HTTP reaches the item's live text before the backlog views reload.
    const criteria = 'Scenario: Book\n  Given a free slot\n  When I book it\n  Then it is mine';
    await run(services, 'updateItem', { itemId: first.id }, team.dev, {
      description: 'For patients',
      criteria,
    });
    expect(lastChange()).toMatchObject({ kind: 'edited', itemIds: [first.id] });
    const text = docs.get(itemDocument(first.id));
    expect(text && readItemText(text)).toMatchObject({ description: 'For patients', criteria });

    await run(services, 'moveItem', { itemId: second.id }, team.po, { position: 'top', reason: 'Cheaper' });
    expect(lastChange()).toMatchObject({ kind: 'moved', itemIds: [second.id] });

    await run(services, 'addDependency', { itemId: second.id }, team.dev, { blockedById: first.id });
    expect(lastChange()).toMatchObject({ kind: 'dependency_added', itemIds: [second.id] });
    // The same link again changes nothing, and says nothing.
    const before = version(backlog, 'backlog');
    expect(
      await run(services, 'addDependency', { itemId: second.id }, team.dev, { blockedById: first.id }),
    ).toMatchObject({ created: false });
    expect(version(backlog, 'backlog')).toBe(before);
    await run(services, 'removeDependency', { itemId: second.id }, team.dev, { blockedById: first.id });
    expect(lastChange()).toMatchObject({ kind: 'dependency_removed', itemIds: [second.id] });

    await run(services, 'archiveItems', { productId: team.productId }, team.po, {
      itemIds: [second.id],
      reason: 'Not needed',
    });
    expect(lastChange()).toMatchObject({ kind: 'archived', itemIds: [second.id] });
    await run(services, 'restoreItem', { itemId: second.id }, team.po, { reason: 'Needed after all' });
    expect(lastChange()).toMatchObject({ kind: 'restored', itemIds: [second.id] });

    const imported = await run(services, 'importCsv', { productId: team.productId }, team.po, {
      csv: 'Summary,Story Points\nSend reminders,3\nShow prices,2\n',
    });
    expect(imported.imported).toBe(2);
    expect(lastChange()).toMatchObject({ kind: 'imported', itemIds: imported.itemIds });

    const applied = await run(services, 'applyProposal', { productId: team.productId }, team.po, {
      mode: 'wsjf',
      reason: 'As scored',
    });
    expect(lastChange()).toMatchObject({ kind: 'proposal_applied', itemIds: applied.order });

    const definition = await run(services, 'updateDefinition', { productId: team.productId }, team.po, {
      kind: 'ready',
      checklist: [{ id: 'c-1', text: 'Criteria agreed' }],
    });
    expect(definition.changed).toBe(true);
  });

  it('refuses another product’s item, someone who may not, and publishes nothing then', async () => {
    const { services, version } = liveServices(database);
    const item = await runBacklogCommand(services, 'createItem', { productId: team.productId }, team.po, {
      title: 'Pay online',
      position: 'bottom',
    });
    const backlog = productDocument(team.productId);
    const published = version(backlog, 'backlog');
    // A page of the owner's other product names this item: not found, and its order is not touched.
    const other = await createProduct(database.db, team.po, { name: 'Other', description: '' });
    expect(
      await refusal(
        runBacklogCommand(services, 'moveItem', { productId: other.id, itemId: item.id }, team.po, {
          position: 'top',
        }),
      ),
    ).toBe('not_found');
    // A stakeholder may not order or edit; an item that does not exist is not found.
    expect(
      await refusal(
        runBacklogCommand(services, 'moveItem', { itemId: item.id }, team.stakeholder, { position: 'top' }),
      ),
    ).toBe('forbidden');
    expect(
      await refusal(
        runBacklogCommand(services, 'updateItem', { itemId: item.id }, team.stakeholder, { title: 'x' }),
      ),
    ).toBe('forbidden');
    expect(
      await refusal(
        runBacklogCommand(services, 'restoreItem', { itemId: crypto.randomUUID() }, team.po, { reason: '' }),
      ),
    ).toBe('not_found');
    expect(version(backlog, 'backlog')).toBe(published);
    expect(version(productDocument(other.id), 'backlog')).toBe(0);
    expect((await loadItem(database.db, item.id)).title).toBe('Pay online');
  });
});
