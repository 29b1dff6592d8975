import { describe, expect, it } from 'vitest';
import { DatabaseBusy, enableCommandQueues, isDatabaseBusy, oneAtATime } from './busy';
import type { Db } from './client';

const fakeDb = (waitMs?: number) => {
  const db = {} as Db;
  if (waitMs !== undefined) enableCommandQueues(db, waitMs);
  return db;
};

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('oneAtATime', () => {
  it('runs the work for one key one at a time, in arrival order, and other keys alongside', async () => {
    const db = fakeDb(10_000);
    const order: string[] = [];
    const first = deferred();
    const a1 = oneAtATime(db, 'a', async () => {
      order.push('a1 start');
      await first.promise;
      order.push('a1 end');
    });
    const a2 = oneAtATime(db, 'a', async () => {
      order.push('a2');
    });
    await oneAtATime(db, 'b', async () => {
      order.push('b');
    });
    expect(order).toEqual(['a1 start', 'b']);
    first.resolve();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('gives up waiting for its turn after the lock timeout, without letting later callers jump ahead', async () => {
    const db = fakeDb(50);
    const stuck = deferred();
    const order: string[] = [];
    const holder = oneAtATime(db, 'a', async () => {
      await stuck.promise;
      order.push('holder');
    });
    const started = performance.now();
    const gaveUp = oneAtATime(db, 'a', async () => {
      order.push('never');
    });
    await expect(gaveUp).rejects.toBeInstanceOf(DatabaseBusy);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await expect(gaveUp.catch((e) => isDatabaseBusy(e))).resolves.toBe(true);
    // A later caller still waits for the holder, then runs.
    const later = oneAtATime(db, 'a', async () => {
      order.push('later');
    });
    stuck.resolve();
    await Promise.all([holder, later]);
    expect(order).toEqual(['holder', 'later']);
  });

  it('queues nothing on a database without queues (PGlite, or a transaction)', async () => {
    const db = fakeDb();
    const stuck = deferred();
    const first = oneAtATime(db, 'a', () => stuck.promise);
    let ran = false;
    await oneAtATime(db, 'a', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    stuck.resolve();
    await first;
  });
});

describe('isDatabaseBusy', () => {
  it('recognises the lock and statement timeouts, also wrapped by drizzle, and nothing else', () => {
    const postgresError = (code: string) => Object.assign(new Error('x'), { code });
    expect(isDatabaseBusy(postgresError('55P03'))).toBe(true);
    expect(isDatabaseBusy(postgresError('57014'))).toBe(true);
    expect(isDatabaseBusy(postgresError('25P03'))).toBe(true);
    expect(isDatabaseBusy(new Error('query failed', { cause: postgresError('55P03') }))).toBe(true);
    expect(isDatabaseBusy(new DatabaseBusy('session:x'))).toBe(true);
    expect(isDatabaseBusy(postgresError('23505'))).toBe(false);
    expect(isDatabaseBusy(new Error('other'))).toBe(false);
    expect(isDatabaseBusy(undefined)).toBe(false);
  });
});

describe.runIf(process.env.DATABASE_URL)('statement limits on a Postgres server', () => {
  it('sets the lock and statement timeouts on every pooled connection, and pings on a connection of its own', async () => {
    const { sql } = await import('drizzle-orm');
    const { openDatabase } = await import('./client');
    const { createTestDatabaseUrl } = await import('./test-database');
    const created = await createTestDatabaseUrl();
    const database = await openDatabase({
      url: created.url,
      max: 2,
      lockTimeoutMs: 300,
      statementTimeoutMs: 2000,
    });
    const rows = (result: unknown) => result as Array<Record<string, string>>;
    try {
      const [settings] = rows(
        await database.db.execute(
          sql`select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
        ),
      );
      expect(settings).toEqual({ lock: '300ms', statement: '2s', idle: '4s' });
      // A statement past the statement timeout is cancelled, and reads as busy.
      const error = await database.db.execute(sql`select pg_sleep(3)`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseBusy(error)).toBe(true);
      // Both pooled connections busy: the health ping still answers at once.
      let settled = 0;
      const busy = [1, 2].map(() => database.db.execute(sql`select pg_sleep(1.5)`).finally(() => settled++));
      expect(await database.ping(1400)).toBe(true);
      expect(settled).toBe(0);
      await Promise.all(busy);
    } finally {
      await database.close();
      await created.drop();
    }
  }, 60_000);
});
