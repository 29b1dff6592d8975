import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client';
import { backlogItems, decisions, itemDependencies, memberships, products, users } from '../schema';
import { openTestDatabase, testBackends } from '../test-database';
import { demoPeople, seedDemo } from './demo';

describe.each(testBackends)('demo data on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  const counts = async () => {
    const db = database.db;
    const [[u], [p], [m], [i]] = await Promise.all([
      db.select({ n: count() }).from(users),
      db.select({ n: count() }).from(products),
      db.select({ n: count() }).from(memberships),
      db.select({ n: count() }).from(backlogItems),
    ]);
    return { users: u.n, products: p.n, memberships: m.n, items: i.n };
  };

  it('creates a product with a PO, two team members, two stakeholders and about 30 items', async () => {
    const logins = await seedDemo(database.db);
    expect(logins?.map((l) => l.email)).toEqual(demoPeople.map((p) => p.email));
    expect(await counts()).toEqual({ users: 5, products: 1, memberships: 5, items: 42 });
    const roles = (await database.db.select({ role: memberships.role }).from(memberships))
      .map((r) => r.role)
      .sort();
    expect(roles).toEqual(['product_owner', 'stakeholder', 'stakeholder', 'team_member', 'team_member']);
  });

  it('does not seed twice, and still reports the logins', async () => {
    const logins = await seedDemo(database.db);
    expect(logins).toHaveLength(5);
    expect(await counts()).toEqual({ users: 5, products: 1, memberships: 5, items: 42 });
  });

  it('carries WSJF parts, criteria, dependencies, a Definition of Ready and a decision log', async () => {
    const items = await database.db.select().from(backlogItems);
    expect(items.filter((i) => i.wsjf !== null).length).toBeGreaterThanOrEqual(15);
    expect(items.filter((i) => i.criteria.includes('Scenario')).length).toBeGreaterThanOrEqual(4);
    const [product] = await database.db.select().from(products);
    expect(product.definitionOfReady.length).toBeGreaterThan(0);
    expect(product.definitionOfDone.length).toBeGreaterThan(0);
    const [links] = await database.db.select({ n: count() }).from(itemDependencies);
    expect(links.n).toBeGreaterThanOrEqual(3);
    const [log] = await database.db.select({ n: count() }).from(decisions);
    expect(log.n).toBeGreaterThan(31);
  });

  it('links stories to their epics and keeps a strict order', async () => {
    const items = await database.db.select().from(backlogItems).orderBy(backlogItems.rank);
    const ranks = items.map((i) => i.rank);
    expect(new Set(ranks).size).toBe(ranks.length);
    expect(items[0].type).toBe('epic');
    expect(items[1].parentId).toBe(items[0].id);
  });
});

describe('demo data on a database that already has users', () => {
  it('leaves it alone', async () => {
    const database = await openTestDatabase('pglite');
    try {
      await database.db.insert(users).values({ email: 'x@example.com', displayName: 'X', passwordHash: 'x' });
      expect(await seedDemo(database.db)).toBeNull();
      const [p] = await database.db.select({ n: count() }).from(products);
      expect(p.n).toBe(0);
    } finally {
      await database.close();
    }
  });
});

describe.each(testBackends)('demo sessions on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
  });
  afterAll(() => database.close());

  it('holds a past refinement whose summary shows a re-vote, an estimate change and an open question, and a planned one', async () => {
    const { listSessions } = await import('../../app/services/sessions/sessions.server');
    const { sessionSummary } = await import('../../app/services/sessions/summary.server');
    const [product] = await database.db.select().from(products);
    const [owner] = await database.db.select().from(users).where(eq(users.email, demoPeople[0].email));
    const sessions = await listSessions(database.db, product.id, owner.id);
    expect(sessions.map((s) => [s.title, s.state])).toEqual([
      ['Refinement: online payments', 'planned'],
      ['Refinement: appointment reminders', 'ended'],
      ['Sprint review: Sprint 3', 'ended'],
      ['Sprint review: Sprint 2', 'ended'],
      ['Sprint review: Sprint 1', 'ended'],
    ]);
    const summary = await sessionSummary(database.db, sessions[1].id, owner.id);
    expect(summary.participants).toHaveLength(4);
    expect(summary.items.find((i) => i.title === 'Confirm or cancel from the reminder')).toMatchObject({
      estimateBefore: 13,
      estimateAfter: 8,
      rounds: 2,
    });
    expect(summary.openQuestions).toHaveLength(1);
  });
});
