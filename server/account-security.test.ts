import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectBypasses } from '../app/domain/safe-redirect-bypasses';
import { createSession } from '../app/services/sessions/sessions.server';
import { seedTeam } from '../app/services/testing/team.server';
import { sessionParticipants, users } from '../db/schema';
import { createTestDatabaseUrl, testBackends } from '../db/test-database';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

// Drives the production build (npm run build) from outside over HTTP: open redirects after login and signup,
// login throttling that cannot lock an owner out, the sign-up rate limit, and a join link whose GET is safe.
const root = path.resolve(import.meta.dirname, '..');
const password = 'correct horse battery staple';
const signUpsPerHour = 3;

describe.each(testBackends)('account security over HTTP on %s', (kind) => {
  let server: RunningServer;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let nextAddress = 0;
  /** A client address of its own (TRUST_PROXY is on, so X-Forwarded-For is the client address). */
  const freshAddress = () => `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-account-security-'));
    let url: string | undefined;
    if (kind === 'postgres') {
      const created = await createTestDatabaseUrl();
      url = created.url;
      dropDatabase = created.drop;
    }
    const parsed = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      TRUST_PROXY: 'true',
      SIGNUPS_PER_HOUR: String(signUpsPerHour),
    });
    if (!parsed.ok) throw new Error(parsed.message);
    server = await startServer(parsed.config, createLogger('silent'), { root });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A browser-like form post (no JavaScript): redirects are not followed, so Location can be read. */
  const postForm = (route: string, fields: Record<string, string>, address: string, cookie?: string) =>
    fetch(`${server.url}${route}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: new URL(server.url).origin,
        'x-forwarded-for': address,
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
  const api = (route: string, body: unknown, address: string) =>
    fetch(`${server.url}/api/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    });
  const expectSameOrigin = (location: string | null, what: string) => {
    expect(location, what).toBeTruthy();
    const target = new URL(location ?? '', server.url);
    expect(target.origin, what).toBe(new URL(server.url).origin);
    expect(location, what).toMatch(/^\/(?![/\\])/);
    expect(
      [...(location ?? '')].some((c) => c.charCodeAt(0) < 0x20 || c === '\\'),
      what,
    ).toBe(false);
  };
  const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0];

  describe('redirects after login and signup', () => {
    let account: string;
    beforeAll(async () => {
      account = `redirects-${kind}@example.com`;
      const created = await api(
        '/users',
        { email: account, displayName: 'Redirect Owner', password },
        freshAddress(),
      );
      expect(created.status).toBe(201);
    });

    it('keeps Location same-origin for every bypass after a successful login, and never answers 500', async () => {
      for (const redirectTo of redirectBypasses) {
        const res = await postForm('/login', { email: account, password, redirectTo }, freshAddress());
        expect(res.status, JSON.stringify(redirectTo)).toBe(302);
        expectSameOrigin(res.headers.get('location'), JSON.stringify(redirectTo));
        expect(res.headers.get('location')).toBe('/products');
      }
    });

    it('keeps Location same-origin for every bypass after a sign-up', async () => {
      let n = 0;
      for (const redirectTo of redirectBypasses) {
        const fields = {
          email: `bypass-${n++}-${kind}@example.com`,
          displayName: 'Bypass',
          password,
          redirectTo,
        };
        const res = await postForm('/signup', fields, freshAddress());
        expect(res.status, JSON.stringify(redirectTo)).toBe(302);
        expectSameOrigin(res.headers.get('location'), JSON.stringify(redirectTo));
        expect(res.headers.get('location')).toBe('/products');
      }
    });

    it('still follows a plain same-origin path with its query', async () => {
      const res = await postForm(
        '/login',
        { email: account, password, redirectTo: '/invites/abc?from=mail' },
        freshAddress(),
      );
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/invites/abc?from=mail');
    });
  });

  describe('login throttling', () => {
    it('lets the owner in from a new address after many failures from rotating addresses', async () => {
      const email = `owner-${kind}@example.com`;
      expect((await api('/users', { email, displayName: 'Owner', password }, freshAddress())).status).toBe(
        201,
      );
      for (let i = 0; i < 15; i++) {
        const res = await api('/tokens', { email, password: `guess-${i}` }, freshAddress());
        expect(res.status).toBe(401);
      }
      // Through the API and through the login page, each from an address that had no failures.
      expect((await api('/tokens', { email, password }, freshAddress())).status).toBe(201);
      const page = await postForm('/login', { email, password }, freshAddress());
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/products');
    });

    it('still slows failures from one address, even when the password is then right', async () => {
      const email = `slowed-${kind}@example.com`;
      expect((await api('/users', { email, displayName: 'Slowed', password }, freshAddress())).status).toBe(
        201,
      );
      const attacker = freshAddress();
      for (let i = 0; i < 5; i++)
        expect((await api('/tokens', { email, password: `guess-${i}` }, attacker)).status).toBe(401);
      const refused = await api('/tokens', { email, password }, attacker);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The login page refuses the same address too, with a readable message.
      const page = await postForm('/login', { email, password }, attacker);
      expect(page.status).toBe(429);
      expect(await page.text()).toContain('Too many failed attempts');
      // The owner elsewhere is not affected.
      expect((await api('/tokens', { email, password }, freshAddress())).status).toBe(201);
    });
  });

  describe('sign-up rate limit', () => {
    it('answers the API with 429 problem+json and Retry-After above the limit per address', async () => {
      const address = freshAddress();
      for (let i = 0; i < signUpsPerHour; i++) {
        const res = await api(
          '/users',
          { email: `limit-${i}-${kind}@example.com`, displayName: 'L', password },
          address,
        );
        expect(res.status).toBe(201);
      }
      const refused = await api(
        '/users',
        { email: `limit-x-${kind}@example.com`, displayName: 'L', password },
        address,
      );
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect((await refused.json()).detail).toMatch(/Too many sign-ups from your address/);
      // Another address is not affected.
      expect(
        (
          await api(
            '/users',
            { email: `limit-y-${kind}@example.com`, displayName: 'L', password },
            freshAddress(),
          )
        ).status,
      ).toBe(201);
    });

    it('answers the sign-up page with 429, Retry-After and a readable message, in the same count as the API', async () => {
      const address = freshAddress();
      for (let i = 0; i < signUpsPerHour; i++) {
        expect(
          (
            await api(
              '/users',
              { email: `page-${i}-${kind}@example.com`, displayName: 'P', password },
              address,
            )
          ).status,
        ).toBe(201);
      }
      const page = await postForm(
        '/signup',
        { email: `page-x-${kind}@example.com`, displayName: 'P', password },
        address,
      );
      expect(page.status).toBe(429);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await page.text()).toMatch(
        /Too many sign-ups from your address. Try again in about \d+ minutes/,
      );
      const [created] = await server.database.db
        .select()
        .from(users)
        .where(eq(users.email, `page-x-${kind}@example.com`));
      expect(created).toBeUndefined();
    });
  });

  describe('join links', () => {
    it('a GET by a signed-in member shows a Join button and changes nothing; the POST joins', async () => {
      const db = server.database.db;
      const team = await seedTeam(db);
      const session = await createSession(db, team.productId, team.po, {
        title: 'Safe GET',
        kind: 'prioritisation',
        agenda: [],
      });
      const [dev] = await db.select().from(users).where(eq(users.id, team.dev));
      const login = await postForm('/login', { email: dev.email, password: team.password }, freshAddress());
      expect(login.status).toBe(302);
      const cookie = cookieOf(login);
      const participants = () =>
        db
          .select()
          .from(sessionParticipants)
          .where(
            and(eq(sessionParticipants.sessionId, session.id), eq(sessionParticipants.userId, team.dev)),
          );

      const page = await fetch(`${server.url}/join/${session.joinCode}`, {
        redirect: 'manual',
        headers: { cookie, accept: 'text/html' },
      });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Join the session');
      expect(html).toMatch(/<form[^>]*method="post"/i);
      expect(await participants()).toHaveLength(0);

      const joined = await postForm(`/join/${session.joinCode}`, {}, freshAddress(), cookie);
      expect(joined.status).toBe(302);
      expect(joined.headers.get('location')).toBe(`/products/${team.productId}/sessions/${session.id}`);
      expect(await participants()).toHaveLength(1);
    });
  });
});
