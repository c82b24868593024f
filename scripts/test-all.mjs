// `npm test`: everything CI checks, in order, stopping at the first red step:
// typecheck, lint (eslint + electronegativity), build, the real test servers' install, then vitest and Playwright
// (Chromium bridge + Electron where a binary exists), both inside a private Secret Service so keytar talks to a real
// keychain.
// Ends with one line "N passed, N failed, N skipped" over vitest and Playwright together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const started = Date.now();

function step(title, command, args, options = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${title}\n`);
  const run = spawnSync(command, args, { stdio: 'inherit', ...options });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`=== ${title}: ${run.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s\n`);
  return run.status === 0;
}

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npm', ['run', '--silent', 'build']],
];
if (existsSync('test/servers/install-servers.mjs')) {
  steps.push(['install the real test servers (Verdaccio, Strapi)', 'node', ['test/servers/install-servers.mjs']]);
}
steps.push(
  ['unit and integration tests (vitest)', 'scripts/with-keyring.sh', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']],
  ['end-to-end tests (Playwright)', 'scripts/with-keyring.sh', ['playwright', 'test', '--reporter=list,json'], { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' } }],
);

let green = true;
for (const [title, command, args, options] of steps) {
  if (!step(title, command, args, options)) {
    green = false;
    break;
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  counts.passed += v.numPassedTests ?? 0;
  counts.failed += v.numFailedTests ?? 0;
  counts.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  counts.passed += p.stats?.expected ?? 0;
  counts.failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  counts.skipped += p.stats?.skipped ?? 0;
}
if (!green && counts.failed === 0) counts.failed = 1; // a red typecheck, lint or build counts as a failure
process.stdout.write(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(green && counts.failed === 0 ? 0 : 1);
