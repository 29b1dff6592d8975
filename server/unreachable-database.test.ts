import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBundle } from '../scripts/prepare.mjs';

const root = path.resolve(import.meta.dirname, '..');
const password = 's3cret-Pa55word';

/** Starts the server bundle as `npm start` does and resolves when it exits, with what it printed and how long it took. */
function runServer(databaseUrl: string, dataDir: string) {
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const started = performance.now();
  const child = spawn(process.execPath, [serverBundle], {
    cwd: root,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // Never left running if the assertion below fails.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; ms: number; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, ms: performance.now() - started, stdout, stderr });
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/**
 * Item 13 of issue 12: a DATABASE_URL whose server cannot be reached makes the server exit 1 within seconds,
 * with one line saying that DATABASE_URL is the problem (never its password), instead of hanging silently.
 */
describe('starting with an unreachable DATABASE_URL', () => {
  let dataDir: string;
  // A "blackhole": accepts TCP connections and never says a word, like a firewall that swallows packets.
  const sockets: Socket[] = [];
  const blackhole = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  let blackholePort: number;
  let refusedPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refinery-unreachable-'));
    blackholePort = await listen(blackhole);
    // A port that was free a moment ago and has no listener now: connections are refused.
    const closed = createServer();
    refusedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cases = [
    ['a server that accepts and never answers', () => blackholePort],
    ['a port that refuses connections', () => refusedPort],
  ] as const;

  it.each(cases)(
    'exits 1 within seconds on %s, with one line naming DATABASE_URL and not the password',
    async (_name, port) => {
      const result = await runServer(`postgres://refinery:${password}@127.0.0.1:${port()}/refinery`, dataDir);
      expect(result.code).toBe(1);
      // 5 s to connect plus the process's own start (a few seconds on a busy machine), nowhere near the 90 s it was.
      expect(result.ms).toBeLessThan(20_000);
      const lines = result.stderr.split('\n').filter((line) => line.includes('DATABASE_URL'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^Refinery could not start: DATABASE_URL: could not connect to the Postgres server at 127\\.0\\.0\\.1:${port()}/refinery`,
        ),
      );
      expect(result.stdout + result.stderr).not.toContain(password);
    },
    60_000,
  );
});
