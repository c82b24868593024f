import { defineConfig } from 'vitest/config';

/**
 * Files that change what the next file in the same process would see: module mocks (electron), process.env,
 * vi.setConfig, fake clocks; and the files that borrow the run's one Strapi (kept in one project, so one lender).
 * They run each in a fresh process; every other file shares its worker's process and module cache with the files
 * before it (a fresh process per file was a third of the CPU of the small files).
 */
const ISOLATED = [
  'test/main/shell/**/*.test.ts',
  'test/main/use-cases/sharing/**/*.test.ts',
  'test/cli/token-rotate-real.test.ts',
  'test/cli/token-rotate-crash.test.ts',
  'test/cli/workspace-commands.test.ts',
  'test/main/providers/strapi-provider.test.ts',
];
const EXCLUDED = ['test/e2e/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Three files at once on CI's two cores: with two, a sixth of the cores sat idle while files waited on child
    // processes, servers on loopback and timers (a quiet run: 437 s with two, 403 s with three).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ISOLATED,
          exclude: EXCLUDED,
          isolate: true,
          // One real Strapi for the run, lent to one file at a time (started by the first file that asks).
          globalSetup: ['test/servers/strapi-lender.ts'],
        },
      },
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...EXCLUDED, ...ISOLATED], isolate: false } },
    ],
  },
});
