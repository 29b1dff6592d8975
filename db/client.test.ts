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
    const count = await database.db.execute(
      sql`select count(*)::int as n from users where email = 'b@example.com'`,
    );
    const rows = (Array.isArray(count) ? count : (count as { rows: unknown[] }).rows) as Array<{ n: number }>;
    expect(rows[0].n).toBe(0);
  });
});

describe.runIf(process.env.DATABASE_URL)('several processes starting at once on one Postgres server', () => {
  it('migrate one after the other without failing', async () => {
    const { default: postgres } = await import('postgres');
    const { openDatabase } = await import('./client');
    const url = process.env.DATABASE_URL!;
    const name = `refinery_t_concurrent_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    try {
      const opened = await Promise.all([1, 2, 3].map(() => openDatabase({ url: target.toString(), max: 2 })));
      for (const database of opened) expect(await database.ping()).toBe(true);
      await Promise.all(opened.map((d) => d.close()));
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
