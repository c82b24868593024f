import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    environment: 'node',
    // One real Strapi for the run, lent to one file at a time (started by the first file that asks).
    globalSetup: ['test/servers/strapi-lender.ts'],
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Most files wait on child processes and servers on loopback, not on the CPU: two at once on CI's two cores
    // (vitest's default there is one).
    maxWorkers: 2,
  },
});
