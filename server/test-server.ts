import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabaseUrl } from '../db/test-database';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger, type Logger } from './logger';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Test helper: the whole server on port 0, on a database of its own (an embedded PGlite folder, or a new database
 * on the Postgres server at DATABASE_URL), with no demo data. `stop` closes it and removes the database.
 */
export async function startTestServer(
  kind: 'pglite' | 'postgres',
  env: Record<string, string> = {},
  log: Logger = createLogger('silent'),
): Promise<{ server: RunningServer; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-test-'));
  const created = kind === 'postgres' ? await createTestDatabaseUrl() : undefined;
  const parsed = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: created?.url,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const server = await startServer(parsed.config, log, { root });
  return {
    server,
    async stop() {
      await server.stop();
      await created?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
