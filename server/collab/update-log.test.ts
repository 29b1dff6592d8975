import { randomUUID } from 'node:crypto';
import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocument } from '../../app/domain/document-names';
import type { Database, Db } from '../../db/client';
import { liveDocuments, liveUpdates } from '../../db/schema';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { applyLogged, UpdateLog, UpdateNotLogged } from './update-log';
import { capturedLogger, flakyDatabase } from './update-log-testing';

/** Yjs updates as a client produces them while typing `text` one character at a time into a Y.Text. */
function typing(text: string, into = new Y.Doc()): { doc: Y.Doc; updates: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  into.on('update', record);
  const field = into.getText('body');
  for (const character of text) field.insert(field.length, character);
  into.off('update', record);
  return { doc: into, updates };
}

const textOf = (state: Uint8Array | null, updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('body').toString();
};

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The database, noting when each raw statement (the log's appends) was asked for. */
function timedStatements(db: Db) {
  const statements: number[] = [];
  const timed = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'execute' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        statements.push(performance.now());
        return value.apply(target, args);
      };
    },
  });
  return { db: timed, statements };
}

describe.each(testBackends)('the update log on %s', (kind) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });

  afterAll(async () => {
    await database?.close();
  });

  const rowsOf = (name: string) =>
    db.select().from(liveUpdates).where(eq(liveUpdates.documentName, name)).orderBy(asc(liveUpdates.id));
  const snapshotOf = async (name: string) =>
    (await db.select().from(liveDocuments).where(eq(liveDocuments.name, name)))[0] ?? null;

  it('loads the snapshot, then every row after its through_update_id in id order, and nothing before it', async () => {
    const name = itemDocument(randomUUID());
    const { doc, updates: first } = typing('Given a ');
    // A row already folded into the snapshot but not deleted: a load must not apply it again.
    const stale = typing('STALE', new Y.Doc()).updates;
    await db.insert(liveUpdates).values(stale.map((update) => ({ documentName: name, update })));
    const [{ id: staleThrough }] = await db
      .select({ id: liveUpdates.id })
      .from(liveUpdates)
      .where(eq(liveUpdates.documentName, name))
      .orderBy(asc(liveUpdates.id))
      .limit(1)
      .offset(stale.length - 1);
    await db
      .insert(liveDocuments)
      .values({ name, state: Y.encodeStateAsUpdate(doc), throughUpdateId: staleThrough });
    const { updates: later } = typing('booked slot', doc);
    const log = new UpdateLog({ db, log: capturedLogger().log });
    for (const update of later) await log.append(name, update);

    const loaded = await log.read(name);
    expect(loaded.throughUpdateId).toBe(staleThrough);
    expect(loaded.updates).toEqual(later);
    expect(textOf(loaded.state, loaded.updates)).toBe('Given a booked slot');
    expect(first.length).toBeGreaterThan(0);
    expect(log.unfolded(name)).toBe(later.length);
  });

  it('writes concurrent appends in the order they were asked for, in batches', async () => {
    const name = itemDocument(randomUUID());
    const { updates } = typing('When the patient confirms');
    const log = new UpdateLog({ db, log: capturedLogger().log });
    // Not awaited one by one: later appends queue behind the running write and go out together.
    await Promise.all(updates.map((update) => log.append(name, update)));
    const rows = await rowsOf(name);
    expect(rows.map((row) => row.update)).toEqual(updates);
    expect(
      textOf(
        null,
        rows.map((row) => row.update),
      ),
    ).toBe('When the patient confirms');
  });

  it('while someone types, starts a write at most once per interval, the keystrokes in between going together', async () => {
    const name = itemDocument(randomUUID());
    const { updates } = typing('Given a deposit is paid');
    const { db: counted, statements } = timedStatements(db);
    const intervalMs = 150;
    // The interval alone (the quiet moment has a test of its own: these keystrokes are never quiet).
    const log = new UpdateLog({
      db: counted,
      log: capturedLogger().log,
      appendIntervalMs: intervalMs,
      appendQuietMs: 0,
    });
    const started = performance.now();
    const written: Promise<void>[] = [];
    // A keystroke every 10 ms, each sent on its own as a provider does; without the interval, one write each.
    for (const update of updates) {
      written.push(log.append(name, update));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(written);
    const elapsed = performance.now() - started;
    expect(statements.length).toBeGreaterThanOrEqual(2);
    expect(statements.length).toBeLessThanOrEqual(Math.floor(elapsed / intervalMs) + 2);
    for (const [i, at] of statements.entries())
      if (i > 0) expect(at - statements[i - 1]).toBeGreaterThanOrEqual(intervalMs - 5);
    const rows = await rowsOf(name);
    expect(rows.map((row) => row.update)).toEqual(updates);
  });

  it('starts a write once the typing pauses for a moment, not while a keystroke is on its way to the readers', async () => {
    const name = itemDocument(randomUUID());
    const { updates } = typing('Then the deposit is refunded');
    const { db: counted, statements } = timedStatements(db);
    const [intervalMs, quietMs] = [60, 25];
    const log = new UpdateLog({
      db: counted,
      log: capturedLogger().log,
      appendIntervalMs: intervalMs,
      appendQuietMs: quietMs,
    });
    const appended: number[] = [];
    const written: Promise<void>[] = [];
    // Bursts of three keystrokes 5 ms apart, then a pause of 40 ms: a write falls in each pause.
    for (const [i, update] of updates.entries()) {
      appended.push(performance.now());
      written.push(log.append(name, update));
      await new Promise((resolve) => setTimeout(resolve, i % 3 === 2 ? 40 : 5));
    }
    await Promise.all(written);
    expect(statements.length).toBeGreaterThanOrEqual(2);
    // Each pause is longer than the quiet moment, so no keystroke waits two intervals: every write started in a
    // pause, at least the quiet moment after the keystroke before it (timers only ever fire late).
    for (const at of statements) {
      const newest = appended.filter((t) => t <= at).at(-1) ?? Number.NEGATIVE_INFINITY;
      expect(at - newest).toBeGreaterThanOrEqual(quietMs - 1);
    }
    expect((await rowsOf(name)).map((row) => row.update)).toEqual(updates);
  });

  it('folds the log into the snapshot in one step: snapshot through the last folded id, folded rows deleted', async () => {
    const name = itemDocument(randomUUID());
    const other = itemDocument(randomUUID());
    // Appends awaited one by one: no interval between writes, so the test does not wait for it.
    const log = new UpdateLog({ db, log: capturedLogger().log, appendIntervalMs: 0 });
    const { doc, updates } = typing('Then a reminder is sent');
    for (const update of updates) await log.append(name, update);
    const otherUpdates = typing('untouched').updates;
    for (const update of otherUpdates) await log.append(other, update);
    const lastId = (await rowsOf(name)).at(-1)!.id;

    expect(await log.compact(name)).toBe(updates.length);
    expect(await rowsOf(name)).toEqual([]);
    const snapshot = await snapshotOf(name);
    expect(snapshot?.throughUpdateId).toBe(lastId);
    expect(textOf(snapshot!.state, [])).toBe('Then a reminder is sent');
    // Another document's log is not touched.
    expect((await rowsOf(other)).map((row) => row.update)).toEqual(otherUpdates);

    // More typing after the compaction: the next load is the snapshot plus the new rows only.
    const { updates: more } = typing(' by SMS', doc);
    for (const update of more) await log.append(name, update);
    const loaded = await log.read(name);
    expect(loaded.updates).toEqual(more);
    expect(textOf(loaded.state, loaded.updates)).toBe('Then a reminder is sent by SMS');
    expect(await log.compact(name)).toBe(more.length);
    expect(await log.compact(name)).toBe(0);
    expect(textOf((await snapshotOf(name))!.state, [])).toBe('Then a reminder is sent by SMS');
  });

  it('compacts on its own once the log holds compactAfterUpdates updates', async () => {
    const name = itemDocument(randomUUID());
    const log = new UpdateLog({
      db,
      log: capturedLogger().log,
      compactAfterUpdates: 10,
      appendIntervalMs: 0,
    });
    const { updates } = typing('And the slot is held for 10 minutes');
    for (const update of updates) await log.append(name, update);
    await log.compacted();
    const rows = await rowsOf(name);
    expect(rows.length).toBeLessThan(10);
    const snapshot = await snapshotOf(name);
    expect(snapshot).not.toBeNull();
    expect(
      textOf(
        snapshot!.state,
        rows.map((row) => row.update),
      ),
    ).toBe('And the slot is held for 10 minutes');
  });

  it('keeps what the database could not take while briefly unreachable, tries again with backoff and writes it all in order', async () => {
    const name = itemDocument(randomUUID());
    const flaky = flakyDatabase(db);
    const { log, events } = capturedLogger();
    const updateLog = new UpdateLog({ db: flaky.db, log, backoffMs: 20, appendTimeoutMs: 10_000 });
    const { updates } = typing('Scenario: rebook');

    flaky.state.down = true;
    const appended = updates.map((update) => updateLog.append(name, update));
    await waitFor('a few failed attempts', () => flaky.state.failures >= 3);
    expect(updateLog.pending(name)).toBe(updates.length);
    flaky.state.down = false;
    await Promise.all(appended);

    expect((await rowsOf(name)).map((row) => row.update)).toEqual(updates);
    expect(events()).toContain('collab_log_append_failed');
    expect(events()).not.toContain('collab_log_append_refused');
  });

  it('keeps trying while the database is away: written() gives up after its timeout, the appends do not', async () => {
    const name = itemDocument(randomUUID());
    const flaky = flakyDatabase(db);
    const { log } = capturedLogger();
    const updateLog = new UpdateLog({ db: flaky.db, log, backoffMs: 20, appendTimeoutMs: 100 });
    const { updates } = typing('later');

    flaky.state.down = true;
    const appended = updates.map((update) => updateLog.append(name, update));
    expect(updateLog.whenWritten(name)).not.toBeNull();
    await expect(updateLog.written(name, 50)).rejects.toBeInstanceOf(UpdateNotLogged);
    await waitFor('a few failed attempts', () => flaky.state.failures >= 3);
    flaky.state.down = false;
    await Promise.all(appended);
    await updateLog.written(name);
    expect(updateLog.whenWritten(name)).toBeNull();
    expect((await rowsOf(name)).map((row) => row.update)).toEqual(updates);
  });

  it('gives up what it could not write when stopped: the appends and whenWritten reject', async () => {
    const name = itemDocument(randomUUID());
    const flaky = flakyDatabase(db);
    const { log, events } = capturedLogger();
    const updateLog = new UpdateLog({ db: flaky.db, log, backoffMs: 20 });
    const { updates } = typing('lost');

    flaky.state.down = true;
    const appended = updates.map((update) => updateLog.append(name, update));
    const barrier = updateLog.whenWritten(name);
    await waitFor('a failed attempt', () => flaky.state.failures >= 1);
    updateLog.stop();
    for (const written of appended) await expect(written).rejects.toBeInstanceOf(UpdateNotLogged);
    await expect(barrier).rejects.toBeInstanceOf(UpdateNotLogged);
    expect(events()).toContain('collab_log_unsaved_at_shutdown');
    flaky.state.down = false;
    expect(await rowsOf(name)).toEqual([]);
  });

  it('loses nothing when a compaction fails, and folds everything when it is tried again', async () => {
    const name = itemDocument(randomUUID());
    const flaky = flakyDatabase(db);
    const { log, events } = capturedLogger();
    const updateLog = new UpdateLog({ db: flaky.db, log, backoffMs: 10 });
    const { updates } = typing('Background: clinic');
    for (const update of updates) await updateLog.append(name, update);

    flaky.state.down = true;
    await expect(updateLog.compactWithRetry(name, 2)).rejects.toThrow(/ECONNREFUSED/);
    expect(events().filter((event) => event === 'collab_store_failed')).toHaveLength(2);
    expect(await snapshotOf(name)).toBeNull();
    expect((await rowsOf(name)).map((row) => row.update)).toEqual(updates);

    // Down for the first attempt only: the retry folds it.
    const retried = updateLog.compactWithRetry(name, 4);
    setTimeout(() => {
      flaky.state.down = false;
    }, 15);
    expect(await retried).toBe(updates.length);
    expect(await rowsOf(name)).toEqual([]);
    expect(textOf((await snapshotOf(name))!.state, [])).toBe('Background: clinic');
  });

  // PGlite has one connection: a transaction held open there would block the other writer, not race it.
  it.skipIf(kind === 'pglite')(
    'never folds past a row another writer has numbered but not yet committed',
    async () => {
      const name = itemDocument(randomUUID());
      const { updates } = typing('ab');
      let commit = () => {};
      const held = new Promise<void>((resolve) => {
        commit = resolve;
      });
      // A writer (another process) whose insert has taken an id but whose commit is still on its way: the
      // one-statement append, run inside a transaction whose commit is held back.
      const slowDb = new Proxy(db, {
        get(target, property, receiver) {
          if (property !== 'execute') return Reflect.get(target, property, receiver);
          return (query: SQL) =>
            target.transaction(async (tx) => {
              const result = await tx.execute(query);
              await held;
              return result;
            });
        },
      });
      const slow = new UpdateLog({ db: slowDb, log: capturedLogger().log });
      const fast = new UpdateLog({ db, log: capturedLogger().log });
      const slowAppend = slow.append(name, updates[0]);
      await waitFor('the slow insert', async () => {
        // This database's document locks only (two-key advisory locks, the first key the log's): logins and
        // migrations of test files running beside this one take advisory locks of their own on the same server.
        const locks = await db.execute(
          sql`select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 2
                and classid::bigint = 7270102
                and database = (select oid from pg_database where datname = current_database())`,
        );
        return (locks as unknown as unknown[]).length > 0;
      });
      await fast.append(name, updates[1]);
      let compacted = false;
      const compaction = fast.compact(name).then((folded) => {
        compacted = true;
        return folded;
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(compacted).toBe(false);
      commit();
      await slowAppend;
      expect(await compaction).toBe(2);
      const loaded = await fast.read(name);
      expect(loaded.updates).toEqual([]);
      expect(textOf(loaded.state, [])).toBe('ab');
    },
  );

  // The other half of the same guarantee: an append waiting for a compaction has not drawn its ids yet, so the
  // compaction cannot see a later id committed while this one is still to come.
  it.skipIf(kind === 'pglite')('takes the lock before it numbers the rows it appends', async () => {
    const name = itemDocument(randomUUID());
    const { updates } = typing('x');
    const lastId = async () => {
      const [row] = (await db.execute(
        sql`select last_value::text as id from live_updates_id_seq`,
      )) as unknown as Array<{ id: string }>;
      return row.id;
    };
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // A compaction in progress: the exclusive lock, held.
    const compaction = db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7270102, hashtext(${name}))`);
      locked();
      await released;
    });
    await holding;
    const before = await lastId();
    const updateLog = new UpdateLog({ db, log: capturedLogger().log });
    const appended = updateLog.append(name, updates[0]);
    await waitFor('the append to wait for the lock', async () => {
      const waiting = await db.execute(
        sql`select 1 from pg_locks where locktype = 'advisory' and not granted`,
      );
      return (waiting as unknown as unknown[]).length > 0;
    });
    expect(await lastId()).toBe(before);
    release();
    await compaction;
    await appended;
    expect((await rowsOf(name)).map((row) => row.update)).toEqual(updates);
  });
});

describe('applyLogged', () => {
  it('applies a stored document in one transaction, a bad row left out: no state-vector walk per row', () => {
    const { updates } = typing('Given a slot');
    const bad = new Uint8Array([1, 2, 3, 250, 250, 250]);
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const rows = [...updates.slice(0, 5), bad, ...updates.slice(5)];
    const refused = applyLogged(doc, { state: null, updates: rows, ids: rows.map((_, i) => i + 1) });
    expect(refused.map((row) => row.id)).toEqual([6]);
    expect(doc.getText('body').toString()).toBe('Given a slot');
    // Yjs reads the whole state vector at the start and end of every transaction: once per load, not per row.
    expect(transactions).toBe(1);
  });
});
