import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from './client';

/**
 * The backends an integration suite runs against: always embedded PGlite (in memory), and also the
 * Postgres server when DATABASE_URL is set. Each call gives the caller a database of its own.
 */
export const testBackends: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

/**
 * Creates an empty database of its own on the Postgres server at DATABASE_URL, for code that opens its own
 * connections (a whole server in process, or a child process). `drop` removes it, even while still connected.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  // Each caller gets its own database (the migrations create types in "public", so schemas would collide).
  const name = `refinery_t_${randomBytes(6).toString('hex')}`;
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'pglite') return openDatabase({ memory: true });
  const created = await createTestDatabaseUrl();
  const database = await openDatabase({ url: created.url, max: 4 });
  return {
    ...database,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}
