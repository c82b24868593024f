import { defineConfig } from 'vitest/config';

// `npm run bench`: each bench/*.bench.ts is a vitest file that measures, prints a table and records its figures in
// bench/results.json. Files run one after another so they do not compete for the two cores.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
