// Starts the production build for the end-to-end tests (Playwright's webServer) and for scripts/screenshots.ts:
// a fresh, empty PGlite data folder in the system temp dir, demo data on, and the folder removed again on exit.
// It expects `npm run build` to have run; it never builds.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, serverBundle } from '../scripts/prepare.mjs';

if (!existsSync(serverBundle)) {
  console.error('e2e: no production build in build/. Run `npm run build` first.');
  process.exit(1);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'refinery-e2e-'));
const port = process.env.E2E_PORT ?? '4310';
const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });

const child = spawn(process.execPath, [serverBundle], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: port,
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    DATABASE_URL: '',
    PUBLIC_URL: '',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    // Every browser of the suite signs up from 127.0.0.1: the per-address sign-up limit is for the real world.
    SIGNUPS_PER_HOUR: '1000',
    // Likewise every guest joins from 127.0.0.1, and with tests running side by side more of them join in a minute.
    GUEST_JOINS_PER_MINUTE: '1000',
    // The Jira sync's specs connect to the Jira stand-in on 127.0.0.1 (a private address, refused by default), and
    // a short poll interval keeps their waits short when a webhook is not the way a change arrives.
    TRACKER_ALLOW_PRIVATE_URLS: 'true',
    TRACKER_POLL_SECONDS: '5',
    // The webhooks spec posts to a receiver it starts on 127.0.0.1 (refused by default, decision 0041).
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  },
});

// Playwright stops the web server with SIGTERM (see gracefulShutdown in playwright.config.ts); pass it on and
// let the server shut down cleanly before the data folder goes.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 1 : 0));
});
