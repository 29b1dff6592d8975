import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf, lockBuild } from './prepare.mjs';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'refinery-prepare-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>) {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('the build fingerprint', () => {
  const inputs = ['app', 'vite.config.ts'];
  const files = { 'app/root.tsx': 'root', 'app/routes/a.tsx': 'a', 'vite.config.ts': 'config' };

  it('is the same for the same contents, whatever the file times (a fresh clone skips no needed build)', () => {
    const one = tree(files);
    const two = tree(files);
    utimesSync(path.join(two, 'app/root.tsx'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(fingerprintOf(two, inputs)).toBe(fingerprintOf(one, inputs));
  });

  it('changes when a file changes, is added, or is renamed', () => {
    const base = fingerprintOf(tree(files), inputs);
    expect(fingerprintOf(tree({ ...files, 'app/routes/a.tsx': 'a2' }), inputs)).not.toBe(base);
    expect(fingerprintOf(tree({ ...files, 'app/routes/b.tsx': 'b' }), inputs)).not.toBe(base);
    const { 'app/routes/a.tsx': a, ...rest } = files;
    expect(fingerprintOf(tree({ ...rest, 'app/routes/c.tsx': a }), inputs)).not.toBe(base);
  });

  it('leaves out tests and installed packages', () => {
    const base = fingerprintOf(tree(files), inputs);
    expect(
      fingerprintOf(tree({ ...files, 'app/a.test.ts': 'x', 'app/node_modules/p/index.js': 'y' }), inputs),
    ).toBe(base);
  });
});

describe('the build lock', () => {
  it('lets one copy build at a time: the second waits until the first is done', async () => {
    const dir = tempDir();
    const lock = path.join(dir, '.build-lock');
    const released = path.join(dir, 'released');
    // Another process holds the lock for a moment, as a second `npm start` building would; it notes when it lets go.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { lockBuild } from ${JSON.stringify(path.resolve('scripts/prepare.mjs'))};
         const unlock = lockBuild(${JSON.stringify(lock)});
         console.log('locked');
         import { writeFileSync } from 'node:fs';
         setTimeout(() => { writeFileSync(${JSON.stringify(released)}, ''); unlock(); }, 700);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    await new Promise<void>((resolve) =>
      holder.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('locked')) resolve();
      }),
    );
    expect(existsSync(released)).toBe(false);
    const unlock = lockBuild(lock, 30_000);
    // Only once the holder let go.
    expect(existsSync(released)).toBe(true);
    unlock();
    expect(existsSync(lock)).toBe(false);
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('takes over a lock left by a process that died', () => {
    const lock = path.join(tempDir(), '.build-lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), '999999999');
    const unlock = lockBuild(lock, 5_000);
    unlock();
    expect(existsSync(lock)).toBe(false);
  });
});
