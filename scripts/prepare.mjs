// Shared by `npm start` and `npm test`: makes a fresh clone runnable with nothing but Node and npm.
// Uses only Node built-ins, because it runs before dependencies are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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

export function build() {
  console.error('Building the app…');
  run('npx', ['remix', 'vite:build', '--logLevel', 'warn']);
}

export const bin = (name) => path.join(root, 'node_modules/.bin', name);
