import os from 'node:os';
import { defineConfig, devices } from '@playwright/test';
import { jiraStandin } from './e2e/jira-fixtures';

// End-to-end tests against the production build (run `npm run build` first; `npm test` does) in Debian's chromium.
// The server starts on an empty embedded database with demo data, so every run begins from the same state.
const port = Number(process.env.E2E_PORT ?? 4310);
const baseURL = `http://127.0.0.1:${port}`;
const ci = Boolean(process.env.CI);
// Tests can run side by side (each makes its own data), but every worker drives up to four browsers against one
// server: on a 2-core machine two workers took 22 minutes where one takes about 9, and long tests ran out of time.
// So one worker per two cores beyond the first two, at most 4; E2E_WORKERS overrides it. See docs/decisions/0034.
const workers =
  Number(process.env.E2E_WORKERS) ||
  Math.min(4, Math.max(1, Math.floor((os.availableParallelism() - 2) / 2) + 1));

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers,
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  // Per test and per expectation: room for a busy machine running several browsers at once. Long multi-browser
  // tests set their own (test.setTimeout); every step waits for a condition, never for a fixed time.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  projects: [
    // Tests tagged @demo use the seeded demo product itself (showing the demo, or its sprints and history, which
    // a copy cannot have); a few of them change it, so they run one at a time, beside the others. First in the
    // list, so that their one-at-a-time line starts at once rather than after everything else.
    { name: 'demo product', grep: /@demo/, workers: 1 },
    // Each of these tests makes the data it changes (e2e/demo-copy.ts, e2e/api-fixtures.ts, new sign-ups).
    { name: 'own data', grepInvert: /@demo/ },
  ],
  // Plain list output only: no HTML report to open or to commit by accident.
  reporter: 'list',
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Playwright cannot download its own browser here; Debian's chromium works (see ../shared/STACK.md).
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    // The Jira stand-in (scripts/jira-standin) for the Jira sync's specs, on a fixed port (E2E_JIRA_PORT) with
    // fixed credentials; specs reach it through e2e/jira-fixtures.ts. serverInfo answers without credentials.
    {
      command: [
        'node --import tsx scripts/jira-standin/main.ts',
        `--port ${jiraStandin.port}`,
        `--email ${jiraStandin.credentials.email}`,
        `--api-token ${jiraStandin.credentials.apiToken}`,
        `--pat ${jiraStandin.credentials.pat}`,
      ].join(' '),
      url: `${jiraStandin.url}/rest/api/2/serverInfo`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      command: 'node e2e/start-server.mjs',
      url: `${baseURL}/healthz`,
      env: { E2E_PORT: String(port) },
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
