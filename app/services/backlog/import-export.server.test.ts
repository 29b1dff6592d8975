import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { backlogItems, decisions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { signUp } from '~/services/accounts.server';
import { createProduct } from '~/services/products.server';
import { exportBacklog, exportToCsv, featureFile, importBacklogCsv } from './import-export.server';
import { createItem, updateItem } from './items.server';
import { applyProposal, proposeOrder } from './proposals.server';

const jira = [
  'Summary,Issue key,Issue Type,Priority,Custom field (Story Points),Epic Link,Labels,Labels,Description,Acceptance Criteria',
  'Online payments,PAY-1,Epic,High,,,payments,,"Deposits and invoices",',
  'Pay a deposit,PAY-2,Story,Highest,8,PAY-1,payments,web,"As a clinic owner I want a deposit, so that ""no-shows"" cost less","Feature: Deposit',
  '  Scenario: Pay',
  '    Given a booking',
  '    When I pay the deposit',
  '    Then the booking is confirmed"',
  'Fix the invoice PDF,PAY-3,Bug,Medium,2,Existing epic,,,,',
].join('\r\n');

describe.each(testBackends)('import, export and proposals on %s', (kind) => {
  let database: Database;
  let po: string;
  let productId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    po = (
      await signUp(database.db, {
        email: 'po@example.com',
        displayName: 'PO',
        password: 'correct horse battery staple',
      })
    ).id;
    productId = (await createProduct(database.db, po, { name: 'Clinic', description: '' })).id;
    await createItem(database.db, productId, po, {
      title: 'Existing epic',
      type: 'epic',
      position: 'bottom',
    });
  });
  afterAll(async () => {
    await database.close();
  });

  const itemCount = async () =>
    (
      await database.db.select({ n: count() }).from(backlogItems).where(eq(backlogItems.productId, productId))
    )[0].n;

  it('imports a Jira export: types, priorities, points, labels, criteria and epic links', async () => {
    const result = await importBacklogCsv(database.db, productId, po, { csv: jira });
    expect(result.imported).toBe(3);
    const rows = await database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.productId, productId))
      .orderBy(backlogItems.rank);
    const byTitle = new Map(rows.map((r) => [r.title, r]));
    const deposit = byTitle.get('Pay a deposit')!;
    expect(deposit).toMatchObject({
      type: 'story',
      estimate: 8,
      moscow: 'must',
      labels: ['payments', 'web'],
      externalKey: 'PAY-2',
    });
    expect(deposit.parentId).toBe(byTitle.get('Online payments')!.id);
    expect(deposit.description).toContain('"no-shows"');
    expect(deposit.criteria).toContain('Scenario: Pay');
    expect(byTitle.get('Fix the invoice PDF')!.parentId).toBe(byTitle.get('Existing epic')!.id);
    expect(rows.map((r) => r.title)).toEqual([
      'Existing epic',
      'Online payments',
      'Pay a deposit',
      'Fix the invoice PDF',
    ]);
    const logged = await database.db
      .select({ n: count() })
      .from(decisions)
      .where(eq(decisions.reason, 'Imported from CSV'));
    expect(logged[0].n).toBe(3);
  });

  it('imports nothing when any row is broken, and lists each line with its reason', async () => {
    const before = await itemCount();
    const broken = [
      'Summary,Issue Type,Story Points,Epic Link',
      'Good row,Story,3,',
      ',Story,2,',
      'Odd type,Saga,1,',
      'Bad points,Story,lots,',
      'Orphan,Story,1,NOPE-9',
    ].join('\n');
    const error = await importBacklogCsv(database.db, productId, po, { csv: broken }).catch((e) => e);
    expect(error).toMatchObject({ code: 'invalid', extra: { field: 'csv' } });
    expect(error.extra.rows.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6]);
    expect(error.detail).toMatch(/^4 rows have errors; nothing was imported\. Line 3:/);
    expect(await itemCount()).toBe(before);
  });

  it('reports a malformed CSV with its line', async () => {
    const error = await importBacklogCsv(database.db, productId, po, { csv: 'Summary\n"unclosed\n' }).catch(
      (e) => e,
    );
    expect(error.extra.rows[0].line).toBe(2);
  });

  it('exports the ordered backlog as JSON and CSV, with formulas neutralised', async () => {
    const first = await createItem(database.db, productId, po, {
      title: '=HYPERLINK("http://evil")',
      position: 'top',
    });
    const rows = await exportBacklog(database.db, productId, po);
    expect(rows[0]).toMatchObject({ position: 1, id: first.id });
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
    const csv = exportToCsv(rows);
    expect(csv.split('\r\n')[0]).toContain('"position","rank","id"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('exports criteria as a .feature file, and an epic’s stories combined', async () => {
    const rows = await database.db.select().from(backlogItems).where(eq(backlogItems.title, 'Pay a deposit'));
    const file = await featureFile(database.db, rows[0].id, po);
    expect(file.fileName).toBe('pay-a-deposit.feature');
    expect(file.text).toContain('Feature: Deposit');
    const [epic] = await database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.title, 'Online payments'));
    const combined = await featureFile(database.db, epic.id, po);
    expect(combined.text).toContain('Scenario: Pay');
  });

  it('proposes an order by WSJF and applies part of it with a reason, leaving the rest in place', async () => {
    const a = await createItem(database.db, productId, po, { title: 'Low value', position: 'bottom' });
    const b = await createItem(database.db, productId, po, { title: 'High value', position: 'bottom' });
    await updateItem(database.db, a.id, po, {
      userBusinessValue: 1,
      timeCriticality: 1,
      riskReduction: 1,
      jobSize: 13,
    });
    await updateItem(database.db, b.id, po, {
      userBusinessValue: 20,
      timeCriticality: 13,
      riskReduction: 8,
      jobSize: 2,
    });
    const proposal = await proposeOrder(database.db, productId, po, 'wsjf');
    expect(proposal.rows[0].id).toBe(b.id);
    expect(proposal.rows.find((r) => r.id === b.id)!.move).toBeGreaterThan(0);
    const before = (await exportBacklog(database.db, productId, po)).map((r) => r.id);
    await expect(
      applyProposal(database.db, productId, po, { mode: 'wsjf', itemIds: [a.id, b.id], reason: '' }),
    ).rejects.toThrow();
    const applied = await applyProposal(database.db, productId, po, {
      mode: 'wsjf',
      itemIds: [a.id, b.id],
      reason: 'Stakeholder session 12 May',
    });
    expect(applied.moved).toBe(2);
    const after = (await exportBacklog(database.db, productId, po)).map((r) => r.id);
    // The two swapped places; every other item kept its position.
    expect(after).toEqual(before.map((id) => (id === a.id ? b.id : id === b.id ? a.id : id)));
    const [log] = await database.db.select().from(decisions).where(eq(decisions.kind, 'proposal_applied'));
    expect(log.reason).toBe('Stakeholder session 12 May');
  });

  it('leaves finished work out of a proposal: a delivered item with the top score keeps its place', async () => {
    const delivered = await createItem(database.db, productId, po, {
      title: 'Delivered long ago',
      position: 'bottom',
    });
    await updateItem(database.db, delivered.id, po, {
      userBusinessValue: 20,
      timeCriticality: 20,
      riskReduction: 20,
      jobSize: 1,
    });
    await updateItem(database.db, delivered.id, po, { status: 'accepted' });
    const proposal = await proposeOrder(database.db, productId, po, 'wsjf');
    expect(proposal.rows.map((r) => r.id)).not.toContain(delivered.id);
    const before = (await exportBacklog(database.db, productId, po)).map((r) => r.id);
    await applyProposal(database.db, productId, po, { mode: 'wsjf', reason: 'Whole order from the session' });
    const after = (await exportBacklog(database.db, productId, po)).map((r) => r.id);
    expect(after.indexOf(delivered.id)).toBe(before.indexOf(delivered.id));
    // The open items now follow the proposal exactly.
    expect(after.filter((id) => id !== delivered.id)).toEqual(proposal.rows.map((r) => r.id));
    await expect(
      applyProposal(database.db, productId, po, {
        mode: 'wsjf',
        itemIds: [delivered.id, before[0]],
        reason: 'Try',
      }),
    ).rejects.toMatchObject({ code: 'invalid', extra: { field: 'itemIds' } });
  });
});
