// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after another, inside a
// private Secret Service (scripts/with-keyring.sh) so figures with keychain unlock use a real keychain.
import { spawnSync } from 'node:child_process';

const result = spawnSync('scripts/with-keyring.sh', ['vitest', 'run', '--config', 'vitest.bench.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: false,
});
process.exit(result.status ?? 1);
