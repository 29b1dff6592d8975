import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/services/api-tokens.server';
import { createItem } from '../app/services/backlog/items.server';
import { seedTeam } from '../app/services/testing/team.server';
import { users } from '../db/schema';
import { createTestDatabaseUrl } from '../db/test-database';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

const root = path.resolve(import.meta.dirname, '..');

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Item 8 of issue 12, from outside: someone holds a session's row lock (a stuck transaction) far longer than the
 * lock timeout while forty commands on that session arrive. Each gets a clear 503 in bounded time, the stuck
 * session ties up at most one connection of the pool, and /healthz and another product's reads are answered
 * meanwhile. Postgres only: PGlite has one in-process connection that nothing else can hold a lock against.
 */
describe.runIf(process.env.DATABASE_URL)('a session row locked for a long time on Postgres', () => {
  const lockTimeoutMs = 3000;
  let server: RunningServer;
  let dataDir: string;
  let created: { url: string; drop(): Promise<void> };
  let holder: postgres.Sql;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-busy-'));
    created = await createTestDatabaseUrl();
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: created.url,
      DATABASE_LOCK_TIMEOUT_MS: String(lockTimeoutMs),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
    const { default: connect } = await import('postgres');
    holder = connect(created.url, { max: 2, onnotice: () => {} });
  }, 120_000);

  afterAll(async () => {
    await holder?.end({ timeout: 1 });
    await server?.stop();
    await created?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (token: string, method: string, route: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ms: performance.now() - started };
  };

  it('answers commands on the locked session 503 in bounded time (API and room page), and serves health and other products meanwhile', async () => {
    const db = server.database.db;
    const stuck = await seedTeam(db, 'Stuck');
    const other = await seedTeam(db, 'Other');
    const item = await createItem(db, stuck.productId, stuck.po, { title: 'Book a slot' });
    await createItem(db, other.productId, other.po, { title: 'Cancel a booking' });
    const stuckToken = (await createApiToken(db, stuck.po, 'test')).token;
    const otherToken = (await createApiToken(db, other.po, 'test')).token;
    const session = await call(stuckToken, 'POST', `/api/v1/products/${stuck.productId}/sessions`, {
      title: 'Refinement',
      agenda: [item.id],
    });
    expect(session.status).toBe(201);
    const sessionId = JSON.parse(session.text).id as string;
    expect((await call(stuckToken, 'POST', `/api/v1/sessions/${sessionId}/join`, {})).status).toBe(200);
    // The same product owner in a browser, signed in, for the room's own form.
    const [{ email }] = await db.select({ email: users.email }).from(users).where(eq(users.id, stuck.po));
    const origin = new URL(server.url).origin;
    const form = (route: string, fields: Record<string, string>, cookie?: string) =>
      fetch(`${server.url}${route}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          origin,
          ...(cookie ? { cookie } : {}),
        },
        body: new URLSearchParams(fields).toString(),
      });
    const login = await form('/login', { email, password: stuck.password });
    expect(login.status).toBe(302);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

    // A stuck transaction elsewhere holds the session's row lock (what every command on it takes first).
    const lock = await holder.reserve();
    await lock`begin`;
    await lock`select id from live_sessions where id = ${sessionId} for update`;
    const lockedAt = performance.now();
    const waiters = async () => {
      const [row] = await holder<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%"live_sessions"%for update%'`;
      return row.n;
    };
    let mostWaiters = 0;
    let sampling = true;
    // How many of the server's connections wait on a lock, all along.
    const sampler = (async () => {
      while (sampling) {
        mostWaiters = Math.max(mostWaiters, await waiters());
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      const commands = Array.from({ length: 40 }, () =>
        call(stuckToken, 'POST', `/api/v1/sessions/${sessionId}/join`, {}),
      );
      // And one more from the room's page: a readable form error, not a hung page.
      const page = form(
        `/products/${stuck.productId}/sessions/${sessionId}`,
        { command: 'join' },
        cookie,
      ).then(async (response) => ({
        status: response.status,
        html: await response.text(),
      }));
      // The first command reaches the lock and waits on it; the other 39 queue behind it.
      await waitFor('a command waiting on the held lock', () => mostWaiters > 0);

      // Meanwhile, while the commands on the stuck session wait: health and another product's reads, answered at once.
      const [health, otherRead] = await Promise.all([
        call(otherToken, 'GET', '/healthz'),
        call(otherToken, 'GET', `/api/v1/products/${other.productId}/items`),
      ]);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', database: 'postgres' });
      expect(otherRead.status).toBe(200);
      expect(otherRead.text).toContain('Cancel a booking');
      expect(otherRead.ms).toBeLessThan(lockTimeoutMs);

      const answers = await Promise.all(commands);
      sampling = false;
      await sampler;
      const elapsed = performance.now() - lockedAt;
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(JSON.parse(answer.text)).toMatchObject({
          status: 503,
          detail: expect.stringMatching(/busy.*try again/i),
        });
      }
      const room = await page;
      expect(room.status).toBe(503);
      expect(room.html).toContain('This is busy right now');
      // Each waited about the lock timeout (at most twice it: its turn, then the lock), not for the lock's holder,
      // who still holds it.
      expect(elapsed).toBeLessThan(5 * lockTimeoutMs);
      // The stuck session tied up one connection of the pool (the one waiting on its lock), never all of them.
      expect(mostWaiters).toBe(1);
      expect(await waiters()).toBe(0);
    } finally {
      sampling = false;
      await lock`rollback`;
      lock.release();
    }

    // Once the lock is let go of, the session takes commands again at once.
    expect((await call(stuckToken, 'POST', `/api/v1/sessions/${sessionId}/join`, {})).status).toBe(200);
  }, 120_000);
});
