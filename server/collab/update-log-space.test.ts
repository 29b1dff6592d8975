// The update log's tables on disk, compaction after compaction (issue 14, part 1; decision record 0049): the
// embedded database has no autovacuum, so what compactions delete must be vacuumed by the log itself.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocument } from '../../app/domain/document-names';
import { type Database, rowsOf } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { UpdateLog } from './update-log';
import { capturedLogger } from './update-log-testing';

/** A meeting's worth of typing: `words` updates, each one word appended to the document's text. */
function meeting(doc: Y.Doc, words: number): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on('update', record);
  const text = doc.getText('body');
  for (let k = 0; k < words; k++) text.insert(text.length, `w${String(k).padStart(5, '0')} `);
  doc.off('update', record);
  return updates;
}

/** Bytes on disk of the log and the snapshots, with their indexes and TOAST. */
async function logBytes(database: Database): Promise<number> {
  const [row] = rowsOf<{ bytes: string | number }>(
    await database.db.execute(
      sql`select pg_total_relation_size('live_updates') + pg_total_relation_size('live_documents') as bytes`,
    ),
  );
  return Number(row.bytes);
}

/** Ten meetings of 150 words on one document, each folded into the snapshot: the sizes after the 2nd and the 10th. */
async function tenMeetings(database: Database, log: UpdateLog) {
  const name = itemDocument(randomUUID());
  const doc = new Y.Doc();
  const sizes: number[] = [];
  for (let m = 1; m <= 10; m++) {
    await Promise.all(meeting(doc, 150).map((update) => log.append(name, update)));
    expect(await log.compact(name)).toBe(150);
    sizes.push(await logBytes(database));
  }
  const loaded = await log.read(name);
  const copy = new Y.Doc();
  if (loaded.state) Y.applyUpdate(copy, loaded.state);
  expect(loaded.updates).toEqual([]);
  expect(copy.getText('body').length).toBe(10 * 150 * 'w00000 '.length);
  return { second: sizes[1], tenth: sizes[9] };
}

describe.each(testBackends)("the update log's tables on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('stay the same size meeting after meeting: what a compaction deletes is vacuumed', async () => {
    // On PGlite by default (no autovacuum there); a Postgres server may run autovacuum, too late for this test.
    const log = new UpdateLog({
      db: database.db,
      log: capturedLogger().log,
      ...(kind === 'postgres' ? { vacuumAfterCompaction: true } : {}),
    });
    const { second, tenth } = await tenMeetings(database, log);
    // The space a meeting's rows took is reused by the next meeting's: a few pages of slack (a page a busy server
    // holds pinned is skipped by that vacuum), against about 30 KB more per meeting without it (the test below).
    expect(tenth).toBeLessThanOrEqual(second + 65_536);
  });

  it.runIf(kind === 'pglite')(
    'would grow by every meeting without it (the embedded database never vacuums)',
    async () => {
      const log = new UpdateLog({ db: database.db, log: capturedLogger().log, vacuumAfterCompaction: false });
      const { second, tenth } = await tenMeetings(database, log);
      expect(tenth).toBeGreaterThan(second + 3 * 65_536);
    },
  );
});
