import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { enableCommandQueues } from './busy';
import { openPgliteThread } from './pglite-thread';
import { shareArrayTypes } from './postgres-array-types';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the app uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The rows of a raw `db.execute(sql\`…\`)`: postgres.js answers an array, PGlite an object holding `rows`. */
export const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The committed migrations beside this source file: for tests and tools run from the source tree. The server passes
 * the configured folder (MIGRATIONS_DIR), because in a bundle this module no longer sits beside them.
 */
export const sourceMigrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Per-statement limits on a Postgres server, so one stuck lock never holds a request (or the pool) for long. */
export interface StatementLimits {
  /** how long a statement waits for a lock (a row, a session's command lock) before it fails with 55P03 */
  lockTimeoutMs: number;
  /** how long a statement may run before it is cancelled (57014) */
  statementTimeoutMs: number;
}

export const defaultStatementLimits: StatementLimits = { lockTimeoutMs: 5000, statementTimeoutMs: 30_000 };

export type DatabaseOptions = (
  | ({ url: string; max?: number } & Partial<StatementLimits>)
  | { dataDir: string }
  | { memory: true }
) & { migrationsFolder?: string };

/** Opens the database and applies the committed migrations (from `migrationsFolder`, by default the source's). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? sourceMigrationsFolder;
  const database =
    'url' in options
      ? await openPostgres(options, migrationsFolder)
      : await openPglite(options, migrationsFolder);
  return database;
}

async function openPglite(
  options: { dataDir: string } | { memory: true },
  migrationsFolder: string,
): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if ('dataDir' in options) mkdirSync(options.dataDir, { recursive: true });
  // In a worker thread of its own (decision record 0028): the event loop keeps serving sockets while it works.
  const client = await openPgliteThread('dataDir' in options ? options.dataDir : undefined);
  // drizzle's PGlite driver asks of its client only what the thread's client offers (query, transaction).
  const db = drizzle(client as unknown as PGlite, { schema });
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: (timeoutMs = 2000) => pingWith(db as unknown as Db, timeoutMs, () => closed),
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

const migrationLockId = 7_270_101;
const connectTimeoutSeconds = 5;

/** The Postgres server could not be reached or refused us; the message names the server, never the password. */
export class DatabaseUnreachable extends Error {
  constructor(url: string, reason: string) {
    const { hostname, port, pathname } = new URL(url);
    super(`could not connect to the Postgres server at ${hostname}:${port || 5432}${pathname} (${reason})`);
    this.name = 'DatabaseUnreachable';
  }
}

async function openPostgres(
  options: { url: string; max?: number } & Partial<StatementLimits>,
  migrationsFolder: string,
): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const limits = { ...defaultStatementLimits, ...pickDefined(options) };

  // Migrations run on connections of their own, without the statement limits: a migration may rightly take
  // longer than any command, and waits for another process's migration (scale-out) for as long as it takes.
  // Migrations need no array types, and their query's failure would be an unhandled rejection (see shareArrayTypes).
  const setup = postgres(options.url, {
    max: 2,
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
    fetch_types: false,
  });
  try {
    await reachable(setup, options.url);
    await migrateOnce(setup, migrationsFolder);
  } finally {
    await setup.end({ timeout: 2 });
  }

  const client = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // A connection opened after the migrations (so arrays of the enums they create are known) fetches the array
    // types once, below; the pool's connections never run that query (see shareArrayTypes).
    fetch_types: false,
    connect_timeout: connectTimeoutSeconds,
    backoff: reconnectDelaySeconds(1),
    // Sent when each connection starts, so they hold for every statement, inside a transaction or not.
    connection: {
      lock_timeout: limits.lockTimeoutMs,
      statement_timeout: limits.statementTimeoutMs,
      // A transaction left open (a bug, a stalled request) must not hold its locks for ever.
      idle_in_transaction_session_timeout: limits.statementTimeoutMs * 2,
    },
  });
  // Health checks get a connection of their own: behind a pool full of waiting commands they would time out and
  // report the server down while it is only busy.
  const healthClient = () =>
    postgres(options.url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: 2,
      backoff: reconnectDelaySeconds(0.25),
      idle_timeout: 60,
      connection: { statement_timeout: 2000, lock_timeout: 1000 },
      // `select 1` needs no array types, and their query's failure would be an unhandled rejection (see shareArrayTypes).
      fetch_types: false,
    });
  const typesFetcher = postgres(options.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
  });
  try {
    await reachable(typesFetcher, options.url);
    shareArrayTypes(typesFetcher, client);
  } catch (error) {
    await client.end({ timeout: 0 });
    throw error;
  } finally {
    await typesFetcher.end({ timeout: 2 });
  }
  let health = healthClient();
  // After a failed check the next one starts on a new connection: the old one may be dead (a restart, a terminate:
  // its next statement fails) or stuck retrying, and the first check after the server is back must say so.
  const replaceHealth = () => {
    const old = health;
    health = healthClient();
    void old.end({ timeout: 0 }).catch(() => {});
  };
  const db = drizzle(client, { schema }) as unknown as Db;
  enableCommandQueues(db, limits.lockTimeoutMs);
  let closed = false;
  return {
    db,
    kind: 'postgres',
    ping: (timeoutMs = 2000) =>
      closed
        ? Promise.resolve(false)
        : withinTime(
            health`select 1`.then(() => true),
            timeoutMs,
          ).catch(() => {
            if (!closed) replaceHealth();
            return false;
          }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([client.end({ timeout: 2 }), health.end({ timeout: 1 })]);
    },
  };
}

type Sql = import('postgres').Sql;

/** The first connection, bounded as a whole (DNS, TCP, TLS, authentication), so a start never hangs silently. */
async function reachable(sql: Sql, url: string) {
  try {
    await withinTime(sql`select 1`, (connectTimeoutSeconds + 2) * 1000);
  } catch (error) {
    throw new DatabaseUnreachable(url, error instanceof Error ? error.message : String(error));
  }
}

// Several processes may start at once against one server (scale-out): one migrates, the others wait.
async function migrateOnce(sql: Sql, migrationsFolder: string) {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${migrationLockId})`;
    await migrate(drizzle(sql, { schema }), { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${migrationLockId})`.catch(() => {});
    lock.release();
  }
}

function pickDefined(options: Partial<StatementLimits>): Partial<StatementLimits> {
  const picked: Partial<StatementLimits> = {};
  if (options.lockTimeoutMs !== undefined) picked.lockTimeoutMs = options.lockTimeoutMs;
  if (options.statementTimeoutMs !== undefined) picked.statementTimeoutMs = options.statementTimeoutMs;
  return picked;
}

/**
 * The wait before connecting again after a failed attempt. postgres.js grows it to 20 s by default, so after an
 * outage of a few seconds the process stayed down (and /healthz said so) for seconds after the server was back.
 */
function reconnectDelaySeconds(capSeconds: number) {
  return (retries: number) => Math.min(0.02 * 2 ** retries, capSeconds);
}

class TimedOut extends Error {}

function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function pingWith(db: Db, timeoutMs: number, isClosed: () => boolean): Promise<boolean> {
  if (isClosed()) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
