import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testBackends } from '../db/test-database';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

const root = path.resolve(import.meta.dirname, '..');

// /healthz is answered before the Remix handler, so these tests need no production build.
describe.each(testBackends)('GET /healthz on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let created: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-health-'));
    created = kind === 'postgres' ? await createTestDatabaseUrl() : undefined;
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: created?.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
  });

  afterAll(async () => {
    await server?.stop();
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const health = async () => {
    const response = await fetch(`${server.url}/healthz`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.json(),
    };
  };

  it('answers 200 with JSON when the database answers', async () => {
    expect(await health()).toEqual({
      status: 200,
      type: expect.stringMatching(/^application\/json/),
      body: { status: 'ok', database: kind },
    });
  });

  it.runIf(kind === 'postgres')(
    'answers 503 while the Postgres server refuses connections, and 200 again after',
    async () => {
      const { default: postgres } = await import('postgres');
      const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      const name = new URL(created!.url).pathname.slice(1);
      try {
        await admin.unsafe(`alter database "${name}" with allow_connections false`);
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
        expect(await health()).toMatchObject({ status: 503, body: { status: 'unavailable' } });
      } finally {
        await admin.unsafe(`alter database "${name}" with allow_connections true`);
        await admin.end();
      }
      // At once: the first check after the server is back says so, not one several seconds later.
      expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    },
  );

  // Last: the database stays closed.
  it('answers 503 with JSON when the database does not answer', async () => {
    await server.database.close();
    expect(await health()).toEqual({
      status: 503,
      type: expect.stringMatching(/^application\/json/),
      body: { status: 'unavailable', database: 'not answering' },
    });
  });
});
