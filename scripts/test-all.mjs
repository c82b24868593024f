// `npm test`: everything CI checks, stopping before the tests when a check is red.
// The checks and the build (each command of package.json's `typecheck` and `lint` scripts, `build`) and the real
// test servers' install run side by side: two CPU-bound steps at a time (CI has two cores), the install beside them
// (it waits on the network and the disk more than on the CPU). Each step's output is held and printed whole when the
// step ends, so two steps never interleave. Then vitest and Playwright (Chromium bridge + Electron where a binary
// exists), both inside a private Secret Service so keytar talks to a real keychain.
// Ends with one line "N passed, N failed, N skipped" over vitest and Playwright together.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, resolve } from 'node:path';

mkdirSync('test-results', { recursive: true });
// Counts from an earlier run must not stand in for a step that did not run this time.
for (const f of ['test-results/vitest.json', 'test-results/playwright.json']) rmSync(f, { force: true });
const started = Date.now();
// As under `npm run`: the project's tools (and its Node 22) first on PATH, also when started as `node scripts/test-all.mjs`.
const env = { ...process.env, PATH: `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` };

/** Runs one shell command; resolves to whether it exited 0. `held`: print the output whole when the step ends. */
function step(title, command, { held = false, extraEnv = {} } = {}) {
  const t0 = Date.now();
  if (!held) process.stdout.write(`\n=== ${title}\n`);
  return new Promise((done) => {
    const child = spawn(command, { shell: true, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...env, ...extraEnv } });
    const chunks = [];
    child.stdout?.on('data', (d) => chunks.push(d));
    child.stderr?.on('data', (d) => chunks.push(d));
    child.on('close', (code) => {
      const ok = code === 0;
      let output = held ? `\n=== ${title}\n${Buffer.concat(chunks).toString('utf8')}` : '';
      if (output && !output.endsWith('\n')) output += '\n';
      process.stdout.write(`${output}=== ${title}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      done(ok);
    });
  });
}

/** The commands of one package.json script (`a && b && c`), each its own step. */
function scriptSteps(name) {
  const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts[name];
  return script.split('&&').map((command) => [`${name}: ${command.trim()}`, command.trim()]);
}

/**
 * Every check and the build; none reads what another writes (the build writes out/, which tsc and eslint leave out;
 * the install writes test/servers/<name>/node_modules, which they leave out too). Longest first, so the last to
 * start are short: two CPU slots, the install beside them.
 */
async function checksAndBuild() {
  const [tscNode, ...tscOthers] = scriptSteps('typecheck');
  const [eslint, ...lintOthers] = scriptSteps('lint');
  const queue = [tscNode, eslint, ['build', 'electron-vite build'], ...tscOthers, ...lintOthers];
  const slot = async () => {
    let green = true;
    for (let next = queue.shift(); next; next = queue.shift()) if (!(await step(next[0], next[1], { held: true }))) green = false;
    return green;
  };
  const install = existsSync('test/servers/install-servers.mjs')
    ? step('install the real test servers (Verdaccio, Strapi)', 'node test/servers/install-servers.mjs', { held: true })
    : Promise.resolve(true);
  const slots = Math.max(1, Math.min(2, availableParallelism()));
  const results = await Promise.all([install, ...Array.from({ length: slots }, slot)]);
  return results.every(Boolean);
}

let green = await checksAndBuild();
if (!green) process.stdout.write('\nA check, the build or the install is red: vitest and Playwright did not run.\n');
if (green)
  green = await step(
    'unit and integration tests (vitest)',
    'scripts/with-keyring.sh vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json',
  );
if (green)
  green = await step('end-to-end tests (Playwright)', 'scripts/with-keyring.sh playwright test --reporter=list,json', {
    extraEnv: { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' },
  });

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
