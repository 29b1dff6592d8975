// The embedded database (PGlite) in a worker thread of its own, so its WebAssembly, its file writes and its result
// parsing run beside the server's event loop, not on it (decision record 0028). Driven by db/pglite-thread.ts;
// plain JavaScript because worker threads load their file with Node itself, without the TypeScript loader.
//
// Requests: { id, op: 'query', sql, params, rowMode, raw, tx? } | { id, op: 'begin' } | { id, op: 'end', tx, commit }
// | { id, op: 'close' }. Answers: { id, ok: true, value } | { id, ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

if (!parentPort) throw new Error('db/pglite-worker.mjs runs as a worker thread');
const port = parentPort;

/** A rollback asked for by the main thread: not an error of its own. */
const rollback = Symbol('rollback');
const keepText = (value) => value;

/**
 * Open transactions by number: the handle queries run on, how to end it, and the promise PGlite's transaction()
 * settles once it has committed or rolled back.
 * @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<void> }>}
 */
const transactions = new Map();
let nextTransaction = 0;

/** The error's own fields (code, detail, constraint...): the main thread rebuilds an Error with them. */
function fieldsOf(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message, stack: error.stack };
}

const answer = (id, value) => port.postMessage({ id, ok: true, value });
const fail = (id, error) => port.postMessage({ id, ok: false, error: fieldsOf(error) });

let pg;
try {
  pg = await PGlite.create(workerData?.dataDir ?? undefined);
  port.postMessage({ id: 0, ok: true, value: 'ready' });
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: fieldsOf(error) });
  process.exit(1);
}

async function query(request) {
  const target = request.tx === undefined ? pg : transactions.get(request.tx)?.tx;
  if (!target) throw new Error('the transaction has already ended');
  // Only pass-through parsers cross the thread (drizzle's, for dates and intervals kept as text): named by type.
  const parsers = Object.fromEntries((request.raw ?? []).map((oid) => [oid, keepText]));
  const result = await target.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

/** Opens a transaction and answers with its number once BEGIN ran; it stays open until `end`. */
function begin(id) {
  const number = ++nextTransaction;
  let finish = () => {};
  const ended = new Promise((resolve, reject) => {
    finish = (commit) => (commit ? resolve() : reject(rollback));
  });
  ended.catch(() => {});
  let started = false;
  const done = pg.transaction(async (tx) => {
    started = true;
    transactions.set(number, { tx, finish, done });
    answer(id, number);
    await ended;
  });
  done
    .catch((error) => {
      // A transaction that could not start (BEGIN failed) is answered with its error.
      if (!started) fail(id, error);
    })
    .finally(() => transactions.delete(number));
}

port.on('message', async (request) => {
  try {
    switch (request.op) {
      case 'query':
        answer(request.id, await query(request));
        return;
      case 'begin':
        begin(request.id);
        return;
      case 'end': {
        const entry = transactions.get(request.tx);
        if (!entry) throw new Error('the transaction has already ended');
        entry.finish(request.commit);
        try {
          await entry.done;
        } catch (error) {
          if (error !== rollback) throw error;
        }
        answer(request.id, null);
        return;
      }
      case 'close':
        await pg.close();
        answer(request.id, null);
        port.close();
        return;
      default:
        throw new Error(`unknown request ${String(request.op)}`);
    }
  } catch (error) {
    fail(request.id, error);
  }
});
