import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    include: ['tests/**/*.test.{ts,tsx}'],
    // Generous: suites start processes, PostgreSQL and Chromium, and CI runs them beside other
    // load (a bench). A test waits for the state it needs; these only stop one that never comes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
