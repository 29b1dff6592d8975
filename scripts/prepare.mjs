// Shared by `npm start` and `npm test`: makes a fresh clone runnable with nothing but Node and npm.
// Uses only Node built-ins, because it runs before dependencies are installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** Installs dependencies from the lock file when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('Installing dependencies from package-lock.json (first run)…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

/**
 * What the production build is made from: the app, the modules it imports (db/), the server bundled beside it,
 * its assets and the build's settings and scripts.
 */
export const buildInputs = [
  'app',
  'db',
  'server',
  'public',
  'vite.config.ts',
  'remix.config.js',
  'scripts/build-server.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
];
const fingerprintFile = path.join(root, 'build/.inputs');
const defaultLockDir = path.join(root, '.build-lock');

function* filesOf(dir, entry) {
  const full = path.join(dir, entry);
  if (!existsSync(full)) return;
  if (!statSync(full).isDirectory()) {
    yield entry;
    return;
  }
  for (const name of readdirSync(full).sort()) {
    // Tests and installed packages are not part of the build.
    if (name === 'node_modules' || /\.test\.tsx?$/.test(name)) continue;
    yield* filesOf(dir, path.join(entry, name));
  }
}

/** A hash of the path and content of every file of `inputs` under `dir` (contents, not times: a clone has new times). */
export function fingerprintOf(dir, inputs) {
  const hash = createHash('sha256');
  for (const entry of inputs)
    for (const file of filesOf(dir, entry)) {
      hash.update(file);
      hash.update('\0');
      hash.update(readFileSync(path.join(dir, file)));
      hash.update('\0');
    }
  return hash.digest('hex');
}

export const buildFingerprint = () => fingerprintOf(root, buildInputs);

/** The Remix build and, beside it, the server bundle that `npm start` runs with plain node. */
export const serverBundle = path.join(root, 'build/server/main.js');
const builtServer = [path.join(root, 'build/server/index.js'), serverBundle];
const built = () => builtServer.every((file) => existsSync(file));

const upToDate = (fingerprint) =>
  built() && existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === fingerprint;

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Takes the build lock (a directory: creating it is atomic), so two copies started from one folder do not write
 * build/ at once; the second waits and then finds the build done. A lock left by a process that died is taken over.
 */
export function lockBuild(lockDir = defaultLockDir, waitMs = 10 * 60_000) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // just created, pid not written yet
    }
    if (Number.isInteger(owner) && !alive(owner)) rmSync(lockDir, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`build lock ${lockDir} still held after ${waitMs} ms`);
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

/** Notes which files build/ was made from (after `npm run build` too, so `npm start` does not build again). */
export function recordBuild(fingerprint = buildFingerprint()) {
  if (built()) writeFileSync(fingerprintFile, fingerprint);
}

/** Builds the app for production, unless build/ was made from exactly the files there now. */
export function build() {
  const fingerprint = buildFingerprint();
  if (upToDate(fingerprint)) return;
  const unlock = lockBuild();
  try {
    // Another copy may have built it while this one waited for the lock.
    if (upToDate(fingerprint)) return;
    console.error('Building the app…');
    rmSync(fingerprintFile, { force: true });
    run('npx', ['remix', 'vite:build', '--logLevel', 'warn']);
    run(process.execPath, [path.join(root, 'scripts/build-server.mjs')]);
    recordBuild(fingerprint);
  } finally {
    unlock();
  }
}

export const bin = (name) => path.join(root, 'node_modules/.bin', name);
