import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from './build-server.mjs';
import { buildInputs, root, serverBundle } from './prepare.mjs';

const inputsOf = async () =>
  Object.keys(
    (await buildServer({ outfile: path.join(tmpdir(), 'refinery-bundle-check/main.js'), write: false }))
      .inputs,
  );

describe('the server bundle', () => {
  it('holds no module of app/ or db/: it takes them from the Remix build, so the process loads each once', async () => {
    const inputs = await inputsOf();
    expect(inputs).toContain('server/collab/index.ts');
    expect(inputs.filter((file) => /^(app|db)\//.test(file))).toEqual([]);
    expect(inputs).toContain('remix-build:shared');
  });

  it('is made only of files the build fingerprint covers (so `npm start` rebuilds when one changes)', async () => {
    const sources = (await inputsOf()).filter((file) => !file.startsWith('remix-build:'));
    const uncovered = sources.filter(
      (file) => !buildInputs.some((input: string) => file === input || file.startsWith(`${input}/`)),
    );
    expect(uncovered).toEqual([]);
  });
});

describe('the built server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'refinery-copied-build-'));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs from a copy of build/ in another folder, given only its configuration', async () => {
    expect(existsSync(serverBundle), 'no server bundle: run `npm run build` first').toBe(true);
    // The copy has the build and the installed packages, and nothing else of the source tree.
    cpSync(path.join(root, 'build'), path.join(dir, 'build'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const { DATABASE_URL: _inherited, ...inherited } = process.env;
    child = spawn(process.execPath, [path.join(dir, 'build/server/main.js')], {
      cwd: dir,
      env: {
        ...inherited,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: path.join(dir, 'data'),
        MIGRATIONS_DIR: path.join(root, 'db/migrations'),
        DEMO_DATA: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const running = /running at (http:\S+)/.exec(output);
        if (running) resolve(running[1]);
      };
      child?.stdout?.on('data', read);
      child?.stderr?.on('data', read);
      child?.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    // A page rendered by the Remix build the bundle loaded from beside itself.
    const login = await fetch(`${url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form');
    expect(existsSync(path.join(dir, 'data'))).toBe(true);
  }, 120_000);
});
