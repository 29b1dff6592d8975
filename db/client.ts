import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the app uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type DatabaseOptions =
  | { url: string; max?: number }
  | { dataDir: string }
  | { memory: true };

/** Opens the database and applies the committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = 'url' in options ? await openPostgres(options) : await openPglite(options);
  return database;
}

async function openPglite(options: { dataDir: string } | { memory: true }): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let client: InstanceType<typeof PGlite>;
  if ('dataDir' in options) {
    mkdirSync(options.dataDir, { recursive: true });
    client = await PGlite.create(options.dataDir);
  } else {
    client = await PGlite.create();
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
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

async function openPostgres(options: { url: string; max?: number }): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(options.url, {
    // The migration lock holds one connection while the migration uses another: at least two.
    max: Math.max(2, options.max ?? 10),
    onnotice: () => {},
    connect_timeout: 5,
  });
  const db = drizzle(client, { schema });
  // Several processes may start at once against one server (scale-out): one migrates, the others wait.
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${migrationLockId})`;
    await migrate(db, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${migrationLockId})`.catch(() => {});
    lock.release();
  }
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    ping: (timeoutMs = 2000) => pingWith(db as unknown as Db, timeoutMs, () => closed),
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 2 });
    },
  };
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
