import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

// The HTTP layer in front of Remix: these checks answer before any route runs, so no build is needed.
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-http-'));
  const parsed = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    MAX_BODY_BYTES: '1000',
  });
  if (!parsed.ok) throw new Error(parsed.message);
  server = await startServer(parsed.config, createLogger('silent'), { root: path.resolve(__dirname, '..') });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('HTTP layer', () => {
  it('sends security headers: a CSP without inline scripts, frame-ancestors and nosniff', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives every response a fresh nonce', async () => {
    const nonce = async () =>
      (await fetch(`${server.url}/healthz`)).headers
        .get('content-security-policy')
        ?.match(/nonce-([^']+)/)?.[1];
    expect(await nonce()).not.toBe(await nonce());
  });

  it('refuses a body over the limit with 413 problem+json before reading it', async () => {
    const res = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(5000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).detail).toContain('1000 bytes');
  });

  it('answers a browser form over the limit with a 413 page that says what to do', async () => {
    const res = await fetch(`${server.url}/products/x/import`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      },
      body: `csv=${'x'.repeat(5000)}`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('at most 1000 bytes');
    expect(page).toContain('href="/products/x/import"');
  });

  it('refuses a chunked body of unknown length with 411', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/api/v1/users`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"a":');
      req.end('1}');
    });
    expect(status).toBe(411);
  });

  it('refuses a mutating request from another origin', async () => {
    const res = await fetch(`${server.url}/logout`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', cookie: 'x=1' },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toBe('Cross-origin request refused');
    const fetchMeta = await fetch(`${server.url}/logout`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMeta.status).toBe(403);
  });

  it('answers /healthz with JSON naming the database', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'pglite' });
  });
});
