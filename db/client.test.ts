import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client';
import { users } from './schema';
import { openTestDatabase, testBackends } from './test-database';

describe.each(testBackends)('database on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  it('applies the migrations and answers queries', async () => {
    await database.db.insert(users).values({ email: 'a@example.com', displayName: 'A', passwordHash: 'x' });
    const rows = await database.db.select().from(users);
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await database.ping()).toBe(true);
  });

  it('refuses a duplicate email through the unique index', async () => {
    await expect(
      database.db.insert(users).values({ email: 'a@example.com', displayName: 'B', passwordHash: 'x' }),
    ).rejects.toThrow();
  });

  it('runs transactions that roll back on error', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'b@example.com', displayName: 'B', passwordHash: 'x' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const count = await database.db.execute(sql`select count(*)::int as n from users where email = 'b@example.com'`);
    const rows = (Array.isArray(count) ? count : (count as { rows: unknown[] }).rows) as Array<{ n: number }>;
    expect(rows[0].n).toBe(0);
  });
});
