// Vitest has its own config: the Remix Vite plugin breaks under vitest ("can't detect preamble").
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files in parallel: one per core but one, at least two (the suites start servers and databases of their own)
// and at most eight; VITEST_FORKS overrides (decision 0037).
const forks = Number(process.env.VITEST_FORKS) || Math.min(8, Math.max(2, availableParallelism() - 1));

export default defineConfig({
  resolve: { alias: { '~': new URL('./app', import.meta.url).pathname } },
  test: {
    include: ['app/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { maxForks: forks, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
