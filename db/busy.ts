import type { Db } from './client';

/**
 * The per-key queues of one database, kept on the database object itself under a registry symbol: the Remix
 * build bundles its own copy of this module, and both copies must see the same queues. Set only for a Postgres
 * server, where other connections can hold a lock for as long as they like. PGlite has one in-process connection
 * that runs one thing at a time, so nothing outside can hold a lock against a command and nothing is queued here.
 */
const gateKey = Symbol.for('refinery.db.commandQueues');

interface Gate {
  /** how long a caller waits for its turn: the lock timeout */
  waitMs: number;
  queues: Map<string, Promise<void>>;
}

export function enableCommandQueues(db: Db, lockTimeoutMs: number) {
  const gate: Gate = { waitMs: lockTimeoutMs, queues: new Map() };
  Object.defineProperty(db, gateKey, { value: gate, enumerable: false });
}

/** A command gave up waiting for its turn on a key (another command on it is stuck behind a lock). */
export class DatabaseBusy extends Error {
  /** recognised by code, not by class: the Remix build holds a copy of this class */
  readonly code = 'REFINERY_BUSY';
  constructor(readonly key: string) {
    super(`waited too long for ${key}`);
    this.name = 'DatabaseBusy';
  }
}

/**
 * SQLSTATEs of a statement that gave up: lock_not_available (lock_timeout), query_canceled (statement_timeout)
 * and idle_in_transaction_session_timeout; and our own DatabaseBusy. drizzle wraps the driver's error, so the
 * cause chain is searched.
 */
const busyStates = new Set(['55P03', '57014', '25P03', 'REFINERY_BUSY']);

export function isDatabaseBusy(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && busyStates.has(code)) return true;
  }
  return false;
}

/**
 * Runs `work` for one key (a session) at a time in this process. Commands on one key serialise on its row lock
 * anyway, so this costs nothing; what it saves is the pool: forty queued commands on a stuck session wait here,
 * holding no connection, instead of holding every connection while they wait for the lock, which starved every
 * other request. A caller waits at most the lock timeout for its turn, then gets DatabaseBusy. `db` must be the
 * database itself (a transaction passed by mistake runs unqueued rather than deadlocking on its own key).
 */
export async function oneAtATime<T>(db: Db, key: string, work: () => Promise<T>): Promise<T> {
  const gate = (db as unknown as { [gateKey]?: Gate })[gateKey];
  if (!gate) return work();
  const { waitMs, queues: byKey } = gate;
  const previous = byKey.get(key) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The next caller waits for the one before this one too: a caller that gives up never lets later ones jump
  // ahead of a command that is still running.
  const tail = previous.then(() => mine);
  byKey.set(key, tail);
  try {
    await waitAtMost(previous, waitMs, key);
    return await work();
  } finally {
    release();
    if (byKey.get(key) === tail) byKey.delete(key);
  }
}

function waitAtMost(turn: Promise<void>, ms: number, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DatabaseBusy(key)), ms);
    turn.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
