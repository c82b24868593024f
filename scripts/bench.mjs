// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after another.
import { spawnSync } from 'node:child_process';

const result = spawnSync('vitest', ['run', '--config', 'vitest.bench.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: false,
});
process.exit(result.status ?? 1);
