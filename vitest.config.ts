import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Most files wait on child processes and servers on loopback, not on the CPU: two at once on CI's two cores
    // (vitest's default there is one).
    maxWorkers: 2,
  },
});
